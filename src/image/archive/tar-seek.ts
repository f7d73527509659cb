import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../../errors.js";
import type { EntryType } from "../model.js";
import type { RawTarEntry } from "./layer-reader.js";

/**
 * A tar header walker over a file, by positioned reads: it reads the 512-byte
 * headers and skips the contents, as GNU tar does when listing a seekable
 * archive. tar-stream (used for every stream) cannot skip without reading,
 * so this small decoder exists for files only; it understands ustar, GNU
 * long names and pax records, and checks each header's checksum.
 */
export class RandomAccessFile {
  readonly size: number;
  private readonly fd: number;
  private window: Buffer = Buffer.alloc(0);
  private buffer: Buffer | undefined;
  /** Positioned reads made for the window (for tests and benchmarks). */
  reads = 0;
  private windowStart = 0;
  // Small, like tar's 10 KiB records: a big window is wasted each time a large file is skipped.
  private static readonly WINDOW = 16 * 1024;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, "r");
    } catch (cause) {
      throw new InputError(`cannot open ${path}: ${(cause as Error).message}`, { cause });
    }
    this.size = fstatSync(this.fd).size;
  }

  /**
   * Bytes [pos, pos+len), through a read-ahead window (headers of small files
   * sit close together). The result is a view valid until the next `read`.
   */
  read(pos: number, len: number): Buffer {
    if (pos >= this.windowStart && pos + len <= this.windowStart + this.window.length) {
      return this.window.subarray(pos - this.windowStart, pos - this.windowStart + len);
    }
    if (len > RandomAccessFile.WINDOW) return this.readFresh(pos, len);
    // One buffer, reused: what `read` returns is only valid until the next call.
    this.buffer ??= Buffer.allocUnsafe(RandomAccessFile.WINDOW);
    const n = readSync(this.fd, this.buffer, 0, this.buffer.length, pos);
    this.reads++;
    this.window = this.buffer.subarray(0, n);
    this.windowStart = pos;
    return this.window.subarray(0, Math.min(len, n));
  }

  /** A fresh buffer the caller may keep. */
  readFresh(pos: number, len: number): Buffer {
    const buf = Buffer.allocUnsafe(len);
    let off = 0;
    while (off < len) {
      const n = readSync(this.fd, buf, off, len - off, pos + off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  }

  /** Reads [start, end) in large chunks into one reused buffer (hashing, estimating). */
  *chunks(start: number, end: number, size = 4 * 1024 * 1024): Generator<Buffer> {
    const buf = Buffer.allocUnsafe(size);
    for (let pos = start; pos < end; ) {
      const n = readSync(this.fd, buf, 0, Math.min(size, end - pos), pos);
      if (n === 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface SeekEntry extends RawTarEntry {
  /** Absolute file offset of the entry's content. */
  dataOffset: number;
}

function cstring(b: Buffer, start: number, end: number): string {
  const z = b.indexOf(0, start);
  return b.toString("utf8", start, z >= 0 && z < end ? z : end);
}

function numeric(b: Buffer, start: number, end: number): number {
  // GNU base-256 for values that do not fit in octal (files over 8 GiB, big uids).
  if ((b[start] ?? 0) & 0x80) {
    let v = (b[start] ?? 0) & 0x7f;
    for (let i = start + 1; i < end; i++) v = v * 256 + (b[i] ?? 0);
    return v;
  }
  // Octal digits, possibly led by spaces and ended by a space or NUL.
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] ?? 0;
    if (c === 0x20 && v === 0) continue;
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  return sum === numeric(h, 148, 156);
}

function typeOf(flag: string): EntryType {
  switch (flag) {
    case "0":
    case "\0":
    case "7":
    case "":
      return "file";
    case "1":
      return "hardlink";
    case "2":
      return "symlink";
    case "5":
      return "dir";
    default:
      return "other";
  }
}

function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(data.toString("ascii", pos, space), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) break;
    const record = data.toString("utf8", space + 1, pos + len - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

const MAX_EXTENDED_HEADER = 1024 * 1024;

/**
 * Walks the tar that occupies [start, end) of `file`, listing each entry
 * with the offset of its content. Throws InputError on a bad checksum or an
 * entry that runs past `end` (a truncated archive).
 */
export function walkTar(file: RandomAccessFile, start: number, end: number, what: string): SeekEntry[] {
  const out: SeekEntry[] = [];
  forEachTarEntry(file, start, end, what, (e) => {
    out.push(e);
  });
  return out;
}

/**
 * The walk with a callback per entry: no generator, since this loop runs once
 * per file of the image and generators are slow until the JIT has warmed up.
 */
export function forEachTarEntry(
  file: RandomAccessFile,
  start: number,
  end: number,
  what: string,
  fn: (e: SeekEntry) => void,
): void {
  let pos = start;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Map<string, string> | undefined;
  while (pos + 512 <= end) {
    const h = file.read(pos, 512);
    if (h.length < 512) break;
    if (h[0] === 0 && h[148] === 0 && h.every((b) => b === 0)) return; // end-of-archive marker
    if (!checksumOk(h))
      throw new InputError(`${what}: not a valid tar (bad header checksum at byte ${pos - start})`);
    const flag = String.fromCharCode(h[156] ?? 0);
    const size = numeric(h, 124, 136);
    const dataOffset = pos + 512;
    const next = dataOffset + Math.ceil(size / 512) * 512;
    if (dataOffset + size > end) {
      throw new InputError(`${what}: truncated tar (an entry runs past the end of the data)`);
    }
    if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
      if (size > MAX_EXTENDED_HEADER)
        throw new InputError(`${what}: an extended tar header of ${size} bytes`);
      // Decoded at once, so a view of the window will do (BuildKit writes a pax header per entry).
      const data = file.read(dataOffset, size);
      if (flag === "x") pax = parsePax(data);
      else if (flag === "L") longName = cstring(data, 0, data.length);
      else if (flag === "K") longLink = cstring(data, 0, data.length);
      pos = next;
      continue;
    }
    const magic = h.toString("ascii", 257, 263);
    let name = cstring(h, 0, 100);
    // ustar keeps a prefix; GNU tar ("ustar  ") uses that space for other things.
    if (magic === "ustar\0" && h[345] !== 0) name = `${cstring(h, 345, 500)}/${name}`;
    const entry: SeekEntry = {
      name: pax?.get("path") ?? longName ?? name,
      type: typeOf(flag),
      mode: numeric(h, 100, 108),
      uid: pax?.has("uid") ? Number(pax.get("uid")) : numeric(h, 108, 116),
      gid: pax?.has("gid") ? Number(pax.get("gid")) : numeric(h, 116, 124),
      size: pax?.has("size") ? Number(pax.get("size")) : size,
      linkname: pax?.get("linkpath") ?? longLink ?? cstring(h, 157, 257),
      dataOffset,
    };
    pax = undefined;
    longName = undefined;
    longLink = undefined;
    fn(entry);
    pos = entry.size === size ? next : dataOffset + Math.ceil(entry.size / 512) * 512;
  }
}
