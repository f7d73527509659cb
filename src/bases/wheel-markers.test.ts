import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../engine/build/client.js";
import { BuildError } from "../errors.js";
import { debianWheelsDir } from "./debian-wheels.js";
import { completeForTarget, scanWheelMarkers } from "./wheel-markers.js";
import { pipDownload } from "./wheelhouse.js";
import { fillRunWheelhouse } from "./wheelhouse-run.js";

// Hand-made wheels: a zip with NAME-VER.dist-info/{METADATA,WHEEL,RECORD}, written by the host's python3.
const MAKE_WHEEL = `
import json, sys, zipfile
folder, name, version, requires = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
stem = name.replace("-", "_")
info = f"{stem}-{version}.dist-info"
meta = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n" + "".join(f"Requires-Dist: {r}\\n" for r in requires)
with zipfile.ZipFile(f"{folder}/{stem}-{version}-py3-none-any.whl", "w") as z:
    z.writestr(f"{stem}/__init__.py", "")
    z.writestr(f"{info}/METADATA", meta)
    z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr(f"{info}/RECORD", "")
`;

async function wheel(folder: string, name: string, version: string, requires: string[] = []): Promise<void> {
  const res = await runCli("python3", ["-c", MAKE_WHEEL, folder, name, version, JSON.stringify(requires)]);
  if (res.code !== 0) throw new Error(res.stderr);
}

let root: string;
const signal = new AbortController().signal;
const HOST = "3.11.7";

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "slimstage-markers-"));
  // The host interpreter the cases below are written for (pip judges markers with it).
  const v = await runCli("python3", ["-c", "import platform; print(platform.python_version())"]);
  expect(v.stdout.trim()).toBe(HOST);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the marker pass (wheel-markers.py)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, "scan");
    await mkdir(dir);
    await wheel(dir, "redis", "8.1.0", [
      'async-timeout>=4.0.3; python_full_version < "3.11.3"',
      'PyJWT>=2.9.0; extra == "jwt"',
      'cryptography>=36.0.1; extra == "ocsp"',
    ]);
    await wheel(dir, "foo", "1.0", [
      "click>=8", // unconditional and absent: pip's business, not the pass's
      'typing-extensions>=4; python_version < "3.12"', // present already
      'tomli; python_version < "3.11"', // false on both
      'exceptiongroup>=1; implementation_name == "cpython" and implementation_version < "3.11.5"',
    ]);
    await wheel(dir, "bar", "2.0", ['bar-dep[fast]>=1; python_full_version >= "3.11.5"']);
    await wheel(dir, "typing_extensions", "4.12.0");
  });

  it("names what holds on the base's 3.11.2 but not on the host, ignoring extras and present projects", async () => {
    const scan = await scanWheelMarkers(dir, "3.11.2", signal);
    expect(scan.host).toBe(HOST);
    expect(scan.needs).toEqual([
      { dist: "foo", version: "1.0", requirement: "exceptiongroup>=1", project: "exceptiongroup" },
      { dist: "redis", version: "8.1.0", requirement: "async-timeout>=4.0.3", project: "async-timeout" },
    ]);
  });

  it("for 3.11.7 names only what the host's own markers would pick (the fixture lacks it)", async () => {
    const scan = await scanWheelMarkers(dir, "3.11.7", signal);
    expect(scan.needs).toEqual([
      { dist: "bar", version: "2.0", requirement: "bar-dep[fast]>=1", project: "bar-dep" },
    ]);
  });
});

describe("completing a wheelhouse for the target (real pip, hand-made wheels as find-links)", () => {
  let links: string;
  beforeAll(async () => {
    links = path.join(root, "links");
    await mkdir(links);
    // a -> b only below 3.11.3; b -> c only below 3.11.3 (a second round); c -> d unconditionally (pip resolves it).
    await wheel(links, "slimstage-fixture-a", "1.0", [
      'slimstage-fixture-b>=1; python_full_version < "3.11.3"',
    ]);
    await wheel(links, "slimstage-fixture-b", "1.0", ['slimstage-fixture-c; python_full_version < "3.11.3"']);
    await wheel(links, "slimstage-fixture-c", "1.0", ["slimstage-fixture-d"]);
    await wheel(links, "slimstage-fixture-d", "1.0");
    await wheel(links, "slimstage-fixture-e", "3.0", [
      'slimstage-fixture-missing>=2; python_full_version < "3.11.3"',
      'slimstage-fixture-gone; python_full_version < "3.11.3"',
    ]);
  });

  it("downloads round after round until nothing new holds", async () => {
    const dest = path.join(root, "dest");
    await mkdir(dest);
    const download = (req: readonly string[]) => pipDownload(dest, req, signal, [links]);
    expect((await download(["slimstage-fixture-a"])).code).toBe(0);
    expect(await readdir(dest)).toEqual(["slimstage_fixture_a-1.0-py3-none-any.whl"]);
    const done = await completeForTarget(dest, "3.11.2", { signal, download });
    expect(done.added.map((n) => n.requirement)).toEqual(["slimstage-fixture-b>=1", "slimstage-fixture-c"]);
    expect(done.missing).toEqual([]);
    expect((await readdir(dest)).sort()).toEqual([
      "slimstage_fixture_a-1.0-py3-none-any.whl",
      "slimstage_fixture_b-1.0-py3-none-any.whl",
      "slimstage_fixture_c-1.0-py3-none-any.whl",
      "slimstage_fixture_d-1.0-py3-none-any.whl",
    ]);
  }, 120_000);

  it("a run fails before any build, naming every requirement no index has, who needs it and on which Python", async () => {
    // The run's cache: its Debian-wheels folder is a find-links of every download, here holding the fixtures.
    const cacheDir = path.join(root, "cache");
    await mkdir(cacheDir);
    await runCli("cp", ["-r", links, debianWheelsDir(cacheDir)]);
    const err = await fillRunWheelhouse({ files: [], lines: ["slimstage-fixture-e"] }, signal, {
      cacheDir,
      target: { python: "3.11.2", where: "the base image python:3.11-slim" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).message).toBe(
      "slimstage-fixture-e 3.0 needs slimstage-fixture-missing>=2; slimstage-fixture-e 3.0 needs slimstage-fixture-gone on Python 3.11.2 (the base image python:3.11-slim's interpreter; the host's pip runs 3.11.7), and no index here has them",
    );
  }, 120_000);

  it("every requirement line the index cannot serve is named, not only the first pip stops at", async () => {
    const cacheDir = path.join(root, "cache");
    await wheel(debianWheelsDir(cacheDir), "slimstage-fixture-f", "1.0", ["slimstage-no-such-dep>=1"]);
    const err = await fillRunWheelhouse(
      {
        files: [],
        lines: [
          "slimstage-no-such-one",
          "slimstage-fixture-a",
          "slimstage-fixture-f",
          "slimstage-no-such-two==2",
        ],
      },
      signal,
      { cacheDir },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).message).toBe(
      "the host's pip index has no CPython 3.11 binary or pure-Python wheel for slimstage-no-such-one, slimstage-no-such-dep>=1 (for slimstage-fixture-f), slimstage-no-such-two==2",
    );
  }, 120_000);

  it("without a target the host's pip alone judges markers (nothing added)", async () => {
    const cacheDir = path.join(root, "cache");
    const run = await fillRunWheelhouse({ files: [], lines: ["slimstage-fixture-a"] }, signal, { cacheDir });
    try {
      expect(run.added).toEqual([]);
      expect((await readdir(run.dir)).filter((f) => f.startsWith("slimstage_"))).toEqual([
        "slimstage_fixture_a-1.0-py3-none-any.whl",
      ]);
    } finally {
      await run.remove();
    }
  }, 120_000);
});
