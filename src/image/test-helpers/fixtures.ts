/**
 * The hand-worked fixture image used by the analysis, format and diff
 * tests. Every number the tests expect is derived in comments next to the
 * test, from the sizes below.
 */
import type { FixtureImage } from "./image-writer.js";

export const STATUS = [
  "Package: foo\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\nDescription: foo\n multi-line\n",
  "Package: gcc-12\nStatus: install ok installed\nVersion: 12.2.0-14\nArchitecture: amd64\n",
  "Package: libc6-dev\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n",
  "Package: oldpkg\nStatus: deinstall ok config-files\nVersion: 0.1\nArchitecture: amd64\n",
].join("\n");
// "/lib/libfoo.so.1" reaches usr/lib through the /lib symlink (Debian's merged /usr).
export const FOO_LIST =
  "/.\n/lib\n/lib/libfoo.so.1\n/usr/share/doc/foo/copyright\n/usr/share/man/man1/foo.1.gz\n";
export const GCC_LIST = "/usr/bin/gcc-12\n/usr/lib/gcc/x86_64-linux-gnu/12/cc1\n";
export const LIBC_LIST = "/usr/include/stdio.h\n/usr/lib/x86_64-linux-gnu/libc.a\n";
export const RECORD = [
  "flask/__init__.py,sha256=abc,800",
  "flask/__pycache__/__init__.cpython-311.pyc,,",
  "flask/tests/test_x.py,sha256=def,150",
  "flask-3.0.0.dist-info/RECORD,,",
  "../../../bin/flask,sha256=ghi,60",
  "",
].join("\n");
export const PJ_LEFTPAD = JSON.stringify({ name: "left-pad", version: "1.3.0", description: "pads" });
export const PJ_INNER = JSON.stringify({ name: "@scope/inner", version: "2.0.0" });

const SITE = "usr/local/lib/python3.11/site-packages";

export const len = (s: string): number => Buffer.byteLength(s);

export const HANDWORKED: FixtureImage = {
  repoTag: "fixture/handworked:1",
  config: {
    WorkingDir: "/app",
    Cmd: ["python", "app.py"],
    Env: ["PATH=/usr/bin"],
    ExposedPorts: { "8000/tcp": {} },
  },
  layers: [
    {
      compression: "gzip",
      createdBy: "/bin/sh -c #(nop) ADD file:abc in / ",
      files: [
        { path: "etc/", type: "dir" },
        { path: "etc/os-release", content: "ID=debian\n" },
        { path: "usr/", type: "dir" },
        { path: "usr/lib/", type: "dir" },
        { path: "lib", type: "symlink", target: "usr/lib" },
        { path: "usr/lib/libfoo.so.1", size: 3000 },
        { path: "usr/bin/gcc-12", size: 4000 },
        { path: "usr/bin/cc", type: "hardlink", target: "usr/bin/gcc-12" },
        { path: "usr/lib/gcc/x86_64-linux-gnu/12/cc1", size: 6000 },
        { path: "usr/include/stdio.h", size: 500 },
        { path: "usr/lib/x86_64-linux-gnu/libc.a", size: 700 },
        { path: "usr/share/doc/foo/copyright", size: 300 },
        { path: "usr/share/man/man1/foo.1.gz", size: 200 },
        { path: "var/lib/dpkg/status", content: STATUS },
        { path: "var/lib/dpkg/info/foo.list", content: FOO_LIST },
        { path: "var/lib/dpkg/info/gcc-12:amd64.list", content: GCC_LIST },
        { path: "var/lib/dpkg/info/libc6-dev.list", content: LIBC_LIST },
        { path: "tmp/cache/a", size: 400 },
        { path: "tmp/cache/b", size: 100 },
      ],
    },
    {
      compression: "zstd",
      createdBy: "/bin/sh -c pip install flask && make",
      files: [
        { path: "big.bin", size: 20000 },
        { path: "usr/lib/libfoo.so.1", size: 2500 },
        { path: "root/.cache/pip/http/x", size: 700 },
        { path: `${SITE}/flask/__init__.py`, size: 800 },
        { path: `${SITE}/flask/__pycache__/__init__.cpython-311.pyc`, size: 90 },
        { path: `${SITE}/flask/tests/test_x.py`, size: 150 },
        { path: `${SITE}/flask-3.0.0.dist-info/RECORD`, content: RECORD },
        { path: "usr/local/bin/flask", size: 60 },
        { path: "usr/local/lib/python3.11/__pycache__/os.cpython-311.pyc", size: 120 },
      ],
    },
    {
      createdBy: "/bin/sh -c rm big.bin && rm -rf /tmp/cache/*",
      files: [
        { path: "big.bin", type: "whiteout" },
        { path: "tmp/cache", type: "opaque" },
        { path: "tmp/cache/c", size: 50 },
      ],
    },
    {
      createdBy: "COPY . /app/ # buildkit",
      files: [
        { path: "app/app.py", size: 300 },
        { path: "app/node_modules/left-pad/package.json", content: PJ_LEFTPAD },
        { path: "app/node_modules/left-pad/index.js", size: 90 },
        { path: "app/node_modules/left-pad/README.md", size: 25 },
        { path: "app/node_modules/left-pad/node_modules/@scope/inner/package.json", content: PJ_INNER },
        { path: "app/node_modules/left-pad/node_modules/@scope/inner/index.js", size: 40 },
      ],
    },
  ],
  emptySteps: [
    { createdBy: "/bin/sh -c #(nop)  ENV FOO=bar", before: 3 },
    { createdBy: "WORKDIR /app", before: 3 },
    { createdBy: '/bin/sh -c #(nop)  CMD ["python" "app.py"]' },
  ],
};

/** Layer content sizes of HANDWORKED, summed by hand from the list above. */
export const L0 =
  10 +
  3000 +
  4000 +
  6000 +
  500 +
  700 +
  300 +
  200 +
  len(STATUS) +
  len(FOO_LIST) +
  len(GCC_LIST) +
  len(LIBC_LIST) +
  400 +
  100;
export const L1 = 20000 + 2500 + 700 + 800 + 90 + 150 + len(RECORD) + 60 + 120;
export const L2 = 50;
export const L3 = 300 + len(PJ_LEFTPAD) + 90 + 25 + len(PJ_INNER) + 40;
