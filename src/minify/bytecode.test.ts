import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../dockerfile/parser.js";
import { buildStageGraph } from "../dockerfile/stage-graph.js";
import { FileTree } from "../image/filetree.js";
import { layerOfPaths, type PathSpec } from "../image/test-helpers/memory-layer.js";
import { bytecodeListing, compiledFiles, planBytecode, withoutDropped } from "./bytecode.js";
import { computeClosure } from "./closure.js";
import { emitDockerfile } from "./emit.js";

const PY = "usr/local/lib/python3.11";

function tree(files: PathSpec[]): FileTree {
  const t = new FileTree();
  t.applyLayer(layerOfPaths(files));
  return t;
}

/** The emitted Dockerfile of a Flask image, with a bytecode stage (and the archive when given). */
function emitWithBytecode(extra: { archive?: { path: string; stdlib: string } } = {}): string {
  return emitDockerfile({
    source: "hello:single",
    sourceId: "sha256:abc",
    config: {
      env: [],
      exposedPorts: [],
      labels: {},
      os: "linux",
      architecture: "amd64",
      cmd: ["python", "app.py"],
      entrypoint: null,
      user: "",
      workdir: "/app",
    },
    picker: "debian:bookworm-slim",
    listFile: "closure.txt",
    notes: [],
    bytecode: {
      python: "/usr/local/bin/python3.11",
      listFile: "bytecode.txt",
      scriptFile: "bytecode.py",
      tar: "/b.tar",
      ...extra,
    },
  });
}

const image = tree([
  ["usr/local/bin/python3.11", 15_000],
  ["usr/local/bin/python3", "python3.11"],
  ["usr/local/bin/python", "python3"],
  [`${PY}/os.py`, 40_000],
  [`${PY}/__pycache__/os.cpython-311.pyc`, 30_000],
  [`${PY}/__pycache__/os.cpython-311.opt-1.pyc`, 29_000],
  [`${PY}/__pycache__/os_extra.cpython-311.pyc`, 100],
  [`${PY}/encodings/__init__.py`, 5_000],
  [`${PY}/encodings/__pycache__/__init__.cpython-311.pyc`, 4_000],
  [`${PY}/encodings/linked.py`, `${PY}/os.py`],
  [`${PY}/site-packages/flask/app.py`, 9_000],
  [`${PY}/site-packages/flask/templates/x.html`, 300],
  [`${PY}/site-packages/extra/mod.py`, 700],
  ["usr/lib/python3.9/old.py", 1_000],
  ["app/app.py", 100],
]);
const used = [
  "/usr/local/bin/python",
  `/${PY}/os.py`,
  `/${PY}/__pycache__/os.cpython-311.pyc`,
  `/${PY}/encodings/__init__.py`,
  `/${PY}/encodings/__pycache__/__init__.cpython-311.pyc`,
  `/${PY}/encodings/linked.py`,
  `/${PY}/site-packages/flask/app.py`,
  `/${PY}/site-packages/flask/templates/x.html`,
  "/usr/lib/python3.9/old.py",
  "/app/app.py",
];
// What --include names is kept as it is.
const closure = computeClosure({ tree: image, used, whole: [`/${PY}/site-packages/extra`] });

describe("sourceless bytecode", () => {
  const plan = planBytecode(closure, image, ["/usr/local/bin/python"]);

  it("compiles the library sources of the interpreter that ran (found through its links), not the app's or --include's", () => {
    expect(closure.paths).toContain(`${PY}/site-packages/extra/mod.py`);
    expect(plan?.python).toBe("/usr/local/bin/python3.11");
    expect(plan?.sources).toEqual([
      `${PY}/encodings/__init__.py`,
      `${PY}/os.py`,
      `${PY}/site-packages/flask/app.py`,
    ]);
  });

  it("drops those sources and their cached bytecode, and a __pycache__ left empty; nothing else", () => {
    const dropped = [...(plan?.dropped ?? [])].sort();
    expect(dropped).toEqual([
      `${PY}/__pycache__`,
      `${PY}/__pycache__/os.cpython-311.pyc`,
      `${PY}/encodings/__init__.py`,
      `${PY}/encodings/__pycache__`,
      `${PY}/encodings/__pycache__/__init__.cpython-311.pyc`,
      `${PY}/os.py`,
      `${PY}/site-packages/flask/app.py`,
    ]);
    const rest = withoutDropped(closure, image, plan?.dropped ?? new Set());
    // Only kept entries: the untraced opt-1 file and the other module's cache were never in the closure.
    expect(rest.paths.some((p) => p.includes("__pycache__"))).toBe(false);
    expect(rest.paths).toContain("app/app.py");
    expect(rest.paths).toContain(`${PY}/encodings/linked.py`);
    expect(rest.paths).toContain("usr/lib/python3.9/old.py");
    expect(rest.files).toBe(closure.files - 5);
    expect(rest.bytes).toBe(closure.bytes - 40_000 - 30_000 - 5_000 - 4_000 - 9_000);
    expect([...rest.why.keys()].some((p) => plan?.dropped.has(p))).toBe(false);
  });

  it("plans nothing when no versioned CPython ran, or with nothing to compile", () => {
    expect(planBytecode(closure, image, ["/bin/sh"])).toBeUndefined();
    const appOnly = computeClosure({ tree: image, used: ["/usr/local/bin/python", "/app/app.py"] });
    expect(planBytecode(appOnly, image, ["/usr/local/bin/python"])).toBeUndefined();
  });

  it("reads back what the stage wrote: the .pyc, or the source carried as it was", () => {
    const minified = tree([
      [`${PY}/os.pyc`, 31_000],
      [`${PY}/encodings/__init__.py`, 5_000],
    ]);
    expect(plan?.archive).toBeUndefined();
    expect(compiledFiles(minified, plan ?? { sources: [] })).toEqual([
      {
        path: `${PY}/encodings/__init__.py`,
        sources: [`${PY}/encodings/__init__.py`],
        bytes: 5_000,
        asSource: true,
      },
      { path: `${PY}/os.pyc`, sources: [`${PY}/os.py`], bytes: 31_000 },
    ]);
  });

  it("emits a bytecode stage run by the image's interpreter in exec form, feeding the picker, not the result", () => {
    const text = emitWithBytecode();
    const df = parseDockerfile(text, { file: "Dockerfile", shell: true });
    expect(df.stages.map((s) => s.name ?? "")).toEqual(["source", "bytecode", "pick", ""]);
    expect(buildStageGraph(df).stages.map((s) => s.reachesFinalImage)).toEqual([false, false, false, true]);
    expect(text).toContain("ENV PYTHONHASHSEED=0\n");
    expect(text).toContain(
      '["/usr/local/bin/python3.11","-S","-s","/slimstage-bytecode/compile.py","/slimstage-bytecode/list","/b.tar"]',
    );
    expect(text).toContain("--mount=type=bind,from=bytecode,source=/b.tar,target=/bytecode.tar");
    expect(text).toMatch(/tar -C \/closure -xpf \/bytecode\.tar && tar -C \/closure -xpf \/closure\.tar/);
  });

  describe("the standard-library archive", () => {
    const std = tree([
      ["usr/local/bin/python3.11", 15_000],
      [`${PY}/os.py`, 40_000],
      [`${PY}/typing.py`, 9_000],
      [`${PY}/email/__init__.py`, 1_000],
      [`${PY}/email/mime/text.py`, 2_000],
      [`${PY}/email/__pycache__/__init__.cpython-311.pyc`, 900],
      [`${PY}/ctypes/__init__.py`, 3_000],
      [`${PY}/ctypes/macholib/fetch_macholib`, 80],
      [`${PY}/lib-dynload/_ssl.so`, 5_000],
      [`${PY}/site-packages/flask/app.py`, 9_000],
      ["app/app.py", 100],
    ]);
    const everything = computeClosure({
      tree: std,
      used: [
        "/usr/local/bin/python3.11",
        `/${PY}/os.py`,
        `/${PY}/typing.py`,
        `/${PY}/email/__init__.py`,
        `/${PY}/email/mime/text.py`,
        `/${PY}/email/__pycache__/__init__.cpython-311.pyc`,
        `/${PY}/ctypes/__init__.py`,
        `/${PY}/ctypes/macholib/fetch_macholib`,
        `/${PY}/lib-dynload/_ssl.so`,
        `/${PY}/site-packages/flask/app.py`,
        "/app/app.py",
      ],
    });
    const p = planBytecode(everything, std, ["/usr/local/bin/python3.11"]);

    it("holds top-level modules and packages whose kept files are all compiled; not os, not a package with data, not site-packages", () => {
      expect(p?.archive).toEqual({
        path: "usr/local/lib/python311.zip",
        stdlib: PY,
        sources: [`${PY}/email/__init__.py`, `${PY}/email/mime/text.py`, `${PY}/typing.py`],
        dirs: [`${PY}/email`, `${PY}/email/mime`],
      });
      // The archived package's folders leave the closure with its sources and cache.
      const rest = withoutDropped(everything, std, p?.dropped ?? new Set());
      expect(rest.paths.filter((x) => x.startsWith(`${PY}/email`))).toEqual([]);
      expect(rest.paths).toContain(`${PY}/ctypes/macholib/fetch_macholib`);
      expect(rest.paths).toContain(`${PY}/lib-dynload/_ssl.so`);
    });

    it("lists archived and loose modules for the stage", () => {
      expect(p && bytecodeListing(p)).toBe(
        [
          `l ${PY}/ctypes/__init__.py`,
          `a ${PY}/email/__init__.py`,
          `a ${PY}/email/mime/text.py`,
          `l ${PY}/os.py`,
          `l ${PY}/site-packages/flask/app.py`,
          `a ${PY}/typing.py`,
          "",
        ].join("\n"),
      );
    });

    it("archives nothing when asked not to, when PYTHONHOME moves the prefix, or when the image has its own archive", () => {
      expect(
        planBytecode(everything, std, ["/usr/local/bin/python3.11"], { archive: false })?.archive,
      ).toBeUndefined();
      expect(
        planBytecode(everything, std, ["/usr/local/bin/python3.11"], { env: ["PYTHONHOME=/opt"] })?.archive,
      ).toBeUndefined();
      const withZip = tree([["usr/local/lib/python311.zip", 10], ...([] as PathSpec[])]);
      withZip.applyLayer(
        layerOfPaths([
          [`${PY}/typing.py`, 9_000],
          ["usr/local/bin/python3.11", 1],
        ]),
      );
      const c = computeClosure({ tree: withZip, used: ["/usr/local/bin/python3.11", `/${PY}/typing.py`] });
      expect(planBytecode(c, withZip, ["/usr/local/bin/python3.11"])?.archive).toBeUndefined();
    });

    it("reads the archive back as one file standing for its modules, and counts the folders a loose fallback wrote", () => {
      const archived = tree([
        [`${PY}/os.pyc`, 31_000],
        [`${PY}/ctypes/__init__.pyc`, 2_000],
        [`${PY}/site-packages/flask/app.pyc`, 8_000],
        ["usr/local/lib/python311.zip", 4_000],
      ]);
      const read = p ? compiledFiles(archived, p) : [];
      expect(read.find((c) => c.archive)).toEqual({
        path: "usr/local/lib/python311.zip",
        sources: [`${PY}/email/__init__.py`, `${PY}/email/mime/text.py`, `${PY}/typing.py`],
        bytes: 4_000,
        archive: true,
      });
      expect(read.reduce((n, c) => n + c.sources.length, 0)).toBe(p?.sources.length);
      // The interpreter had no archive on sys.path: everything loose, and the package folders are the stage's.
      const loose = tree([
        [`${PY}/os.pyc`, 31_000],
        [`${PY}/typing.pyc`, 8_000],
        [`${PY}/email/__init__.pyc`, 900],
        [`${PY}/email/mime/text.pyc`, 1_800],
        [`${PY}/ctypes/__init__.pyc`, 2_000],
        [`${PY}/site-packages/flask/app.pyc`, 8_000],
      ]);
      const back = p ? compiledFiles(loose, p) : [];
      expect(back.some((c) => c.archive)).toBe(false);
      expect(back.filter((c) => c.sources.length === 0).map((c) => c.path)).toEqual([
        `${PY}/email`,
        `${PY}/email/mime`,
      ]);
    });

    it("passes the archive and the standard library's folder to the stage", () => {
      const text = emitWithBytecode({ archive: { path: "usr/local/lib/python311.zip", stdlib: PY } });
      expect(text).toContain(`"/b.tar","usr/local/lib/python311.zip","${PY}"]`);
    });
  });
});
