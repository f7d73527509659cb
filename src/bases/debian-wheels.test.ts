import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildError, InterruptedError } from "../errors.js";
import {
  DEBIAN_WHEELS,
  type DebianWheel,
  debianMirror,
  debianWheelFor,
  debianWheelsDir,
  ensureDebianWheels,
} from "./debian-wheels.js";

// A loopback mirror: serves one tarball, stalls on /slow, counts requests.
let server: Server;
let mirror: string;
let requests = 0;
const TARBALL = Buffer.from("not really a tarball");
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slimstage-debwheels-"));
  server = createServer((req, res) => {
    requests++;
    if (req.url?.startsWith("/slow/")) return; // never answers: only an abort ends it
    if (req.url === "/pool/x/x_1.0.orig.tar.gz") res.end(TARBALL);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

const row = (over: Partial<DebianWheel>): DebianWheel => ({
  project: "slimstage-fixture-x",
  version: "1.0",
  pool: "pool/x/x_1.0.orig.tar.gz",
  sha256: createHash("sha256").update(TARBALL).digest("hex"),
  why: "a test",
  ...over,
});

describe("wheels built from Debian's sources", () => {
  it("the table pins async-timeout 5.0.1 by sha256, and the mirror is overridable", () => {
    expect(debianWheelFor("Async_Timeout")).toMatchObject({ project: "async-timeout", version: "5.0.1" });
    expect(DEBIAN_WHEELS.every((w) => /^[0-9a-f]{64}$/.test(w.sha256))).toBe(true);
    expect(debianMirror({})).toBe("http://deb.debian.org/debian");
    expect(debianMirror({ SLIMSTAGE_DEBIAN_MIRROR: "http://mirror.local/debian/" })).toBe(
      "http://mirror.local/debian",
    );
  });

  it("a tarball whose hash differs from the table is a clear error", async () => {
    const cacheDir = path.join(root, "a");
    const err = await ensureDebianWheels(cacheDir, {
      signal: new AbortController().signal,
      wheels: [row({ sha256: "0".repeat(64) })],
      env: { SLIMSTAGE_DEBIAN_MIRROR: mirror },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as Error).message).toMatch(/has sha256 [0-9a-f]{64}, not the pinned 0{64}/);
    // Nothing half-built is left in the cache folder.
    expect(await readdir(debianWheelsDir(cacheDir))).toEqual([]);
  });

  it("a wheel already built is not downloaded again", async () => {
    const cacheDir = path.join(root, "b");
    await mkdir(debianWheelsDir(cacheDir), { recursive: true });
    await writeFile(path.join(debianWheelsDir(cacheDir), "slimstage_fixture_x-1.0-py3-none-any.whl"), "");
    const before = requests;
    await ensureDebianWheels(cacheDir, {
      signal: new AbortController().signal,
      wheels: [row({})],
      env: { SLIMSTAGE_DEBIAN_MIRROR: mirror },
    });
    expect(requests).toBe(before);
  });

  it("the run's signal aborts a download", async () => {
    const ac = new AbortController();
    const p = ensureDebianWheels(path.join(root, "c"), {
      signal: ac.signal,
      wheels: [row({ pool: "pool/x/x_1.0.orig.tar.gz" })],
      env: { SLIMSTAGE_DEBIAN_MIRROR: `${mirror}/slow` },
    });
    setTimeout(() => ac.abort("SIGINT"), 200);
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
  });
});
