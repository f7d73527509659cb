/**
 * Registry fixtures: fixture images pushed to a real registry over the
 * distribution API (monolithic blob uploads, then the manifest), and a small
 * in-process registry whose answers a test can falsify (status codes, lying
 * manifests) to check that the registry source refuses them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildLayer, type FixtureImage, imageConfig, sha256 } from "./image-writer.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

export interface FixtureDocuments {
  /** digest -> bytes: config and layer blobs. */
  blobs: Map<string, Buffer>;
  manifest: Buffer;
  /** An OCI index over the manifest (linux/amd64) and a second platform that must not be picked. */
  index: Buffer;
}

/** The documents of a fixture image: blobs, its OCI manifest, and an index over it. */
export async function fixtureDocuments(img: FixtureImage): Promise<FixtureDocuments> {
  const layers = await Promise.all(img.layers.map(buildLayer));
  const config = imageConfig(img, layers);
  const blobs = new Map<string, Buffer>([[sha256(config), config]]);
  for (const l of layers) blobs.set(l.digest, l.blob);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: sha256(config),
        size: config.length,
      },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(manifest),
          size: manifest.length,
          platform: { os: "linux", architecture: "arm64" },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(manifest),
          size: manifest.length,
          platform: { os: "linux", architecture: "amd64" },
        },
      ],
    }),
  );
  return { blobs, manifest, index };
}

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** Pushes a fixture image to `http://ADDR/v2/NAME` under `tag` (as an index when `asIndex`). */
export async function pushFixture(
  addr: string,
  name: string,
  tag: string,
  docs: FixtureDocuments,
  asIndex = false,
): Promise<void> {
  const base = `http://${addr}/v2/${name}`;
  for (const [digest, bytes] of docs.blobs) {
    const start = await ok(await fetch(`${base}/blobs/uploads/`, { method: "POST" }), `upload ${digest}`);
    const location = new URL(start.headers.get("location") ?? "", `http://${addr}`);
    location.searchParams.set("digest", digest);
    await ok(
      await fetch(location, {
        method: "PUT",
        body: bytes,
        headers: { "Content-Type": "application/octet-stream" },
      }),
      `put ${digest}`,
    );
  }
  const putManifest = async (ref: string, body: Buffer, type: string) =>
    ok(
      await fetch(`${base}/manifests/${ref}`, { method: "PUT", body, headers: { "Content-Type": type } }),
      `manifest ${ref}`,
    );
  if (asIndex) {
    await putManifest(sha256(docs.manifest), docs.manifest, OCI_MANIFEST);
    await putManifest(tag, docs.index, OCI_INDEX);
  } else {
    await putManifest(tag, docs.manifest, OCI_MANIFEST);
  }
}

/** A fake registry's answers: by default it serves `docs` faithfully under repository "app", tag "v1". */
export interface FakeRegistryOptions {
  /** Answer every request with this status (a 401 carries a Basic challenge: no anonymous token). */
  status?: number;
  /** Serve this instead of the manifest (a manifest that lies about a blob). */
  manifest?: Buffer;
  /** Serve these bytes for a blob digest (content that does not match its name). */
  blobOverride?: Map<string, Buffer>;
  /** Serve the manifest whatever digest is asked for. */
  anyManifestDigest?: boolean;
}

export async function serveFakeRegistry(
  docs: FixtureDocuments,
  opts: FakeRegistryOptions = {},
): Promise<{ addr: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    requests.push(`${req.method} ${url}`);
    if (opts.status !== undefined) {
      if (opts.status === 401) res.setHeader("WWW-Authenticate", 'Basic realm="fixture"');
      res.writeHead(opts.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "FIXTURE", message: `status ${opts.status}` }] }));
      return;
    }
    const manifest = opts.manifest ?? docs.manifest;
    const m = /^\/v2\/app\/(manifests|blobs)\/([^/?]+)$/.exec(url);
    let body: Buffer | undefined;
    let type = "application/octet-stream";
    if (m?.[1] === "manifests" && (m[2] === "v1" || m[2] === sha256(manifest) || opts.anyManifestDigest)) {
      body = manifest;
      type = OCI_MANIFEST;
    } else if (m?.[1] === "blobs") {
      body = opts.blobOverride?.get(m[2] ?? "") ?? docs.blobs.get(m[2] ?? "");
    }
    if (!body) {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      return;
    }
    res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
