import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { type CliResult, runCli } from "../../test/cli.js";
import { recipesFor } from "./recipes/index.js";
import { PIP_CONF } from "./recipes/python.js";
import { REDIS_ENTRYPOINT } from "./recipes/redis.js";
import { TRIM_SCRIPT } from "./rootfs.js";

const run = promisify(execFile);
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "slimstage-recipes-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function touch(root: string, path: string, text = "x"): Promise<void> {
  await mkdir(join(root, path, ".."), { recursive: true });
  await writeFile(join(root, path), text);
}
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("recipes", () => {
  it("bookworm has the four bases in build order, trixie only Debian", () => {
    expect(recipesFor("bookworm").map((r) => r.ref)).toEqual([
      "slimstage/debian:bookworm-slim",
      "slimstage/python:3.11-slim",
      "slimstage/node:22-slim",
      "slimstage/redis:7",
    ]);
    expect(recipesFor("trixie").map((r) => r.ref)).toEqual(["slimstage/debian:trixie-slim"]);
  });

  it("aliases only official names, each under the official repository", () => {
    for (const r of recipesFor("bookworm")) {
      expect(r.ref.startsWith("slimstage/")).toBe(true);
      for (const a of r.aliases) expect(a).toMatch(/^(debian|python|node|redis):/);
    }
  });

  it("pip in the Python base uses only the offline index, and gives up quickly", () => {
    expect(PIP_CONF).toMatch(/^no-index = true$/m);
    expect(PIP_CONF).toMatch(
      /^find-links =\n {4}http:\/\/slimstage-index:3141\/\n {4}http:\/\/127\.0\.0\.1:3141\/$/m,
    );
    expect(PIP_CONF).toMatch(/^retries = 0$/m);
  });
});

describe("rootfs trimming", () => {
  it("keeps copyright files and locale.alias, drops docs, man pages, locales, apt lists and logs", async () => {
    const root = await tempDir();
    await touch(root, "usr/share/doc/bash/copyright");
    await touch(root, "usr/share/doc/bash/README.gz");
    await touch(root, "usr/share/doc/empty-pkg/changelog.gz");
    await touch(root, "usr/share/man/man1/ls.1.gz");
    await touch(root, "usr/share/info/dir");
    await touch(root, "usr/share/locale/de/LC_MESSAGES/apt.mo");
    await touch(root, "usr/share/locale/locale.alias");
    await touch(root, "var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease");
    await touch(root, "var/cache/apt/pkgcache.bin");
    await touch(root, "var/log/dpkg.log");
    await touch(root, "etc/machine-id", "0123456789abcdef\n");
    await touch(root, "etc/apt/sources.list");
    await touch(root, "usr/bin/bash");
    await run("sh", ["-c", TRIM_SCRIPT, "sh", root]);
    expect(await exists(join(root, "usr/share/doc/bash/copyright"))).toBe(true);
    expect(await exists(join(root, "usr/share/doc/bash/README.gz"))).toBe(false);
    expect(await exists(join(root, "usr/share/doc/empty-pkg"))).toBe(false);
    expect(await readdir(join(root, "usr/share/man"))).toEqual([]);
    expect(await readdir(join(root, "usr/share/locale"))).toEqual(["locale.alias"]);
    expect(await readdir(join(root, "var/lib/apt/lists"))).toEqual([]);
    expect(await exists(join(root, "var/cache/apt/pkgcache.bin"))).toBe(false);
    expect(await exists(join(root, "var/log/dpkg.log"))).toBe(false);
    expect(await readFile(join(root, "etc/machine-id"), "utf8")).toBe("");
    expect(await exists(join(root, "etc/apt/sources.list"))).toBe(false);
    expect(await exists(join(root, "usr/bin/bash"))).toBe(true);
  });
});

describe("redis entrypoint", () => {
  // Stubs: a non-root `id` (so no setpriv) and a redis-server that echoes its arguments.
  async function entrypoint(...args: string[]): Promise<string> {
    const d = await tempDir();
    await writeFile(join(d, "id"), "#!/bin/sh\necho 999\n");
    await writeFile(join(d, "redis-server"), '#!/bin/sh\necho "redis-server $*"\n');
    await writeFile(join(d, "entrypoint.sh"), REDIS_ENTRYPOINT);
    for (const f of ["id", "redis-server", "entrypoint.sh"]) await chmod(join(d, f), 0o755);
    const { stdout } = await run(join(d, "entrypoint.sh"), args, { env: { PATH: `${d}:/usr/bin:/bin` } });
    return stdout.trim();
  }

  it("turns protected mode off when no config file is given", async () => {
    expect(await entrypoint("redis-server")).toBe("redis-server --protected-mode no");
    expect(await entrypoint("--appendonly", "yes")).toBe("redis-server --appendonly yes --protected-mode no");
  });

  it("leaves an explicit setting or a config file alone, and other commands untouched", async () => {
    expect(await entrypoint("redis-server", "--protected-mode", "yes")).toBe(
      "redis-server --protected-mode yes",
    );
    expect(await entrypoint("/etc/redis/redis.conf")).toBe("redis-server /etc/redis/redis.conf");
    expect(await entrypoint("echo", "hi")).toBe("hi");
  });
});

describe("slimstage bases: bad input", () => {
  const cli = (...args: string[]): Promise<CliResult> => runCli(args);

  it("an unknown base name or suite is a usage error (exit 2) naming the choices", async () => {
    const a = await cli("bases", "build", "--only", "ruby");
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown base "ruby"');
    expect(a.stderr).toContain("debian, python, node, redis");
    const b = await cli("bases", "build", "--suite", "sid");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("bookworm");
  });
});
