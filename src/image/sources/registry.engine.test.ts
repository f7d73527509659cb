/**
 * registry:// against a real registry: Debian's docker-registry on loopback,
 * started by scripts/setup-registry.sh (idempotent; scripts/test.sh runs it
 * too). An image built here is pushed by the engine and read back without
 * it; a fixture with a zstd layer behind an OCI index is pushed over the API.
 * Everything pushed is deleted from the registry again, the built image from
 * the engine.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/cli.js";
import { buildImage } from "../../engine/build/build.js";
import { pushImage, removeEngineImage } from "../../engine/images.js";
import { packageRoot } from "../../lab/paths.js";
import { analyzeImage } from "../analysis/analyze.js";
import { diffImages } from "../diff.js";
import type { Image } from "../model.js";
import { openImage } from "../open.js";
import { type FixtureImage, sha256, writeOciLayout } from "../test-helpers/image-writer.js";
import { fixtureDocuments, pushFixture } from "../test-helpers/registry-fixture.js";

const run = promisify(execFile);
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LOCAL = `slimstage-test/registry:${RUN}`;
let addr: string;
let remote: string;
let dir: string;
const pushed: { name: string; digest: string }[] = [];

async function manifestDigest(name: string, ref: string): Promise<string> {
  const res = await fetch(`http://${addr}/v2/${name}/manifests/${ref}`, {
    method: "HEAD",
    headers: {
      Accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json",
    },
  });
  return res.headers.get("docker-content-digest") ?? "";
}

beforeAll(async () => {
  const setup = await run("bash", [join(packageRoot(), "scripts", "setup-registry.sh")]);
  addr = setup.stdout.trim();
  expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
  dir = await mkdtemp(join(tmpdir(), "slimstage-registry-engine-"));
  // Three layers, one that a later one deletes: waste, whiteouts and history to compare.
  await writeFile(
    join(dir, "Dockerfile"),
    [
      "FROM debian:bookworm-slim",
      `RUN head -c 3000000 /dev/urandom > /big.bin && mkdir -p /app && echo ${RUN} > /app/run.txt`,
      "RUN rm /big.bin && ln -s /app/run.txt /app/link",
      "",
    ].join("\n"),
  );
  await buildImage({ context: dir, tags: [LOCAL], labels: { "org.slimstage.test": "registry" } });
  remote = `${addr}/slimstage-test/debian:${RUN}`;
  await run("docker", ["tag", LOCAL, remote]);
  try {
    await run("docker", ["push", remote]);
  } finally {
    await run("docker", ["rmi", remote]);
  }
  pushed.push({ name: "slimstage-test/debian", digest: await manifestDigest("slimstage-test/debian", RUN) });
}, 300_000);

afterAll(async () => {
  for (const p of pushed) {
    if (p.digest) await fetch(`http://${addr}/v2/${p.name}/manifests/${p.digest}`, { method: "DELETE" });
  }
  await removeEngineImage(LOCAL).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

let opened: Promise<[Image, Image]> | undefined;
/** The built image read from the registry and from the engine, once for the tests below. */
function both(): Promise<[Image, Image]> {
  opened ??= Promise.all([openImage(`registry://${remote}`), openImage(`docker://${LOCAL}`)]);
  return opened;
}

/** inspect --json without what names the source (and the compressed sizes, which the engine's export lacks). */
function figures(a: ReturnType<typeof analyzeImage>): string {
  const { ref: _r, scheme: _s, repoTags: _t, compressedBytes: _c, compressedSizeKind: _k, ...rest } = a;
  const layers = rest.layers.map(({ compressedBytes: _lc, compressedSizeKind: _lk, ...l }) => l);
  return JSON.stringify({ ...rest, layers }, null, 2);
}

describe("registry:// on Debian's docker-registry", () => {
  it("inspect figures equal inspect docker:// of the same image, byte for byte", async () => {
    const [fromRegistry, fromEngine] = await both();
    const a = analyzeImage(fromRegistry, { top: 20 });
    const b = analyzeImage(fromEngine, { top: 20 });
    expect(a.layers).toHaveLength(3);
    expect(a.wastedBytes).toBeGreaterThanOrEqual(3_000_000);
    expect(figures(a)).toBe(figures(b));
    // What only the registry knows: the real compressed size of each layer.
    expect(
      fromRegistry.layers.every((l) => l.compression === "gzip" && l.compressedSizeKind === "real"),
    ).toBe(true);
    expect(a.compressedBytes).toBe(fromRegistry.layers.reduce((n, l) => n + (l.compressedBytes ?? 0), 0));
  });

  it("diff registry:// docker:// of the same image finds nothing", async () => {
    const d = diffImages(...(await both()));
    expect(d.sharedLayers).toBe(3);
    expect([d.layersOnlyInA, d.layersOnlyInB, d.config]).toEqual([[], [], []]);
    expect(d.files.added.length + d.files.removed.length + d.files.changed.length).toBe(0);
  });

  it("pushImage (minify --push) puts an engine image in the registry as the engine has it", async () => {
    const target = `${addr}/slimstage-test/pushed:${RUN}`;
    const { digest } = await pushImage(LOCAL, { registry: addr, name: "slimstage-test/pushed", tag: RUN });
    try {
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      pushed.push({ name: "slimstage-test/pushed", digest: digest ?? "" });
      const [fromRegistry, fromEngine] = await Promise.all([
        openImage(`registry://${target}`),
        both().then(([, e]) => e),
      ]);
      expect(figures(analyzeImage(fromRegistry, { top: 20 }))).toBe(
        figures(analyzeImage(fromEngine, { top: 20 })),
      );
    } finally {
      await removeEngineImage(target).catch(() => undefined);
    }
  });

  it("optimize --push pushes the verified tier, and --no-keep-images still removes it locally afterwards", async () => {
    // lab-004 (a script checked by its lab.yaml's command probe) in a folder of its own: its own repository name.
    const project = join(dir, `push-${RUN}`);
    await cp(join(packageRoot(), "examples", "lab-004"), project, { recursive: true });
    const ref = `${addr}/slimstage-test/optimized:${RUN}`;
    const r = await runCli(
      ["optimize", project, "--tier", "slim", "--push", ref, "--no-keep-images", "--json"],
      {
        env: { NO_COLOR: "1" },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      tier: string;
      pushed?: { ref: string; digest?: string };
      attempts: { image: string | null }[];
    };
    expect([out.ok, out.tier, out.pushed?.ref]).toEqual([true, "slim", ref]);
    pushed.push({ name: "slimstage-test/optimized", digest: out.pushed?.digest ?? "" });
    expect(out.pushed?.digest).toBe(await manifestDigest("slimstage-test/optimized", RUN));
    await removeEngineImage(ref).catch(() => undefined);
    const local = out.attempts[0]?.image ?? "";
    expect(local).toMatch(/^slimstage-optimize\/push-/);
    await expect(run("docker", ["image", "inspect", local])).rejects.toThrow();
  }, 300_000);

  it("follows an OCI index to this platform's manifest and reads gzip and zstd layers", async () => {
    const img: FixtureImage = {
      layers: [
        { compression: "gzip", files: [{ path: "etc/hello", content: RUN }] },
        { compression: "zstd", files: [{ path: "data", size: 70_000 }] },
      ],
    };
    const docs = await fixtureDocuments(img);
    const name = `slimstage-test/fixture-${RUN}`;
    await pushFixture(addr, name, "index", docs, true);
    pushed.push({ name, digest: sha256(docs.index) }, { name, digest: sha256(docs.manifest) });
    const layout = join(dir, "layout");
    await writeOciLayout(layout, img);
    const [a, b] = await Promise.all([
      openImage(`registry://${addr}/${name}:index`),
      openImage(`oci-layout://${layout}`),
    ]);
    expect(a.layers.map((l) => l.compression)).toEqual(["gzip", "zstd"]);
    expect(a.id).toBe(b.id);
    expect(a.layers.map((l) => [l.diffId, l.compressedBytes, l.entries])).toEqual(
      b.layers.map((l) => [l.diffId, l.compressedBytes, l.entries]),
    );
  });
});

/**
 * A front that asks for credentials (Basic, or Bearer from its own token
 * service that checks them) and forwards what it lets through to the real
 * registry: the docker CLI's login flows, against the registry's own answers.
 */
async function authFront(
  mode: "basic" | "bearer",
): Promise<{ addr: string; close: () => Promise<void>; seen: string[] }> {
  const { createServer } = await import("node:http");
  const BASIC = `Basic ${Buffer.from("ci-user:s3cret pass").toString("base64")}`;
  const TOKEN = "tok-123";
  const seen: string[] = [];
  const server = createServer(async (req, res) => {
    const url = req.url ?? "/";
    seen.push(`${req.method} ${url.split("?")[0]} ${req.headers.authorization?.split(" ")[0] ?? "-"}`);
    if (url.startsWith("/token")) {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: TOKEN }));
      return;
    }
    const want = mode === "basic" ? BASIC : `Bearer ${TOKEN}`;
    if (req.headers.authorization !== want) {
      const host = req.headers.host ?? "";
      const challenge =
        mode === "basic"
          ? 'Basic realm="slimstage-test"'
          : `Bearer realm="http://${host}/token",service="slimstage-test"`;
      res.writeHead(401, { "www-authenticate": challenge, "content-type": "application/json" });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const up = await fetch(`http://${addr}${url}`, {
      method: req.method ?? "GET",
      headers: { accept: req.headers.accept ?? "*/*" },
    });
    const headers: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (k !== "content-encoding" && k !== "transfer-encoding") headers[k] = v;
    });
    res.writeHead(up.status, headers);
    res.end(Buffer.from(await up.arrayBuffer()));
  });
  const port = await new Promise<number>((r) =>
    server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port)),
  );
  return {
    addr: `127.0.0.1:${port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("registry:// with credentials where `docker login` keeps them", () => {
  const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
  let conf: string;
  beforeAll(async () => {
    conf = await mkdtemp(join(tmpdir(), "slimstage-docker-config-"));
  });
  afterAll(async () => {
    process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    process.env.PATH = saved.PATH;
    await rm(conf, { recursive: true, force: true });
  });

  for (const mode of ["basic", "bearer"] as const) {
    it(`reads through a ${mode} challenge with the auths of config.json, and says how to log in without them`, async () => {
      const front = await authFront(mode);
      try {
        const ref = `registry://${front.addr}/slimstage-test/debian:${RUN}`;
        process.env.DOCKER_CONFIG = join(conf, "none");
        const refused = await openImage(ref).catch((e: unknown) => e);
        expect(refused).toMatchObject({ kind: "input" });
        expect((refused as { hint?: string }).hint).toMatch(
          new RegExp(
            `no credentials for ${front.addr.replace(/\./g, "\\.")} in .*config\\.json: \`docker login`,
          ),
        );
        process.env.DOCKER_CONFIG = conf;
        await writeFile(
          join(conf, "config.json"),
          JSON.stringify({
            auths: { [front.addr]: { auth: Buffer.from("ci-user:s3cret pass").toString("base64") } },
          }),
        );
        const [viaFront, direct] = await Promise.all([openImage(ref), both().then(([r]) => r)]);
        expect(figures(analyzeImage(viaFront))).toBe(
          figures(analyzeImage(direct)).replaceAll(addr, front.addr),
        );
        expect(front.seen.some((l) => l.endsWith(mode === "basic" ? " Basic" : " Bearer"))).toBe(true);
        if (mode === "bearer") expect(front.seen).toContain("GET /token Basic");
        // Wrong credentials: refused, naming where they came from.
        await writeFile(
          join(conf, "config.json"),
          JSON.stringify({ auths: { [front.addr]: { username: "ci-user", password: "wrong" } } }),
        );
        const wrong = await openImage(ref).catch((e: unknown) => e);
        expect((wrong as { hint?: string }).hint).toMatch(
          /refused the credentials from .*config\.json \(auths\[/,
        );
      } finally {
        await front.close();
      }
    }, 120_000);
  }

  it("asks the credential helper config.json names (credsStore), as the docker CLI does", async () => {
    const front = await authFront("basic");
    try {
      const bin = join(conf, "bin");
      await run("mkdir", ["-p", bin]);
      const helper = join(bin, "docker-credential-slimtest");
      // The helper protocol: `get`, the server on stdin, {Username, Secret} on stdout.
      await writeFile(
        helper,
        `#!/bin/sh\nread host\n[ "$host" = "${front.addr}" ] || { echo "credentials not found in native keychain"; exit 1; }\necho '{"ServerURL":"'"$host"'","Username":"ci-user","Secret":"s3cret pass"}'\n`,
        { mode: 0o755 },
      );
      process.env.PATH = `${bin}:${saved.PATH ?? ""}`;
      process.env.DOCKER_CONFIG = conf;
      await writeFile(join(conf, "config.json"), JSON.stringify({ credsStore: "slimtest" }));
      const img = await openImage(`registry://${front.addr}/slimstage-test/debian:${RUN}`);
      expect(img.layers.length).toBeGreaterThan(1);
    } finally {
      await front.close();
    }
  }, 120_000);
});
