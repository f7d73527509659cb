/**
 * The failure classes of issue #14 as fixture apps on the real engine: only
 * `/` is probed, then the requests the probe never sent go to the source and
 * to the minified image, and the answers must match at --level safe. At
 * --level tight they may break, and the warnings must name the units at risk.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { containerState, createContainer, startContainer } from "../engine/containers.js";
import { inspectEngineImage } from "../engine/images.js";
import { createNetwork } from "../engine/networks.js";
import { mergeLayers, nodeSize, walk } from "../image/filetree.js";
import { openImage } from "../image/open.js";
import type { AuditFile } from "./audit.js";
import { type MinifyOptions, type MinifyResult, minifyImage } from "./minify.js";

const RUN = randomBytes(3).toString("hex");
const LABELS = { "org.slimstage.test": `minify-levels-${RUN}` } as const;
const NODE_DIR = fileURLToPath(new URL("./testdata/node-lazy/", import.meta.url));
const DJANGO_DIR = fileURLToPath(new URL("./testdata/django-site/", import.meta.url));
const NODE_SRC = `slimstage-test/minify-node-lazy:${RUN}`;
const DJANGO_SRC = `slimstage-test/minify-django:${RUN}`;

interface Req {
  method?: "GET" | "POST";
  path: string;
  body?: string;
  contentType?: string;
}
/** What the probe of `/` never asks for. */
const NODE_REQUESTS: Req[] = [
  { method: "POST", path: "/echo", body: '{"name":"Zoë"}', contentType: "application/json; charset=utf-8" },
  { method: "POST", path: "/note", body: "caf\u00e9 au lait", contentType: "text/plain; charset=iso-8859-1" },
  { path: "/favicon.txt" },
  { path: "/_next/static/chunks/main-3f2a1b.js" },
  { path: "/plugin/shout" },
];
const DJANGO_REQUESTS: Req[] = [
  { path: "/time/" },
  { path: "/plugin/report/" },
  { path: "/page/" },
  { path: "/no/such/page/" },
  { path: "/admin/login/" },
  { path: "/static/admin/css/base.css" },
];

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "slimstage-minify-levels-"));
  // The Node app's dependencies come from the npm registry through the host's npm (the build has no network).
  const nodeCtx = join(tmp, "node-ctx");
  await cp(NODE_DIR, nodeCtx, { recursive: true });
  await promisify(execFile)("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: nodeCtx,
    timeout: 180_000,
  });
  // Django's wheels (binary or pure-Python, for CPython 3.11) come from the host's pip index, mounted into the build.
  const djangoCtx = join(tmp, "django-ctx");
  await cp(DJANGO_DIR, djangoCtx, { recursive: true });
  await promisify(execFile)(
    "python3",
    [
      "-m",
      "pip",
      "download",
      "-q",
      "--only-binary=:all:",
      "--python-version",
      "3.11",
      "-d",
      join(djangoCtx, "wheels"),
    ].concat(["-r", join(djangoCtx, "requirements.txt")]),
    { timeout: 180_000, env: { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" } },
  );
  await Promise.all([
    buildImage({ context: nodeCtx, tags: [NODE_SRC], labels: { ...LABELS } }),
    buildImage({ context: djangoCtx, tags: [DJANGO_SRC], labels: { ...LABELS } }),
  ]);
}, 600_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await removeByLabel(await connectEngine(), LABELS, { images: true });
});

async function minify(o: Partial<MinifyOptions> & Pick<MinifyOptions, "image" | "probes">, name: string) {
  return minifyImage({
    outDir: join(tmp, name),
    tag: `slimstage-test/minify-levels-${name}:${RUN}`,
    labels: { ...LABELS },
    timeoutMs: 120_000,
    ...o,
  });
}

/** Runs `image` on a network of its own and sends `requests` from the host; the answers, normalised. */
async function answers(image: string, port: number, requests: readonly Req[]): Promise<string[]> {
  const engine = await connectEngine();
  const net = await createNetwork(engine, { labels: { ...LABELS } });
  const id = await createContainer(engine, {
    image,
    labels: { ...LABELS },
    network: { name: net.name, aliases: [] },
  });
  try {
    await startContainer(engine, id);
    const ip = (await containerState(engine, id)).ips[net.name];
    const base = `http://${ip}:${port}`;
    // Ready when `/` answers (bounded: 60 s).
    const until = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${base}/`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > until) throw new Error(`${image} did not answer on ${base}/`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const out: string[] = [];
    for (const r of requests) {
      const res = await fetch(`${base}${r.path}`, {
        method: r.method ?? "GET",
        ...(r.body ? { body: r.body, headers: { "content-type": r.contentType ?? "text/plain" } } : {}),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await res.text())
        // Per-response values: Django's CSRF tokens.
        .replace(/csrfmiddlewaretoken" value="[^"]+"/g, 'csrfmiddlewaretoken" value="-"')
        // Django's debug 404 page names the request URL: each run's container address.
        .replaceAll(ip ?? "\u0000", "IP");
      out.push(`${r.method ?? "GET"} ${r.path} -> ${res.status} ${body.length} ${body.slice(0, 120)}`);
    }
    return out;
  } finally {
    await engine.docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
    await engine.docker
      .getNetwork(net.id)
      .remove()
      .catch(() => undefined);
  }
}

/** The regular-file bytes and non-directory entries of an image's final file system, read from the engine. */
async function fileSystem(image: string): Promise<{ files: number; bytes: number }> {
  const tree = mergeLayers((await openImage(`docker://${image}`)).layers);
  let files = 0;
  let bytes = 0;
  walk(tree.root, "", (n) => {
    if (n.children !== null || n.parent === null) return;
    files++;
    bytes += nodeSize(n);
  });
  return { files, bytes };
}

/** The audit reconciles to the byte with both images as the engine has them. */
async function checkAudit(r: MinifyResult): Promise<void> {
  const file = JSON.parse(await readFile(r.files.audit, "utf8")) as AuditFile;
  expect(file.kept).toEqual(r.audit.kept);
  expect(r.audit.kept.bytes).toBe(r.closure.bytes);
  expect(r.audit.kept.bytes + r.audit.removed.bytes).toBe(r.audit.source.bytes);
  expect(file.keptPaths.reduce((s, p) => s + p.bytes, 0)).toBe(r.audit.kept.bytes);
  expect(file.removedPaths.reduce((s, p) => s + p.bytes, 0)).toBe(r.audit.removed.bytes);
  expect(r.audit.removedByOwner.reduce((s, g) => s + g.bytes, 0)).toBe(r.audit.removed.bytes);
  expect(await fileSystem(r.source.image)).toEqual(r.audit.source);
  // The minified image is one layer of exactly the kept files and the compiled bytecode: the engine's size is their bytes.
  const compiled = r.audit.compiled ?? { files: 0, bytes: 0 };
  expect(file.compiledPaths?.reduce((s, p) => s + p.bytes, 0) ?? 0).toBe(compiled.bytes);
  expect(await fileSystem(r.minified.tag)).toEqual({
    files: r.audit.kept.files + compiled.files,
    bytes: r.audit.kept.bytes + compiled.bytes,
  });
  expect(r.minified.bytes).toBe(r.audit.kept.bytes + compiled.bytes);
  expect((await stat(r.files.trace)).mode & 0o777).toBe(0o600);
}

describe("minify --level safe keeps what the app may load (Node: lazy charset tables, static files, Next.js-style assets, a plugin by name)", () => {
  const probe = { kind: "http", port: 3000, path: "/", expectBody: "hello from node" } as const;
  let safe: MinifyResult;

  it("answers every request the probe never sent as the source does", async () => {
    safe = await minify({ image: NODE_SRC, probes: [probe] }, "node-safe");
    expect(safe.ok).toBe(true);
    expect(safe.level).toBe("safe");
    // What the differential check found beyond the probe was compared, not traced: said so.
    expect(safe.warnings.join("\n")).toMatch(
      /thin trace: \d+ requests found by discovery were not traced, only compared .*GET :3000\/\.slimstage-must-not-exist \(must not exist\)/,
    );
    const want = await answers(NODE_SRC, 3000, NODE_REQUESTS);
    expect(want.every((a) => / -> 200 /.test(a))).toBe(true);
    expect(await answers(safe.minified.tag, 3000, NODE_REQUESTS)).toEqual(want);
    // Within the target: the node binary and at most 8 MB more.
    const node = (await openImage(`docker://${NODE_SRC}`)).layers
      .flatMap((l) => l.entries)
      .find((e) => e.path === "usr/local/bin/node");
    expect(safe.minified.bytes).toBeLessThanOrEqual((node?.size ?? 0) + 8_000_000);
  });

  it("keeps iconv-lite whole as body-parser's dependency, and says why in the audit", async () => {
    const file = JSON.parse(await readFile(safe.files.audit, "utf8")) as AuditFile;
    const table = file.keptPaths.find(
      (p) => p.path === "app/node_modules/iconv-lite/encodings/sbcs-data-generated.js",
    );
    expect(table).toMatchObject({ unit: "npm:iconv-lite" });
    expect(["unit", "dependency"]).toContain(table?.reason);
    expect(file.keptPaths.find((p) => p.path === "app/plugins/shout.js")).toMatchObject({ reason: "app" });
    expect(safe.audit.removedByOwner.some((g) => g.kind === "debian" && g.name === "dash")).toBe(true);
    await checkAudit(safe);
  });

  // Retried: on 2026-12-06 two of six rebuilds (Flask here, Django in levels) gave a different
  // first layer, not yet explained; a rebuild that differs every time still fails here.
  it("is reproducible: a rebuild of the emitted Dockerfile without cache gives the same layers", {
    retry: 2,
  }, async () => {
    const again = await buildImage({
      context: join(tmp, "node-safe"),
      tags: [`slimstage-test/minify-levels-again:${RUN}`],
      labels: { ...LABELS },
      noCache: true,
    });
    expect((await inspectEngineImage(again.imageId)).layers).toEqual(
      (await inspectEngineImage(safe.minified.tag)).layers,
    );
  });

  it("at --level tight, the warnings name the units kept in part", async () => {
    const tight = await minify({ image: NODE_SRC, probes: [probe], level: "tight" }, "node-tight");
    expect(tight.ok).toBe(true);
    const w = tight.warnings.join("\n");
    expect(w).toMatch(/kept in part.*npm:iconv-lite/);
    expect(w).toMatch(/kept in part.*app:\/app/);
    expect(w).toMatch(/thin trace: app:\/app has modules loaded by computed names \(\/app\/server\.js/);
    expect(tight.minified.bytes).toBeLessThan(safe.minified.bytes);
    await checkAudit(tight);
  });
});

describe("minify --level safe keeps what the app may load (Django: admin, templates, 404 page, time zones, a plugin by name)", () => {
  const probe = { kind: "http", port: 8000, path: "/", expectBody: "hello from django" } as const;
  let safe: MinifyResult;

  it("answers every request the probe never sent as the source does", async () => {
    safe = await minify({ image: DJANGO_SRC, probes: [probe] }, "django-safe");
    expect(safe.ok).toBe(true);
    const want = await answers(DJANGO_SRC, 8000, DJANGO_REQUESTS);
    expect(want.map((a) => a.split(" ")[3])).toEqual(["200", "200", "200", "404", "200", "200"]);
    expect(await answers(safe.minified.tag, 8000, DJANGO_REQUESTS)).toEqual(want);
    await checkAudit(safe);
    // Kept whole because the run touched them; never touched: not kept.
    const file = JSON.parse(await readFile(safe.files.audit, "utf8")) as AuditFile;
    const unit = (p: string) => file.keptPaths.find((k) => k.path === p)?.unit;
    // Library sources ship as sourceless bytecode: the source is removed as compiled, its .pyc is in the image.
    expect(
      file.removedPaths.find((k) => k.path === "usr/local/lib/python3.11/encodings/unicode_escape.py"),
    ).toMatchObject({ compiled: true });
    // The standard library's pure-Python packages go into the interpreter's zip archive; site-packages stay loose.
    expect(
      file.compiledPaths?.find((c) =>
        c.sources.includes("usr/local/lib/python3.11/encodings/unicode_escape.py"),
      ),
    ).toMatchObject({ path: "usr/local/lib/python311.zip", archive: true });
    expect(safe.audit.compiled?.archive?.modules).toBeGreaterThan(100);
    expect(
      file.compiledPaths?.some(
        (c) => c.path === "usr/local/lib/python3.11/site-packages/django/__init__.pyc",
      ),
    ).toBe(true);
    expect(safe.audit.compiled?.asSource).toBe(0);
    expect(
      unit("usr/local/lib/python3.11/site-packages/django/contrib/admin/templates/admin/base.html"),
    ).toBe("python:django");
    expect(unit("usr/share/zoneinfo/Asia/Tokyo")).toBe("system:tzdata");
    expect(file.keptPaths.some((k) => k.path.includes("/site-packages/pip/"))).toBe(false);
  });

  // Retried: on 2026-12-06 two of six rebuilds (Flask here, Django in levels) gave a different
  // first layer, not yet explained; a rebuild that differs every time still fails here.
  it("is reproducible with its bytecode stage: a rebuild without cache gives the same layers", {
    retry: 2,
  }, async () => {
    expect(safe.audit.compiled?.files).toBeGreaterThan(100);
    const again = await buildImage({
      context: join(tmp, "django-safe"),
      tags: [`slimstage-test/minify-levels-again:${RUN}-py`],
      labels: { ...LABELS },
      noCache: true,
    });
    expect((await inspectEngineImage(again.imageId)).layers).toEqual(
      (await inspectEngineImage(safe.minified.tag)).layers,
    );
  });

  it("at --level tight, the warnings name the units kept in part and the computed imports", async () => {
    // Tight keeps only traced files: unprobed routes may break there (the differential check,
    // minify's default, finds them), which is what safe is for. Here the warnings are under test.
    const tight = await minify(
      { image: DJANGO_SRC, probes: [probe], level: "tight", differential: false },
      "django-tight",
    );
    expect(tight.ok).toBe(true);
    const w = tight.warnings.join("\n");
    expect(w).toMatch(/kept in part.*python:django \(/);
    expect(w).toMatch(/kept in part.*app:\/app/);
    expect(w).toMatch(
      /thin trace: app:\/app has modules loaded by computed names \(\/app\/site_app\/views\.py/,
    );
    expect(tight.minified.bytes).toBeLessThan(tight.source.bytes / 2);
    await checkAudit(tight);
  });
});
