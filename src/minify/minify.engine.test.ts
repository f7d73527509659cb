import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPackageIndex } from "../bases/package-index.js";
import { buildImage } from "../engine/build/build.js";
import { countByLabel, removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { inspectEngineImage } from "../engine/images.js";
import { InputError, InterruptedError, VerifyError } from "../errors.js";
import { mergeLayers } from "../image/filetree.js";
import { openImage } from "../image/open.js";
import { FLASK_DIR } from "../verify/testdata/fixtures.js";
import { verifyImage } from "../verify/verify.js";
import type { AuditFile } from "./audit.js";
import { type MinifyOptions, type MinifyResult, minifyImage } from "./minify.js";

// Per run: two runs of the suite on one engine (a CI job next to a developer's) keep out of each other's way.
const RUN = randomBytes(3).toString("hex");
const LABELS = { "org.slimstage.test": `minify-${RUN}` } as const;
const SOURCE = `slimstage-test/minify-counter:source-${RUN}`;
const MINIFIED = `slimstage-test/minify-counter:minified-${RUN}`;
const COMPOSE = { file: join(FLASK_DIR, "docker-compose.yml"), service: "web" };
const HITS = {
  kind: "http",
  port: 5000,
  path: "/hits",
  expectBody: "I have been seen {n} times.",
  repeat: 3,
} as const;

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "slimstage-minify-test-"));
  const index = await startPackageIndex();
  try {
    await buildImage({ context: FLASK_DIR, tags: [SOURCE], labels: { ...LABELS }, ...index.reach });
  } finally {
    await index.close();
  }
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await removeByLabel(await connectEngine(), LABELS, { images: true });
});

async function leftovers(): Promise<{ containers: number; networks: number }> {
  const c = await countByLabel(await connectEngine(), LABELS);
  return { containers: c.containers, networks: c.networks };
}

/** Runs minify and checks that it left no container or network behind, whatever happened. */
async function minify(o: Partial<MinifyOptions> & Pick<MinifyOptions, "outDir">): Promise<MinifyResult> {
  const before = await leftovers();
  try {
    return await minifyImage({ image: SOURCE, probes: [], labels: { ...LABELS }, timeoutMs: 60_000, ...o });
  } finally {
    expect(await leftovers()).toEqual(before);
  }
}

async function treeOf(image: string) {
  return mergeLayers((await openImage(`docker://${image}`)).layers);
}

describe("minifyImage on the real engine", () => {
  let r: MinifyResult;
  const out = () => join(tmp, "counter");

  it("traces the Flask + Redis counter with its compose sidecar and keeps what it used; the result still counts", async () => {
    r = await minify({
      outDir: out(),
      tag: MINIFIED,
      compose: COMPOSE,
      probes: [{ kind: "http", port: 5000, path: "/", expectBody: "Hello from Python!" }, HITS],
      include: ["/usr/local/lib/python3.11/site-packages/pip"],
    });
    expect(r.trace.verify.ok).toBe(true);
    expect(r.verify.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.verify.probes[1]?.detail).toMatch(/seen 1 times.*seen 2 times.*seen 3 times/);
    expect(r.verify.sidecars.map((s) => s.service)).toEqual(["cache"]);
    expect(r.trace.executed).toContain("/usr/local/bin/python");
    expect(r.trace.interpreters).toContain("/lib64/ld-linux-x86-64.so.2");
    // The Python base with Flask is about 140 MB; the run uses a fraction of it.
    expect(r.source.bytes).toBeGreaterThan(100_000_000);
    expect(r.minified.bytes).toBeLessThan(r.source.bytes * 0.45);
    expect(r.savedBytes).toBe(r.source.bytes - r.minified.bytes);
    expect(r.closure.files).toBeLessThan(r.source.files / 4);
  });

  it("keeps no shell, no unused distribution, but the app, the loader and what --include asked for", async () => {
    const tree = await treeOf(MINIFIED);
    expect(tree.get("app/app.py")?.entry?.type).toBe("file");
    expect(tree.get("usr/local/bin/python3.11")?.entry?.type).toBe("file");
    expect(tree.get("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")?.entry?.type).toBe("file");
    // Library modules as sourceless bytecode; what --include names as it was.
    expect(tree.get("usr/local/lib/python3.11/site-packages/flask/app.pyc")?.entry?.type).toBe("file");
    expect(tree.get("usr/local/lib/python3.11/site-packages/flask/app.py")).toBeUndefined();
    expect(tree.get("usr/local/lib/python3.11/site-packages/flask/__pycache__")).toBeUndefined();
    expect(tree.get("usr/local/lib/python3.11/site-packages/pip/__init__.py")).toBeDefined();
    // Every start-up reads distutils-precedence.pth, which imports _distutils_hack (setuptools' RECORD):
    // that start-up hook is kept, setuptools itself is not.
    expect(tree.get("usr/local/lib/python3.11/site-packages/distutils-precedence.pth")).toBeDefined();
    expect(tree.get("usr/local/lib/python3.11/site-packages/_distutils_hack/__init__.pyc")).toBeDefined();
    expect(tree.get("usr/local/lib/python3.11/site-packages/setuptools")).toBeUndefined();
    expect(tree.get("usr/local/lib/python3.11/site-packages/wheel")).toBeUndefined();
    expect(tree.get("usr/bin/dash")).toBeUndefined();
    expect(tree.get("usr/bin/apt-get")).toBeUndefined();
  });

  it("writes the Dockerfile, the list and the raw trace; the list is exactly what was kept", async () => {
    expect((await readdir(out())).sort()).toEqual([
      ".dockerignore",
      "Dockerfile",
      "audit.json",
      "audit.md",
      "bytecode.py",
      "bytecode.txt",
      "closure.txt",
      "trace.log",
    ]);
    const list = (await readFile(r.files.list, "utf8")).trimEnd().split("\n");
    expect(list).toHaveLength(r.closure.paths);
    expect(list).toContain("app/app.py");
    expect(await readFile(r.files.dockerfile, "utf8")).toContain(`FROM ${SOURCE} AS source`);
    expect((await readFile(r.files.trace, "utf8")).length).toBeGreaterThan(10_000);
  });

  // Retried: on 2026-12-06 two of six rebuilds (Flask here, Django in levels) gave a different
  // first layer, not yet explained; a rebuild that differs every time still fails here.
  it("is reproducible: rebuilding the emitted Dockerfile without cache gives the same layers", {
    retry: 2,
  }, async () => {
    const again = await buildImage({
      context: out(),
      tags: [`slimstage-test/minify-counter:again-${RUN}`],
      labels: { ...LABELS },
      noCache: true,
    });
    const a = await inspectEngineImage(MINIFIED);
    const b = await inspectEngineImage(again.imageId);
    expect(b.layers).toEqual(a.layers);
  });

  it("traces the image's HEALTHCHECK too, and the minified image carries it and becomes healthy", async () => {
    // The health check imports urllib.request, which the app itself never loads.
    const ctx = join(tmp, "health-src");
    await mkdir(ctx);
    await writeFile(
      join(ctx, "Dockerfile"),
      `FROM ${SOURCE}\nHEALTHCHECK --interval=1s --timeout=3s --retries=5 CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:5000/', timeout=2)"]\nSTOPSIGNAL SIGINT\n`,
    );
    const healthSource = `slimstage-test/minify-counter:health-${RUN}`;
    await buildImage({ context: ctx, tags: [healthSource], labels: { ...LABELS } });
    const h = await minify({
      image: healthSource,
      outDir: join(tmp, "health"),
      tag: `slimstage-test/minify-counter:health-minified-${RUN}`,
      probes: [{ kind: "http", port: 5000, path: "/", expectBody: "Hello from Python!" }],
    });
    expect(h.ok).toBe(true);
    expect(h.warnings.join()).not.toMatch(/HEALTHCHECK exited/);
    const dockerfile = await readFile(h.files.dockerfile, "utf8");
    expect(dockerfile).toContain("HEALTHCHECK --interval=1s --timeout=3s --retries=5 CMD [");
    expect(dockerfile).toContain("STOPSIGNAL SIGINT");
    // urllib.request, which only the health check imports, is kept (in the standard-library archive).
    const file = JSON.parse(await readFile(h.files.audit, "utf8")) as AuditFile;
    const holder = file.compiledPaths?.find((c) =>
      c.sources.includes("usr/local/lib/python3.11/urllib/request.py"),
    );
    expect(holder?.path).toBe("usr/local/lib/python311.zip");
    expect((await treeOf(h.minified.tag)).get("usr/local/lib/python311.zip")?.entry?.size).toBe(
      holder?.bytes,
    );
    // The engine runs the carried-over health check against the minified image.
    const healthy = await verifyImage({
      image: h.minified.tag,
      probes: [],
      wait: [{ kind: "healthy" }],
      labels: { ...LABELS },
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(healthy).toMatchObject({ ok: true });
  });

  it("fails with the reason when the probes fail under the tracer, and writes nothing", async () => {
    const dir = join(tmp, "failing");
    const err = await minify({
      outDir: dir,
      probes: [{ kind: "http", port: 5000, path: "/nope", expectStatus: 200 }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect((err as Error).message).toMatch(/failed its probes while traced: .*404/);
    // The output directory it made is gone again: nothing was written.
    await expect(readdir(dir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("stops on Ctrl-C during the traced run, leaving nothing behind", async () => {
    const ac = new AbortController();
    const err = await minify({
      outDir: join(tmp, "interrupted"),
      compose: COMPOSE,
      probes: [HITS],
      signal: ac.signal,
      onProgress: (e) => {
        if (
          e.type === "verify" &&
          e.phase === "trace" &&
          e.event.type === "phase" &&
          e.event.phase === "start"
        )
          setTimeout(() => ac.abort("SIGINT"), 300);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
  });

  it("refuses a non-empty output directory, a relative --include and a missing image before running anything", async () => {
    const dir = join(tmp, "taken");
    await mkdir(dir);
    await writeFile(join(dir, "notes.txt"), "mine");
    await expect(minify({ outDir: dir, probes: [HITS] })).rejects.toThrow(/is not empty \(notes\.txt\)/);
    await expect(minify({ outDir: join(tmp, "rel"), include: ["usr/lib"] })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      minify({ outDir: join(tmp, "none"), image: "slimstage-test/no-such:image" }),
    ).rejects.toThrow(/no image "slimstage-test\/no-such:image"/);
  });
});
