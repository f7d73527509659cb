import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { exportImage, inspectEngineImage, listEngineImages, removeEngineImage } from "../engine/images.js";
import { InputError } from "../errors.js";
import { analyzeImage } from "./analysis/analyze.js";
import { diffImages } from "./diff.js";
import { openImage } from "./open.js";

const DEBIAN = "slimstage/debian:bookworm-slim";
const PYTHON = "slimstage/python:3.11-slim";
const NODE = "slimstage/node:22-slim";
const TAG = `slimstage-test/image-waste:${process.pid}`;
const LABEL = "org.slimstage.test=image";
const MiB = 1024 * 1024;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-image-engine-"));
  // Fails loudly (never skips) when scripts/test.sh has not built the local bases.
  await inspectEngineImage(DEBIAN);
  await writeFile(
    join(dir, "Dockerfile"),
    [
      `FROM ${DEBIAN}`,
      "RUN head -c 20971520 /dev/urandom > /big.bin && mkdir -p /app && echo hi > /app/keep.txt",
      "RUN rm /big.bin",
      "WORKDIR /app",
      "",
    ].join("\n"),
  );
  await buildImage({ context: dir, tags: [TAG], labels: { "org.slimstage.test": "image" } });
});

afterAll(async () => {
  await removeEngineImage(TAG);
  await rm(dir, { recursive: true, force: true });
  const left = await listEngineImages(LABEL);
  expect(left.filter((i) => i.repoTags.includes(TAG))).toEqual([]);
});

describe("images from the engine", () => {
  it("finds the 20 MiB file deleted in a later layer, in slimstage's and dive's terms", async () => {
    const img = await openImage(`docker://${TAG}`);
    const a = analyzeImage(img);
    const base = await openImage(`docker://${DEBIAN}`);
    // BuildKit makes a layer for WORKDIR too (it holds the /app directory entry).
    expect(img.layers.length).toBe(base.layers.length + 3);
    const add = a.layers.find((l) => l.createdBy.includes("head -c 20971520"))!;
    const del = a.layers.find((l) => l.createdBy.includes("rm /big.bin"))!;
    expect(add.size).toBeGreaterThanOrEqual(20 * MiB);
    expect(add.wastedBytes).toBe(20 * MiB);
    expect(del.removed).toEqual({ files: 1, bytes: 20 * MiB });
    expect(a.wastedBytes).toBe(20 * MiB);
    expect(a.wastedFiles[0]).toMatchObject({ path: "/big.bin", bytes: 20 * MiB, how: "deleted" });
    // dive counts the deleted file once (its whiteout weighs 0), so both report 20 MiB here.
    expect(a.dive.wastedBytes).toBe(20 * MiB);
    expect(a.findings.map((f) => f.id)).toContain("wasted-layers");
    expect(a.byOwner.find((o) => o.kind === "app")?.bytes).toBe(3); // /app/keep.txt, under WORKDIR
    // The engine's own size for the image (sum of its layers) agrees with ours within 1%.
    const info = await inspectEngineImage(TAG);
    expect(Math.abs(info.size - a.totalBytes) / info.size).toBeLessThan(0.01);
  });

  it("reads the engine stream and a docker save of it the same way", async () => {
    const file = join(dir, "saved.tar");
    await pipeline(await exportImage(TAG), createWriteStream(file));
    const fromFile = await openImage(`docker-archive://${file}`);
    const fromEngine = await openImage(`docker://${TAG}`);
    expect(fromFile.id).toBe(fromEngine.id);
    expect(fromFile.layers.map((l) => l.diffId)).toEqual(fromEngine.layers.map((l) => l.diffId));
    expect(fromFile.id).toBe((await inspectEngineImage(TAG)).id);
  });

  it("attributes the Debian base to its dpkg packages", async () => {
    const a = analyzeImage(await openImage(`docker://${DEBIAN}`));
    expect(a.byOwnerKind["os-package"] / a.finalBytes).toBeGreaterThan(0.9);
    expect(a.packages.find((p) => p.name === "libc6")).toMatchObject({ ecosystem: "deb" });
    expect(a.packages.find((p) => p.name === "libc6")!.bytes).toBeGreaterThan(5 * MiB);
    expect(a.warnings).toEqual([]);
  });

  it("attributes the Python base to CPython and its pip-installed distributions", async () => {
    const a = analyzeImage(await openImage(`docker://${PYTHON}`));
    const pip = a.packages.find((p) => p.ecosystem === "python" && p.name === "pip");
    expect(pip?.bytes).toBeGreaterThan(1 * MiB);
    expect(a.byOwner.find((o) => o.kind === "python" && o.name === "cpython")?.bytes).toBeGreaterThan(
      10 * MiB,
    );
    expect(a.byOwnerKind.unknown / a.finalBytes).toBeLessThan(0.1);
  });

  it("attributes the Node base to the node runtime and npm's packages, and flags its headers", async () => {
    const a = analyzeImage(await openImage(`docker://${NODE}`));
    expect(a.byOwner.find((o) => o.kind === "npm" && o.name === "node")?.bytes).toBeGreaterThan(50 * MiB);
    expect(a.packages.find((p) => p.ecosystem === "npm" && p.name === "npm")?.version).toMatch(
      /^\d+\.\d+\.\d+/,
    );
    expect(a.byOwnerKind.app).toBe(0);
    expect(a.byOwnerKind.unknown / a.finalBytes).toBeLessThan(0.05);
  });

  it("diffs the built image against its base: only the /app files are added", async () => {
    const d = diffImages(await openImage(`docker://${DEBIAN}`), await openImage(`docker://${TAG}`));
    expect(d.layersOnlyInB).toHaveLength(3);
    expect(d.files.added.map((f) => f.path)).toEqual(["/app/keep.txt"]);
    expect(d.config.map((c) => c.field)).toContain("workdir");
  });

  it("says clearly when the engine has no such image", async () => {
    const err = await openImage("docker://slimstage-test/does-not-exist:none").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/no image "slimstage-test\/does-not-exist:none" in the engine/);
  });
});
