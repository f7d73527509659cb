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
  // 64 KiB: headers of files up to ~60 KiB come from one read (2.5x fewer reads than 16 KiB on the
  // python base); much larger windows copy more than the skipped reads save.
  static readonly WINDOW = 64 * 1024;
  private static readonly SMALL = 8 * 1024;

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
    // After a jump over a large file, the next header may well be followed by another large file:
    // read a little. Where headers keep coming close together, read the full window.
    const near =
      pos < this.windowStart + this.window.length + RandomAccessFile.WINDOW && pos >= this.windowStart;
    const want = Math.max(len, near ? RandomAccessFile.WINDOW : RandomAccessFile.SMALL);
    const n = readSync(this.fd, this.buffer, 0, want, pos);
    this.reads++;
    this.window = this.buffer.subarray(0, n);
    this.windowStart = pos;
    return this.window.subarray(0, Math.min(len, n));
  }

  /** The window's backing buffer; `headerAt` gives offsets into it. */
  get bytes(): Buffer {
    return this.window;
  }

  /** The same bytes as 32-bit words (when aligned), for the header checksum. */
  words: Uint32Array | undefined;

  /**
   * The offset in `bytes` of the 512 bytes at `pos`, or -1 past the end of the file: a
   * header is decoded in place, with no view object per entry.
   */
  headerAt(pos: number): number {
    if (pos < this.windowStart || pos + 512 > this.windowStart + this.window.length) {
      if (this.read(pos, 512).length < 512) return -1;
      if (this.words === undefined && (this.window.byteOffset & 3) === 0) {
        this.words = new Uint32Array(this.window.buffer, this.window.byteOffset, RandomAccessFile.WINDOW / 4);
      }
    }
    return pos - this.windowStart;
  }

  /**
   * Like headerAt for `len` bytes at `pos` (len at most the window): the offset in `bytes`, or
   * -1 when the file ends first. No view object: pax records are decoded in place.
   */
  spanAt(pos: number, len: number): number {
    if (pos < this.windowStart || pos + len > this.windowStart + this.window.length) {
      if (this.read(pos, len).length < len) return -1;
    }
    return pos - this.windowStart;
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
  // A plain scan: Buffer#indexOf has a large fixed cost for fields of 100 bytes, and it
  // would search past `end` when the field has no NUL.
  let z = start;
  while (z < end && b[z] !== 0) z++;
  return b.toString("utf8", start, z);
}

/**
 * The name field without the "./" that `tar -C dir .` puts first and the "/" after a directory:
 * the path normalisation would drop both anyway, and base layers name every entry so, which
 * otherwise costs a regex test and two strings per entry.
 */
function entryName(b: Buffer, o: number): string {
  let start = o;
  let z = o;
  const end = o + 100;
  // A "/." past the leading "./" may start a "." or ".." part: such names are left whole, for the
  // normalisation to judge and to quote as written.
  let dotPart = false;
  while (z < end && b[z] !== 0) {
    if (b[z] === 0x2e && z > o + 1 && b[z - 1] === 0x2f) dotPart = true;
    z++;
  }
  if (dotPart) return b.toString("utf8", o, z);
  if (z - start > 2 && b[start] === 0x2e && b[start + 1] === 0x2f && b[start + 2] !== 0x2f) start += 2;
  if (z - start > 1 && b[z - 1] === 0x2f && b[z - 2] !== 0x2f) z--;
  return b.toString("utf8", start, z);
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

function checksumOk(h: Buffer, o: number, words: Uint32Array | undefined): boolean {
  // The checksum field (bytes 148-155) counts as eight spaces.
  let sum = 8 * 32;
  if (words !== undefined && ((h.byteOffset + o) & 3) === 0 && h.buffer === words.buffer) {
    // Four bytes at a time, two 16-bit lanes of byte pairs (128 words x 510 < 65536: no carry
    // between lanes): a quarter of the loop iterations of a byte loop, on every header.
    const w0 = (h.byteOffset + o - words.byteOffset) >>> 2;
    let acc = 0;
    for (let i = 0; i < 128; i++) {
      if (i === 37 || i === 38) continue;
      const w = words[w0 + i]!;
      acc += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
    }
    sum += (acc % 65536) + Math.floor(acc / 65536);
  } else {
    for (let i = 0; i < 148; i++) sum += h[o + i]!;
    for (let i = 156; i < 512; i++) sum += h[o + i]!;
  }
  return sum === numeric(h, o + 148, o + 156);
}

function isZeroBlock(h: Buffer, o: number): boolean {
  for (let i = 0; i < 512; i++) if (h[o + i] !== 0) return false;
  return true;
}

function typeOf(flag: number): EntryType {
  switch (flag) {
    case 0x30: // "0"
    case 0: // "\0"
    case 0x37: // "7"
      return "file";
    case 0x31:
      return "hardlink";
    case 0x32:
      return "symlink";
    case 0x35:
      return "dir";
    default:
      return "other";
  }
}

/** The pax keys the walk uses; one object, reset per entry (no Map per entry). */
class PaxFields {
  path: string | undefined;
  linkpath: string | undefined;
  uid: string | undefined;
  gid: string | undefined;
  size: string | undefined;
  any = false;
  reset(): void {
    this.path = this.linkpath = this.uid = this.gid = this.size = undefined;
    this.any = false;
  }
}

function parsePax(data: Buffer, from: number, n: number, out: PaxFields): void {
  // Records are "<len> <key>=<value>\n"; the length is parsed from the bytes, no string per record.
  out.any = true;
  let pos = from;
  while (pos < n) {
    let i = pos;
    let len = 0;
    while (i < n && data[i]! >= 0x30 && data[i]! <= 0x39) len = len * 10 + (data[i++]! - 0x30);
    if (i === pos || data[i] !== 0x20 || len <= 0 || pos + len > n) break;
    const recordEnd = pos + len - 1;
    let eq = i + 1;
    while (eq < recordEnd && data[eq] !== 0x3d) eq++;
    const keyLen = eq - i - 1;
    // Only path, linkpath, uid, gid and size are read: other keys (mtime, xattrs) are not decoded.
    if (eq < recordEnd && (keyLen === 3 || keyLen === 4 || keyLen === 8)) {
      const value = data.toString("utf8", eq + 1, recordEnd);
      switch (data.toString("latin1", i + 1, eq)) {
        case "path":
          out.path = value;
          break;
        case "linkpath":
          out.linkpath = value;
          break;
        case "uid":
          out.uid = value;
          break;
        case "gid":
          out.gid = value;
          break;
        case "size":
          out.size = value;
          break;
      }
    }
    pos += len;
  }
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
    out.push({ ...e }); // the walk reuses its entry object
  });
  return out;
}

/**
 * The walk with a callback per entry: no generator, since this loop runs once
 * per file of the image and generators are slow until the JIT has warmed up.
 * The entry passed to `fn` is one object reused for every entry (no garbage
 * per file): `fn` must copy what it keeps.
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
  const pax = new PaxFields();
  const entry: SeekEntry = {
    name: "",
    type: "other",
    mode: 0,
    uid: 0,
    gid: 0,
    size: 0,
    linkname: "",
    dataOffset: 0,
  };
  while (pos + 512 <= end) {
    const o = file.headerAt(pos);
    if (o < 0) break;
    const h = file.bytes;
    if (h[o] === 0 && h[o + 148] === 0 && isZeroBlock(h, o)) return; // end-of-archive marker
    if (!checksumOk(h, o, file.words))
      throw new InputError(`${what}: not a valid tar (bad header checksum at byte ${pos - start})`);
    const flag = h[o + 156]!;
    const size = numeric(h, o + 124, o + 136);
    const dataOffset = pos + 512;
    const next = dataOffset + Math.ceil(size / 512) * 512;
    if (dataOffset + size > end) {
      throw new InputError(`${what}: truncated tar (an entry runs past the end of the data)`);
    }
    // x: pax, g: global pax, L/K: GNU long name/link.
    if (flag === 0x78 || flag === 0x67 || flag === 0x4c || flag === 0x4b) {
      if (size > MAX_EXTENDED_HEADER)
        throw new InputError(`${what}: an extended tar header of ${size} bytes`);
      // Decoded at once, in place in the window (docker writes a pax header for every entry).
      let data: Buffer;
      let from = size <= RandomAccessFile.WINDOW ? file.spanAt(dataOffset, size) : -1;
      if (from >= 0) data = file.bytes;
      else {
        data = file.readFresh(dataOffset, size);
        from = 0;
      }
      if (flag === 0x78) parsePax(data, from, from + size, pax);
      else if (flag === 0x4c) longName = cstring(data, from, from + size);
      else if (flag === 0x4b) longLink = cstring(data, from, from + size);
      pos = next;
      continue;
    }
    // ustar ("ustar\0") keeps a prefix; GNU tar ("ustar  ") uses that space for other things.
    const ustar =
      h[o + 257] === 0x75 &&
      h[o + 258] === 0x73 &&
      h[o + 259] === 0x74 &&
      h[o + 260] === 0x61 &&
      h[o + 261] === 0x72 &&
      h[o + 262] === 0;
    let name = pax.path ?? longName;
    if (name === undefined) {
      if (ustar && h[o + 345] !== 0) name = `${cstring(h, o + 345, o + 500)}/${cstring(h, o, o + 100)}`;
      else name = entryName(h, o);
    }
    let linkname = pax.linkpath ?? longLink;
    if (linkname === undefined) linkname = h[o + 157] === 0 ? "" : cstring(h, o + 157, o + 257);
    entry.name = name;
    entry.type = typeOf(flag);
    entry.mode = numeric(h, o + 100, o + 108);
    entry.uid = pax.uid !== undefined ? Number(pax.uid) : numeric(h, o + 108, o + 116);
    entry.gid = pax.gid !== undefined ? Number(pax.gid) : numeric(h, o + 116, o + 124);
    entry.size = pax.size !== undefined ? Number(pax.size) : size;
    entry.linkname = linkname;
    entry.dataOffset = dataOffset;
    if (pax.any) pax.reset();
    longName = undefined;
    longLink = undefined;
    fn(entry);
    pos = entry.size === size ? next : dataOffset + Math.ceil(entry.size / 512) * 512;
  }
}
