// AssemblyScript, compiled by `npm run wasm` into src/image/archive/tar-walk-wasm.ts.
//
// The tar header walk of the seeking reader (src/image/archive/tar-seek.ts) over a window of the
// file that JavaScript reads into this module's memory: header checksums (16 bytes at a time),
// octal and base-256 numbers, pax records, GNU long names and the "./" of `tar -C dir .` names are
// decoded here and handed back as numbers and offsets. Written by hand because no library walks
// tar headers in place without reading the contents; in WebAssembly because a one-shot `inspect`
// otherwise spends most of its walk running these byte loops in V8's interpreter before the JIT
// has optimised them (WebAssembly is compiled before its first call).
//
// Memory: [0, WINDOW_CAP) the window; [OUT, OUT + MAX_RECORDS * REC_BYTES) the records, 16 f64
// fields each (see RecordField in tar-seek.ts); this module's own data lives past them.

const WINDOW_CAP: i32 = 1024 * 1024 + 64 * 1024;
const OUT: i32 = WINDOW_CAP;
const REC_FIELDS: i32 = 16;
const REC_BYTES: i32 = REC_FIELDS * 8;
const MAX_RECORDS: i32 = 256;
const MAX_EXTENDED: i32 = 1024 * 1024;

// Statuses returned by walk().
const NEED_WINDOW: i32 = 0; // resume with a window that starts at `next` (and holds at least `need` bytes)
const END: i32 = 1; // end-of-archive marker or the end of the region
const FULL: i32 = 2; // the record area is full: take the records, resume at `next`
const BAD_CHECKSUM: i32 = -1; // at `next`
const TRUNCATED: i32 = -2; // an entry runs past the end of the region
const EXTENDED_TOO_LARGE: i32 = -3;
const BAD_PAX_SIZE: i32 = -4;

let next: f64 = 0;
let need: i32 = 0;
let count: i32 = 0;

export function windowCapacity(): i32 {
  return WINDOW_CAP;
}
export function recordsOffset(): i32 {
  return OUT;
}
export function nextOffset(): f64 {
  return next;
}
export function neededBytes(): i32 {
  return need;
}
export function recordCount(): i32 {
  return count;
}

function byte(p: i32): i32 {
  return <i32>load<u8>(p);
}

function octal(p: i32, len: i32): f64 {
  const first = byte(p);
  if (first & 0x80) {
    // GNU base-256 (sizes over 8 GiB, large ids).
    let v: f64 = <f64>(first & 0x7f);
    for (let i = 1; i < len; i++) v = v * 256 + <f64>byte(p + i);
    return v;
  }
  let v: f64 = 0;
  let i = 0;
  while (i < len && byte(p + i) === 0x20) i++;
  for (; i < len; i++) {
    const c = byte(p + i);
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + <f64>(c - 0x30);
  }
  return v;
}

function checksumOk(h: i32): bool {
  // All 512 bytes summed 16 at a time (SIMD), then the checksum field's own 8 bytes taken out:
  // it counts as 8 spaces.
  let acc = i32x4.splat(0);
  for (let i = 0; i < 512; i += 16) {
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v128.load(h + i))));
  }
  let sum =
    i32x4.extract_lane(acc, 0) +
    i32x4.extract_lane(acc, 1) +
    i32x4.extract_lane(acc, 2) +
    i32x4.extract_lane(acc, 3);
  for (let i = 148; i < 156; i++) sum -= byte(h + i);
  return <f64>(sum + 8 * 32) === octal(h + 148, 8);
}

function zeroBlock(h: i32): bool {
  for (let i = 0; i < 512; i += 8) if (load<u64>(h + i) !== 0) return false;
  return true;
}

function pad(n: f64): f64 {
  return Math.ceil(n / 512) * 512;
}

// Pending extended-header values for the next entry (window offsets; -1: none).
let paxPathStart: i32 = -1;
let paxPathEnd: i32 = -1;
let paxLinkStart: i32 = -1;
let paxLinkEnd: i32 = -1;
let paxUidStart: i32 = -1;
let paxUidEnd: i32 = -1;
let paxGidStart: i32 = -1;
let paxGidEnd: i32 = -1;
let paxSize: f64 = -1;
let _paxSizeStart: i32 = -1;
let paxSizeEnd: i32 = -1;

function resetPending(): void {
  paxPathStart = paxPathEnd = paxLinkStart = paxLinkEnd = -1;
  paxUidStart = paxUidEnd = paxGidStart = paxGidEnd = -1;
  _paxSizeStart = paxSizeEnd = -1;
  paxSize = -1;
}

/** "<len> <key>=<value>\n" records; only path, linkpath, uid, gid and size are kept. */
function parsePax(p: i32, n: i32): bool {
  let pos = p;
  const end = p + n;
  while (pos < end) {
    let i = pos;
    let len = 0;
    while (i < end && byte(i) >= 0x30 && byte(i) <= 0x39) {
      len = len * 10 + (byte(i) - 0x30);
      i++;
      if (len > n) break;
    }
    if (i === pos || i >= end || byte(i) !== 0x20 || len <= 0 || pos + len > end) break;
    const recordEnd = pos + len - 1;
    let eq = i + 1;
    while (eq < recordEnd && byte(eq) !== 0x3d) eq++;
    const key = i + 1;
    const keyLen = eq - key;
    if (eq < recordEnd) {
      const v = eq + 1;
      if (
        keyLen === 4 &&
        byte(key) === 0x70 &&
        byte(key + 1) === 0x61 &&
        byte(key + 2) === 0x74 &&
        byte(key + 3) === 0x68
      ) {
        paxPathStart = v;
        paxPathEnd = recordEnd;
      } else if (
        keyLen === 8 &&
        byte(key) === 0x6c &&
        byte(key + 1) === 0x69 &&
        byte(key + 2) === 0x6e &&
        byte(key + 3) === 0x6b &&
        byte(key + 4) === 0x70 &&
        byte(key + 5) === 0x61 &&
        byte(key + 6) === 0x74 &&
        byte(key + 7) === 0x68
      ) {
        paxLinkStart = v;
        paxLinkEnd = recordEnd;
      } else if (keyLen === 3 && byte(key) === 0x75 && byte(key + 1) === 0x69 && byte(key + 2) === 0x64) {
        paxUidStart = v;
        paxUidEnd = recordEnd;
      } else if (keyLen === 3 && byte(key) === 0x67 && byte(key + 1) === 0x69 && byte(key + 2) === 0x64) {
        paxGidStart = v;
        paxGidEnd = recordEnd;
      } else if (
        keyLen === 4 &&
        byte(key) === 0x73 &&
        byte(key + 1) === 0x69 &&
        byte(key + 2) === 0x7a &&
        byte(key + 3) === 0x65
      ) {
        _paxSizeStart = v;
        paxSizeEnd = recordEnd;
        let s: f64 = 0;
        let ok = v < recordEnd;
        for (let k = v; k < recordEnd; k++) {
          const c = byte(k);
          if (c < 0x30 || c > 0x39) {
            ok = false;
            break;
          }
          s = s * 10 + <f64>(c - 0x30);
        }
        if (!ok) return false;
        paxSize = s;
      }
    }
    pos += len;
  }
  return true;
}

function setRec(r: i32, field: i32, v: f64): void {
  store<f64>(r + field * 8, v);
}

/**
 * Walks the headers in the window [0, winLen), starting at window offset `at`; the tar region ends
 * at window offset `endRel` (which may lie past the window). Records each entry (not the pax and
 * GNU long-name headers that qualify it) and returns a status; `next` is where to resume.
 */
export function walk(at: f64, winLen: i32, endRel: f64): i32 {
  count = 0;
  need = 512;
  let pos: f64 = at;
  // Where the entry being decoded began (its first extended header): a window must hold it all.
  let entryStart: f64 = at;
  resetPending();
  let longNameStart = -1;
  let longNameEnd = -1;
  let longLinkStart = -1;
  let longLinkEnd = -1;
  while (pos + 512 <= endRel) {
    if (pos + 512 > <f64>winLen) {
      next = entryStart;
      need = <i32>(pos - entryStart) + 512;
      return NEED_WINDOW;
    }
    const h = <i32>pos;
    if (byte(h) === 0 && byte(h + 148) === 0 && zeroBlock(h)) {
      next = pos;
      return END;
    }
    if (!checksumOk(h)) {
      next = pos;
      return BAD_CHECKSUM;
    }
    const flag = byte(h + 156);
    const size = octal(h + 124, 12);
    const data = pos + 512;
    if (data + size > endRel) {
      next = pos;
      return TRUNCATED;
    }
    // x: pax, g: global pax, L/K: GNU long name/link.
    if (flag === 0x78 || flag === 0x67 || flag === 0x4c || flag === 0x4b) {
      if (size > <f64>MAX_EXTENDED) {
        next = pos;
        return EXTENDED_TOO_LARGE;
      }
      if (data + size > <f64>winLen) {
        next = entryStart;
        need = <i32>(data + size - entryStart) + 512;
        return NEED_WINDOW;
      }
      const d = <i32>data;
      const n = <i32>size;
      if (flag === 0x78) {
        if (!parsePax(d, n)) {
          next = pos;
          return BAD_PAX_SIZE;
        }
      } else if (flag === 0x4c || flag === 0x4b) {
        let z = d;
        while (z < d + n && byte(z) !== 0) z++;
        if (flag === 0x4c) {
          longNameStart = d;
          longNameEnd = z;
        } else {
          longLinkStart = d;
          longLinkEnd = z;
        }
      }
      pos = data + pad(size);
      continue;
    }
    if (count === MAX_RECORDS) {
      next = entryStart;
      return FULL;
    }
    const r = OUT + count * REC_BYTES;
    // ustar ("ustar\0") keeps a prefix; GNU tar ("ustar  ") uses that space for other things.
    const ustar =
      byte(h + 257) === 0x75 &&
      byte(h + 258) === 0x73 &&
      byte(h + 259) === 0x74 &&
      byte(h + 260) === 0x61 &&
      byte(h + 261) === 0x72 &&
      byte(h + 262) === 0;
    let nameStart = -1;
    let nameEnd = -1;
    let prefixStart = -1;
    let prefixEnd = -1;
    if (paxPathStart >= 0) {
      nameStart = paxPathStart;
      nameEnd = paxPathEnd;
    } else if (longNameStart >= 0) {
      nameStart = longNameStart;
      nameEnd = longNameEnd;
    } else {
      let z = h;
      while (z < h + 100 && byte(z) !== 0) z++;
      nameStart = h;
      nameEnd = z;
      if (ustar && byte(h + 345) !== 0) {
        let pz = h + 345;
        while (pz < h + 500 && byte(pz) !== 0) pz++;
        prefixStart = h + 345;
        prefixEnd = pz;
      } else {
        // "./" first and "/" after a directory, as `tar -C dir .` writes names, are dropped here
        // (the path normaliser would drop them); a "/." further on may start a "." or ".." part,
        // and such names are left whole for the normaliser to judge and quote.
        let dotPart = false;
        for (let k = h + 2; k < z; k++) if (byte(k) === 0x2e && byte(k - 1) === 0x2f) dotPart = true;
        if (!dotPart) {
          if (
            z - nameStart > 2 &&
            byte(nameStart) === 0x2e &&
            byte(nameStart + 1) === 0x2f &&
            byte(nameStart + 2) !== 0x2f
          )
            nameStart += 2;
          if (z - nameStart > 1 && byte(z - 1) === 0x2f && byte(z - 2) !== 0x2f) nameEnd = z - 1;
        }
      }
    }
    let linkStart = -1;
    let linkEnd = -1;
    if (paxLinkStart >= 0) {
      linkStart = paxLinkStart;
      linkEnd = paxLinkEnd;
    } else if (longLinkStart >= 0) {
      linkStart = longLinkStart;
      linkEnd = longLinkEnd;
    } else if (byte(h + 157) !== 0) {
      let z = h + 157;
      while (z < h + 257 && byte(z) !== 0) z++;
      linkStart = h + 157;
      linkEnd = z;
    }
    const effSize = paxSize >= 0 ? paxSize : size;
    setRec(r, 0, <f64>flag);
    setRec(r, 1, <f64>nameStart);
    setRec(r, 2, <f64>nameEnd);
    setRec(r, 3, <f64>prefixStart);
    setRec(r, 4, <f64>prefixEnd);
    setRec(r, 5, <f64>linkStart);
    setRec(r, 6, <f64>linkEnd);
    setRec(r, 7, octal(h + 100, 8));
    setRec(r, 8, octal(h + 108, 8));
    setRec(r, 9, octal(h + 116, 8));
    setRec(r, 10, effSize);
    setRec(r, 11, data);
    setRec(r, 12, <f64>paxUidStart);
    setRec(r, 13, <f64>paxUidEnd);
    setRec(r, 14, <f64>paxGidStart);
    setRec(r, 15, <f64>paxGidEnd);
    count++;
    pos = data + pad(effSize);
    entryStart = pos;
    resetPending();
    longNameStart = longNameEnd = longLinkStart = longLinkEnd = -1;
  }
  next = pos;
  return END;
}
