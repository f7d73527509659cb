/**
 * registry:// against a real registry: Debian's docker-registry on loopback,
 * started by scripts/setup-registry.sh (idempotent; scripts/test.sh runs it
 * too). An image built here is pushed by the engine and read back without
 * it; a fixture with a zstd layer behind an OCI index is pushed over the API.
 * Everything pushed is deleted from the registry again, the built image from
 * the engine.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../../engine/build.js";
import { removeEngineImage } from "../../engine/images.js";
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
