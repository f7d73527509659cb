import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadedInterpreter } from "./interpreter.js";

/** A minimal 64-bit little-endian ELF header with one PT_LOAD and one PT_INTERP program header. */
function elf64(interp: string): Buffer {
  const b = Buffer.alloc(512);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little endian
  b.writeBigUInt64LE(64n, 0x20); // e_phoff
  b.writeUInt16LE(56, 0x36); // e_phentsize
  b.writeUInt16LE(2, 0x38); // e_phnum
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(3, 64 + 56); // PT_INTERP
  b.writeBigUInt64LE(300n, 64 + 56 + 8);
  b.writeBigUInt64LE(BigInt(interp.length + 1), 64 + 56 + 32);
  b.write(`${interp}\0`, 300, "latin1");
  return b;
}

describe("loadedInterpreter", () => {
  it("reads PT_INTERP of an ELF file", () => {
    expect(loadedInterpreter(elf64("/lib/ld-musl-x86_64.so.1"))).toBe("/lib/ld-musl-x86_64.so.1");
  });

  it("reads a real dynamically linked binary of this machine", async () => {
    const head = (await readFile("/bin/ls")).subarray(0, 64 * 1024);
    expect(loadedInterpreter(head)).toMatch(/^\/lib(64)?\/ld-linux.*\.so\.\d$/);
  });

  it("reads the program of a #! line, and nothing from a static or cut-off file", () => {
    expect(loadedInterpreter(Buffer.from("#!/usr/bin/env python3\nprint(1)\n"))).toBe("/usr/bin/env");
    expect(loadedInterpreter(Buffer.from("#! /bin/sh -e\n"))).toBe("/bin/sh");
    expect(loadedInterpreter(Buffer.from("#!python\n"))).toBeUndefined();
    const noInterp = elf64("/x");
    noInterp.writeUInt32LE(4, 64 + 56); // PT_NOTE instead
    expect(loadedInterpreter(noInterp)).toBeUndefined();
    expect(loadedInterpreter(elf64("/lib/ld.so").subarray(0, 200))).toBeUndefined();
    expect(loadedInterpreter(Buffer.from("plain text"))).toBeUndefined();
  });
});
