import { spawn, spawnSync } from "node:child_process";
import { Duplex } from "node:stream";
import { Decompress } from "fzstd";
import { InputError, LimitError } from "../../errors.js";
import { ZstdFrameGuard } from "./zstd-frames.js";

/**
 * zstd layers. Node 20's zlib has no zstd, so the decoder is fzstd (pure
 * JavaScript). fzstd decodes frames with windows up to 64 MiB correctly and
 * produces wrong bytes beyond (zstd --long=27, BuildKit's zstd at
 * compression-level 22; checked against the zstd program): such frames go
 * through the zstd program when the machine has it, and are refused with
 * what to install when it does not.
 */
export const FZSTD_MAX_WINDOW = 64 * 1024 * 1024;

/**
 * The largest window the zstd program is allowed: the decoder holds a whole
 * window in memory, and a frame header may claim up to 2 GiB (--long=31).
 * 128 MiB covers zstd --long=27 and level 22 (BuildKit's highest).
 */
export const ZSTD_MAX_WINDOW = 128 * 1024 * 1024;

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
  if (window === undefined || window <= FZSTD_MAX_WINDOW) return fzstdTransform(name);
  if (window > ZSTD_MAX_WINDOW)
    throw new LimitError(
      `${name}: zstd frame with a ${Math.round(window / 1024 / 1024)} MiB window, over the ${ZSTD_MAX_WINDOW / 1024 / 1024} MiB that slimstage decodes (the decoder holds a whole window in memory)`,
    );
  if (haveZstdProgram()) {
    // The zstd program streams with backpressure both ways; --memory caps the window it
    // accepts in later frames too (the header check above sees only the first).
    const child = spawn(
      "zstd",
      ["-d", "-c", "-q", "--long=27", `--memory=${ZSTD_MAX_WINDOW / 1024 / 1024}MB`],
      {
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
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

/**
 * fzstd's decoder as a stream that holds a bounded amount of output. fzstd
 * decodes everything it is given in one call and hands over each block: an
 * RLE block is 4 bytes of input for up to 128 KiB of output, so a 64 KiB
 * chunk could turn into 2 GiB before anything downstream (the ratio guard)
 * sees it. Feeding it FZSTD_SLICE bytes at a time and yielding (which waits
 * for the consumer) caps the output held at once to ~8 MiB.
 */
export const FZSTD_SLICE = 256;

function fzstdTransform(name: string): Duplex {
  return Duplex.from(async function* (source: AsyncIterable<Buffer>) {
    const out: Buffer[] = [];
    let ended = false;
    const dec = new Decompress((data, final) => {
      // fzstd may hand over a view of its own window buffer: copy before keeping it.
      if (data.length > 0) out.push(Buffer.from(data));
      if (final) ended = true;
    });
    const push = (chunk: Uint8Array, final: boolean) => {
      try {
        dec.push(chunk, final);
      } catch (e) {
        throw new Error(`zstd: ${(e as Error).message}`);
      }
    };
    // Every frame's window is checked before fzstd reads its header (and allocates the window).
    const guard = new ZstdFrameGuard(FZSTD_MAX_WINDOW, name);
    for await (const chunk of source) {
      guard.feed(chunk);
      for (let at = 0; at < chunk.length; at += FZSTD_SLICE) {
        push(chunk.subarray(at, at + FZSTD_SLICE), false);
        while (out.length > 0) yield out.shift() as Buffer;
      }
    }
    push(new Uint8Array(0), true);
    while (out.length > 0) yield out.shift() as Buffer;
    if (!ended) throw new Error("zstd: unexpected end of data");
  });
}
