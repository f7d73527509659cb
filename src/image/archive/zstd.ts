import { spawn, spawnSync } from "node:child_process";
import { Duplex, Transform, type TransformCallback } from "node:stream";
import { Decompress } from "fzstd";
import { InputError } from "../../errors.js";

/**
 * zstd layers. Node 20's zlib has no zstd, so the decoder is fzstd (pure
 * JavaScript). fzstd decodes frames with windows up to 64 MiB correctly and
 * produces wrong bytes beyond (zstd --long=27, BuildKit's zstd at
 * compression-level 22; checked against the zstd program): such frames go
 * through the zstd program when the machine has it, and are refused with
 * what to install when it does not.
 */
export const FZSTD_MAX_WINDOW = 64 * 1024 * 1024;

/** The window of the first frame, from its header (the frame content size for a single-segment frame). */
export function zstdWindowSize(head: Uint8Array): number | undefined {
  if (head.length < 6 || head[0] !== 0x28 || head[1] !== 0xb5 || head[2] !== 0x2f || head[3] !== 0xfd)
    return undefined;
  const fhd = head[4] as number;
  const singleSegment = (fhd >> 5) & 1;
  if (!singleSegment) {
    const b = head[5] as number;
    const base = 2 ** (10 + (b >> 3));
    return base + (base / 8) * (b & 7);
  }
  const did = fhd & 3;
  const fcf = fhd >> 6;
  const sizeBytes = fcf === 0 ? 1 : 1 << fcf;
  const at = 5 + (did === 3 ? 4 : did);
  if (head.length < at + sizeBytes) return undefined;
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + (head[at + i] as number);
  return size + (fcf === 1 ? 256 : 0);
}

let zstdProgram: boolean | undefined;
function haveZstdProgram(): boolean {
  zstdProgram ??= spawnSync("zstd", ["--version"], { stdio: "ignore" }).status === 0;
  return zstdProgram;
}

/** A decompressing stream for a zstd layer whose first bytes are `head`. */
export function createZstdDecompress(head: Uint8Array, name: string): Duplex {
  const window = zstdWindowSize(head);
  if (window === undefined || window <= FZSTD_MAX_WINDOW) return fzstdTransform();
  if (haveZstdProgram()) {
    // The zstd program streams with backpressure both ways; --long=31 allows any window.
    const child = spawn("zstd", ["-d", "-c", "-q", "--long=31"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
    child.on("close", (code) => {
      if (code !== 0 && code !== null)
        duplex.destroy(new Error(`zstd: ${stderr.trim() || `exit code ${code}`}`));
    });
    duplex.on("close", () => child.kill());
    return duplex;
  }
  throw new InputError(
    `${name}: zstd frame with a ${Math.round(window / 1024 / 1024)} MiB window, which the built-in decoder cannot read (it reads up to 64 MiB)`,
    { hint: "install the zstd program (apt-get install zstd): slimstage uses it for such layers" },
  );
}

/** Wraps fzstd's push-style decompressor as a Transform. */
function fzstdTransform(): Transform {
  let ended = false;
  const t: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        dec.push(chunk);
        cb();
      } catch (e) {
        cb(new Error(`zstd: ${(e as Error).message}`));
      }
    },
    flush(cb: TransformCallback) {
      try {
        dec.push(new Uint8Array(0), true);
        cb(ended ? undefined : new Error("zstd: unexpected end of data"));
      } catch (e) {
        cb(new Error(`zstd: ${(e as Error).message}`));
      }
    },
  });
  const dec = new Decompress((data, final) => {
    if (data.length > 0) t.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (final) ended = true;
  });
  return t;
}
