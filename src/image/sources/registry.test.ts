import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { openImage } from "../open.js";
import { type FixtureImage, sha256, writeOciLayout } from "../test-helpers/image-writer.js";
import {
  type FixtureDocuments,
  fixtureDocuments,
  serveFakeRegistry,
} from "../test-helpers/registry-fixture.js";
import { parseRegistryReference } from "./registry-client.js";

const img: FixtureImage = {
  layers: [
    { compression: "gzip", files: [{ path: "etc/hello", content: "hi" }] },
    { compression: "zstd", files: [{ path: "data", size: 4096 }] },
  ],
};

let docs: FixtureDocuments;
let dir: string;
beforeAll(async () => {
  docs = await fixtureDocuments(img);
  dir = await mkdtemp(join(tmpdir(), "slimstage-registry-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as Error;
}

async function withFake<T>(
  opts: Parameters<typeof serveFakeRegistry>[1],
  f: (addr: string) => Promise<T>,
): Promise<T> {
  const fake = await serveFakeRegistry(docs, opts);
  try {
    return await f(fake.addr);
  } finally {
    await fake.close();
  }
}

describe("registry references", () => {
  it("splits host, name and tag or digest; loopback is plain http", () => {
    expect(parseRegistryReference("127.0.0.1:5000/team/app:v1")).toEqual({
      host: "127.0.0.1:5000",
      name: "team/app",
      reference: "v1",
      protocol: "http",
    });
    expect(parseRegistryReference("registry.example.org/app")).toMatchObject({
      reference: "latest",
      protocol: "https",
    });
    const d = `sha256:${"a".repeat(64)}`;
    expect(parseRegistryReference(`localhost:5000/app@${d}`)).toMatchObject({
      reference: d,
      protocol: "http",
    });
  });

  it("rejects references without a host, with a bad name, tag or digest", () => {
    for (const bad of ["app:v1", "host:5000/App", "host/app:-x", "host/app@sha256:abc", "host/"]) {
      expect(() => parseRegistryReference(bad), bad).toThrow(InputError);
    }
  });
});

describe("registry source (a fixture registry over HTTP)", () => {
  it("reads gzip and zstd layers as the OCI layout of the same image reads them", async () => {
    const layoutDir = join(dir, "layout");
    await writeOciLayout(layoutDir, img);
    const fromLayout = await openImage(`oci-layout://${layoutDir}`);
    const image = await withFake({}, (addr) => openImage(`registry://${addr}/app:v1`));
    expect(image.scheme).toBe("registry");
    expect(image.id).toBe(fromLayout.id);
    expect(image.layers.map((l) => l.compression)).toEqual(["gzip", "zstd"]);
    expect(image.layers.map((l) => [l.diffId, l.blobDigest, l.tarBytes, l.compressedBytes])).toEqual(
      fromLayout.layers.map((l) => [l.diffId, l.blobDigest, l.tarBytes, l.compressedBytes]),
    );
    expect(image.layers.map((l) => l.entries)).toEqual(fromLayout.layers.map((l) => l.entries));
    expect(image.layers.every((l) => l.verified && l.compressedSizeKind === "real")).toBe(true);
  });

  it("says what the registry answered: 401, 404 and 500", async () => {
    const e401 = await withFake({ status: 401 }, (a) => errorOf(openImage(`registry://${a}/app:v1`)));
    expect(e401.message).toMatch(
      /registry:\/\/127\.0\.0\.1:\d+\/app: the registry refused manifest v1 \(HTTP 401\)/,
    );
    const e404 = await withFake({}, (a) => errorOf(openImage(`registry://${a}/app:nope`)));
    expect(e404.message).toMatch(/manifest nope not found \(HTTP 404\)/);
    const e500 = await withFake({ status: 500 }, (a) => errorOf(openImage(`registry://${a}/app:v1`)));
    expect(e500.message).toMatch(/the registry failed on manifest v1 \(HTTP 500\)/);
  });

  it("refuses a layer whose bytes do not match the digest the manifest names", async () => {
    const layer = JSON.parse(docs.manifest.toString()).layers[1] as { digest: string };
    // The stored-zstd layer with one byte of a file's content flipped: the tar stays valid, same length.
    const forged = Buffer.from(docs.blobs.get(layer.digest) as Buffer);
    forged[600] = (forged[600] ?? 0) ^ 0xff;
    const e = await withFake({ blobOverride: new Map([[layer.digest, forged]]) }, (a) =>
      errorOf(openImage(`registry://${a}/app:v1`)),
    );
    expect(e.message).toMatch(
      /layer 1 has the wrong content: the manifest says sha256:[0-9a-f]{64}, its sha256 is/,
    );
  });

  it("refuses a manifest that lies about a layer's or the config's size", async () => {
    const m = JSON.parse(docs.manifest.toString()) as {
      config: { size: number };
      layers: { size: number }[];
    };
    const bigger = structuredClone(m);
    bigger.layers[1]!.size += 10;
    const e1 = await withFake({ manifest: Buffer.from(JSON.stringify(bigger)) }, (a) =>
      errorOf(openImage(`registry://${a}/app:v1`)),
    );
    expect(e1.message).toMatch(/layer 1 \(sha256:[0-9a-f]{64}\) is \d+ bytes, the manifest says \d+/);
    const smaller = structuredClone(m);
    smaller.config.size -= 1;
    const e2 = await withFake({ manifest: Buffer.from(JSON.stringify(smaller)) }, (a) =>
      errorOf(openImage(`registry://${a}/app:v1`)),
    );
    expect(e2.message).toMatch(/config sha256:[0-9a-f]{64} is larger than \d+ bytes/);
  });

  it("refuses a manifest whose content is not the digest it was asked by", async () => {
    const asked = sha256(docs.manifest);
    const tampered = Buffer.from(docs.manifest.toString().replace('"schemaVersion":2', '"schemaVersion": 2'));
    const e = await withFake({ manifest: tampered, anyManifestDigest: true }, (a) =>
      errorOf(openImage(`registry://${a}/app@${asked}`)),
    );
    expect(e.message).toContain(
      `manifest ${asked} has the wrong content: it should be ${asked}, its sha256 is ${sha256(tampered)}`,
    );
  });

  it("reports an unreachable registry", async () => {
    const fake = await serveFakeRegistry(docs);
    await fake.close();
    const e = await errorOf(openImage(`registry://${fake.addr}/app:v1`));
    expect(e.message).toMatch(/cannot reach the registry for manifest v1: ECONNREFUSED/);
  });
});
