/**
 * What the kernel loads, untraced, when a file is executed: the ELF
 * interpreter named by PT_INTERP, or the program of a `#!` line. Read from
 * the first bytes of the file; written by hand because it is a few fixed
 * offsets of the ELF header (no library needed for that).
 */
export function loadedInterpreter(head: Buffer): string | undefined {
  if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) {
    const line = head.subarray(2, head.indexOf(0x0a, 2) < 0 ? head.length : head.indexOf(0x0a, 2));
    const prog = line.toString("utf8").trim().split(/\s+/)[0];
    return prog?.startsWith("/") ? prog : undefined;
  }
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = head[4] === 2;
  const le = head[5] === 1;
  const u16 = (o: number) => (le ? head.readUInt16LE(o) : head.readUInt16BE(o));
  const u32 = (o: number) => (le ? head.readUInt32LE(o) : head.readUInt32BE(o));
  const uword = (o: number) =>
    is64 ? Number(le ? head.readBigUInt64LE(o) : head.readBigUInt64BE(o)) : u32(o);
  if (is64 && head.length < 64) return undefined;
  const phoff = uword(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > head.length) return undefined;
    if (u32(ph) !== 3) continue; // PT_INTERP
    const off = uword(ph + (is64 ? 8 : 4));
    const size = uword(ph + (is64 ? 32 : 16));
    if (off + size > head.length || size === 0) return undefined;
    const end = head.indexOf(0, off);
    return head.subarray(off, end < 0 || end > off + size ? off + size : end).toString("utf8");
  }
  return undefined;
}
