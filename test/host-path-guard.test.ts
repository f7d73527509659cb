import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HostPathError, hostPathProblem } from "./host-path-guard.js";

describe("host path guard", () => {
  it("lets tests read the repository, temp dirs and files of Debian's required packages", () => {
    expect(hostPathProblem(join(process.cwd(), "package.json"))).toBeNull();
    expect(hostPathProblem(join(tmpdir(), "x"))).toBeNull();
    expect(hostPathProblem("/bin/ls")).toBeNull(); // coreutils: essential
  });

  it("refuses a path no package provides, and a package the set-up does not install", () => {
    expect(hostPathProblem("/opt/hand-made/tool")).toMatch(/belongs to no Debian package/);
    // The fixture that once made the suite red on a fresh machine is caught when its package is not listed.
    expect(hostPathProblem("/bin/busybox", new Set(["chromium"]))).toMatch(
      /busybox-static, which is neither/,
    );
    expect(hostPathProblem("/bin/busybox")).toBeNull(); // listed in scripts/test-packages.txt
    // chromium is installed by scripts/setup-test-deps.sh because the list names it.
    expect(hostPathProblem("/usr/bin/chromium", new Set(["chromium"]))).toBeNull();
    expect(hostPathProblem("/usr/share/doc/chromium/copyright", new Set())).toMatch(
      /belongs to Debian's chromium, which is neither/,
    );
  });

  it("is active for test code, through ESM named imports and fs/promises", async () => {
    expect(() => readFileSync("/opt/hand-made/busybox")).toThrow(HostPathError);
    expect(existsSync("/opt/hand-made/busybox")).toBe(false); // existence checks stay free
    await expect(readFile("/opt/hand-made/busybox")).rejects.toThrow(HostPathError);
    const ok = join(tmpdir(), `guard-${process.pid}`);
    writeFileSync(ok, "x");
    expect(readFileSync(ok, "utf8")).toBe("x");
  });
});
