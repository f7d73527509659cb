import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openImage } from "../open.js";
import { type FixtureImage, writeOciLayout } from "../test-helpers/image-writer.js";
import { analyzeImage } from "./analyze.js";
import { parseApkInstalled, parseDpkgStatus, parseRecordPaths } from "./package-dbs.js";
import type { Analysis } from "./types.js";

const APK_DB = [
  "C:Q1abc=",
  "P:musl",
  "V:1.2.4-r2",
  "F:lib",
  "R:ld-musl-x86_64.so.1",
  "R:libc.musl-x86_64.so.1",
  "",
  "P:busybox",
  "V:1.36.1-r5",
  "F:bin",
  "R:busybox",
  "F:etc",
  "R:securetty",
  "",
].join("\n");

const SITE = "usr/lib/python3/dist-packages";

const OTHERS: FixtureImage = {
  config: { WorkingDir: "/srv" },
  layers: [
    {
      createdBy: "/bin/sh -c #(nop) ADD file:alpine in / ",
      files: [
        { path: "lib/apk/db/installed", content: APK_DB },
        { path: "lib/ld-musl-x86_64.so.1", size: 600 },
        { path: "lib/libc.musl-x86_64.so.1", type: "symlink", target: "ld-musl-x86_64.so.1" },
        { path: "bin/busybox", size: 800 },
        { path: "etc/securetty", size: 10 },
        { path: "var/lib/dpkg/status.d/base", content: "Package: base-files\nVersion: 12.4\n" },
      ],
    },
    {
      createdBy: "RUN python setup.py install",
      files: [
        {
          path: `${SITE}/legacy-1.0-py3.11.egg-info/PKG-INFO`,
          content: "Name: Legacy\nVersion: 1.0.2\n\nbody",
        },
        {
          path: `${SITE}/legacy-1.0-py3.11.egg-info/installed-files.txt`,
          content: "../legacy/__init__.py\n",
        },
        { path: `${SITE}/legacy/__init__.py`, size: 70 },
        {
          path: `${SITE}/odd-2.0.dist-info/RECORD`,
          content: '"odd/a,b.py",sha256=x,5\nodd-2.0.dist-info/RECORD,,\n',
        },
        { path: `${SITE}/odd/a,b.py`, size: 5 },
        { path: "usr/local/lib/python3.12/os.py", size: 40 },
        { path: "usr/local/bin/python3", type: "symlink", target: "python3.12" },
        { path: "usr/local/bin/node", size: 900 },
      ],
    },
    {
      createdBy: "COPY --from=build /opt/venv /opt/venv # buildkit",
      files: [{ path: "opt/venv/bin/tool", size: 30 }],
    },
    {
      createdBy: "COPY server.js /srv/ # buildkit",
      files: [
        { path: "srv/server.js", size: 25 },
        { path: "srv/data/seed.json", size: 3 },
      ],
    },
  ],
};

let dir: string;
let a: Analysis;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-owners-"));
  await writeOciLayout(join(dir, "layout"), OTHERS);
  a = analyzeImage(await openImage(`oci-layout://${join(dir, "layout")}`));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const owner = (kind: string, name: string) => a.byOwner.find((o) => o.kind === kind && o.name === name);

describe("owners beyond dpkg, pip and npm", () => {
  it("reads apk's installed database", () => {
    // musl: the loader (600) and its symlink; busybox: the binary and /etc/securetty.
    expect(owner("os-package", "musl")).toMatchObject({ version: "1.2.4-r2", files: 2, bytes: 600 });
    expect(owner("os-package", "busybox")).toMatchObject({ version: "1.36.1-r5", files: 2, bytes: 810 });
  });

  it("lists distroless status.d packages", () => {
    expect(a.packages).toContainEqual(
      expect.objectContaining({ ecosystem: "deb", name: "base-files", version: "12.4" }),
    );
  });

  it("reads egg-info (PKG-INFO name and version, installed-files.txt) and quoted RECORD paths", () => {
    const legacy = owner("python", "legacy");
    expect(legacy).toMatchObject({ version: "1.0.2" });
    expect(legacy!.files).toBe(3); // PKG-INFO, installed-files.txt, legacy/__init__.py
    expect(owner("python", "odd")).toMatchObject({ version: "2.0", files: 2 });
  });

  it("names a CPython and a Node runtime in /usr/local by path", () => {
    expect(owner("python", "cpython")).toMatchObject({ files: 2, bytes: 40 });
    expect(owner("npm", "node")).toMatchObject({ files: 1, bytes: 900 });
  });

  it("counts COPY steps into app directories and WORKDIR as the app, not copies into /opt", () => {
    expect(owner("app", "app")).toMatchObject({ files: 2, bytes: 28 });
    expect(owner("unknown", "")).toMatchObject({ files: 1, bytes: 30 }); // /opt/venv/bin/tool
  });
});

const STATUS = ["coreutils", "odd", "loopy"]
  .map((name) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n`)
  .join("\n");

/** dpkg lists as Debian writes them (a "/." line, merged-/usr paths), and lists with unusual lines. */
const DPKG: FixtureImage = {
  config: {},
  layers: [
    {
      createdBy: "ADD rootfs /",
      files: [
        { path: "var/lib/dpkg/status", content: STATUS },
        {
          path: "var/lib/dpkg/info/coreutils.list",
          content: "/.\n/bin\n/bin/cat\n/bin/ls\n/init\n/usr\n/usr/bin\n/usr/bin/env\n",
        },
        {
          path: "var/lib/dpkg/info/odd:amd64.list",
          content: "/.\n/usr/lib//odd.so\n/usr/share/../lib/odd2.so\n",
        },
        { path: "var/lib/dpkg/info/loopy.list", content: "/.\n/loop/x\n" },
        { path: "bin", type: "symlink", target: "usr/bin" },
        { path: "loop", type: "symlink", target: "loop" },
        { path: "init", size: 7 },
        { path: "usr/bin/cat", size: 100 },
        { path: "usr/bin/ls", size: 200 },
        { path: "usr/bin/env", size: 50 },
        { path: "usr/lib/odd.so", size: 11 },
        { path: "usr/lib/odd2.so", size: 13 },
      ],
    },
  ],
};

describe("dpkg file lists", () => {
  let d: Analysis;
  beforeAll(async () => {
    await writeOciLayout(join(dir, "dpkg"), DPKG);
    d = analyzeImage(await openImage(`oci-layout://${join(dir, "dpkg")}`));
  });
  const pkg = (name: string) => d.byOwner.find((o) => o.kind === "os-package" && o.name === name);

  it("claims files through a merged-/usr symlink and in the root directory", () => {
    // Five: the /bin symlink itself (Debian lists it as a directory), cat, ls, env and /init.
    expect(pkg("coreutils")).toMatchObject({ files: 5, bytes: 357 });
  });

  it("normalises lines with doubled slashes and .. parts, and reads name:arch lists", () => {
    expect(pkg("odd")).toMatchObject({ files: 2, bytes: 24 });
  });

  it("warns about a symlink loop on the way to a listed file", () => {
    expect(d.warnings.some((w) => w.includes("symlink loop") && w.includes("/loop/x"))).toBe(true);
  });
});

describe("package database parsers", () => {
  it("parse dpkg status stanzas, skipping packages that are not installed", () => {
    const pkgs = parseDpkgStatus(
      "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 2\n",
    );
    expect(pkgs.map((p) => p.name)).toEqual(["a"]);
  });

  it("parse dpkg status fields without case, past continuation lines, between any kind of blank line", () => {
    const text = [
      "package: x\r\nVERSION: 3\r\nDescription: d\r\n Version: not-this\r\n .\r\n",
      "Package: y\nArchitecture: all\nStatus: install ok installed\n \t\n",
      "Package: z\nStatus: deinstall ok config-files\n\n\n",
      "Package:w\nVersion:1:2.3-4\n",
    ].join("\r\n");
    expect(parseDpkgStatus(text)).toEqual([
      { name: "x", version: "3", arch: "" },
      { name: "y", version: "", arch: "all" },
      { name: "w", version: "1:2.3-4", arch: "" },
    ]);
  });

  it("parse apk databases and RECORD files", () => {
    expect(parseApkInstalled(APK_DB).map((p) => `${p.name}:${p.files.length}`)).toEqual([
      "musl:2",
      "busybox:2",
    ]);
    expect(parseRecordPaths('"a ""q"".py",x,1\nb.py,,\n')).toEqual(['a "q".py', "b.py"]);
  });
});
