import { describe, expect, it } from "vitest";
import { FileTree } from "../image/filetree.js";
import { layerOfPaths, type PathSpec } from "../image/test-helpers/memory-layer.js";
import { auditClosure } from "./audit.js";
import { computeClosure } from "./closure.js";
import { partialFolders, scanSource } from "./thin-trace.js";
import { safeUnits } from "./units.js";

type Spec = PathSpec;

/** Files (a number: their size), symlinks (a string: the target); directories are implied. */
function image(specs: Spec[], meta: Record<string, string>) {
  const layer = layerOfPaths(specs, meta);
  const tree = new FileTree();
  tree.applyLayer(layer);
  return { tree, meta: (p: string) => layer.metaFiles.get(p), metaPaths: [...layer.metaFiles.keys()] };
}

const SITE = "usr/local/lib/python3.11/site-packages";
const PY = "usr/local/lib/python3.11";

function pythonImage() {
  return image(
    [
      ["usr/local/bin/python3.11", 15_000],
      ["usr/local/bin/python3", "python3.11"],
      ["usr/local/bin/python", "python3"],
      ["usr/local/bin/pip", 200],
      [`${PY}/os.py`, 40_000],
      [`${PY}/unused.py`, 9_000],
      [`${PY}/encodings/__init__.py`, 5_000],
      [`${PY}/encodings/utf_8.py`, 1_000],
      [`${PY}/encodings/unicode_escape.py`, 1_200],
      [`${PY}/zoneinfo/__init__.py`, 700],
      [`${PY}/email/__init__.py`, 1_500],
      [`${SITE}/flask/__init__.py`, 2_000],
      [`${SITE}/flask/templates/x.html`, 300],
      [`${SITE}/flask/templates/y.html`, 50],
      [`${SITE}/flask/app.pyi`, 800],
      [`${SITE}/flask/tests/test_app.py`, 3_000],
      [`${SITE}/flask/LICENSE.rst`, 1_000],
      [`${SITE}/flask/README.rst`, 1_100],
      [`${SITE}/flask-3.0.0.dist-info/RECORD`, 400],
      [`${SITE}/flask-3.0.0.dist-info/METADATA`, 500],
      [`${SITE}/pip/__init__.py`, 9_000_000],
      [`${SITE}/pip-24.0.dist-info/RECORD`, 100],
      ["usr/share/zoneinfo/Europe/Paris", 2_900],
      ["etc/ssl/certs/ca-certificates.crt", 200_000],
      ["app/app.py", 100],
      ["app/plugins/csv.py", 150],
      ["app/node_modules/left-pad/index.js", 10],
      ["app/.git/HEAD", 30],
    ],
    {
      [`${SITE}/flask-3.0.0.dist-info/RECORD`]: [
        "flask/__init__.py,sha256=x,2000",
        "flask/templates/x.html,sha256=x,300",
        "flask/templates/y.html,sha256=x,50",
        "flask/app.pyi,sha256=x,800",
        "flask/tests/test_app.py,sha256=x,3000",
        "flask/LICENSE.rst,sha256=x,1000",
        "flask/README.rst,sha256=x,1100",
        "flask-3.0.0.dist-info/RECORD,,",
        "flask-3.0.0.dist-info/METADATA,sha256=x,500",
        "../../../bin/flask,sha256=x,200",
      ].join("\n"),
      [`${SITE}/pip-24.0.dist-info/RECORD`]: "pip/__init__.py,sha256=x,9000000\n",
    },
  );
}

describe("the safe closure (whole units)", () => {
  const img = pythonImage();
  const used = [
    "/usr/local/bin/python",
    `/${PY}/os.py`,
    `/${PY}/encodings/__init__.py`,
    `/${PY}/encodings/utf_8.py`,
    `/${SITE}/flask/__init__.py`,
    "/app/app.py",
  ];
  const safe = computeClosure({ tree: img.tree, used, units: safeUnits({ ...img, workdir: "/app" }) });
  const tight = computeClosure({ tree: img.tree, used });

  it("keeps the distributions and standard-library packages the trace touched, whole", () => {
    expect(safe.why.get(`${SITE}/flask/templates/x.html`)).toEqual({ reason: "unit", unit: "python:flask" });
    expect(safe.why.get(`${SITE}/flask-3.0.0.dist-info/METADATA`)?.unit).toBe("python:flask");
    expect(safe.why.get(`${PY}/encodings/unicode_escape.py`)).toEqual({
      reason: "unit",
      unit: "stdlib:encodings",
    });
    expect(safe.why.get(`${PY}/encodings/utf_8.py`)?.reason).toBe("traced");
    expect(tight.why.has(`${PY}/encodings/unicode_escape.py`)).toBe(false);
    // Not touched: not kept. A top-level module is its own unit.
    expect(safe.why.has(`${SITE}/pip/__init__.py`)).toBe(false);
    expect(safe.why.has(`${PY}/email/__init__.py`)).toBe(false);
    expect(safe.why.has(`${PY}/unused.py`)).toBe(false);
  });

  it("keeps sysconfig's build-data module, which it imports by a computed name only when asked", () => {
    const img2 = image(
      [
        ["usr/local/bin/python3.11", 15_000],
        [`${PY}/sysconfig.py`, 30_000],
        [`${PY}/__pycache__/sysconfig.cpython-311.pyc`, 25_000],
        [`${PY}/_sysconfigdata__linux_x86_64-linux-gnu.py`, 20_000],
        [`${PY}/_sysconfigdata__other.txt`, 10],
      ],
      {},
    );
    const units = safeUnits({ ...img2, workdir: "/app" });
    // Loaded from its cached bytecode (the source only stat'ed): the companion comes along.
    const c = computeClosure({
      tree: img2.tree,
      used: ["/usr/local/bin/python3.11", `/${PY}/__pycache__/sysconfig.cpython-311.pyc`],
      units,
    });
    expect(c.why.get(`${PY}/_sysconfigdata__linux_x86_64-linux-gnu.py`)).toEqual({
      reason: "unit",
      unit: "stdlib:sysconfig",
    });
    expect(c.why.has(`${PY}/_sysconfigdata__other.txt`)).toBe(false);
    expect(
      computeClosure({ tree: img2.tree, used: [`/${PY}/sysconfig.py`] }).why.has(
        `${PY}/_sysconfigdata__linux_x86_64-linux-gnu.py`,
      ),
    ).toBe(false);
  });

  it("leaves tests, type stubs and docs of a kept package out, licences in", () => {
    expect(safe.why.has(`${SITE}/flask/tests/test_app.py`)).toBe(false);
    expect(safe.why.has(`${SITE}/flask/app.pyi`)).toBe(false);
    expect(safe.why.has(`${SITE}/flask/README.rst`)).toBe(false);
    expect(safe.why.has(`${SITE}/flask/LICENSE.rst`)).toBe(true);
  });

  it("keeps the app's tree whole (not its node_modules or .git), the interpreter's names, and time zones for zoneinfo users", () => {
    expect(safe.why.get("app/plugins/csv.py")).toEqual({ reason: "app", unit: "app:/app" });
    expect(safe.why.has("app/node_modules/left-pad/index.js")).toBe(false);
    expect(safe.why.has("app/.git/HEAD")).toBe(false);
    expect(safe.paths).toContain("usr/local/bin/python3");
    expect(tight.why.has("app/plugins/csv.py")).toBe(false);
    // Nothing kept reaches zoneinfo or ssl yet.
    expect(safe.why.has("usr/share/zoneinfo/Europe/Paris")).toBe(false);
    expect(safe.why.has("etc/ssl/certs/ca-certificates.crt")).toBe(false);
    const tz = computeClosure({
      tree: img.tree,
      used: [...used, `/${PY}/zoneinfo/__init__.py`],
      units: safeUnits({ ...img, workdir: "/app" }),
    });
    expect(tz.why.get("usr/share/zoneinfo/Europe/Paris")).toEqual({
      reason: "system",
      unit: "system:tzdata",
    });
  });

  it("the audit adds up: kept plus removed is the whole file system, kept is the closure", () => {
    const a = auditClosure(img.tree, safe.why, (_n, path) =>
      path.includes("/pip") ? { kind: "python", name: "pip" } : { kind: "unknown", name: "" },
    );
    expect(a.kept.bytes).toBe(safe.bytes);
    expect(a.kept.bytes + a.removed.bytes).toBe(a.source.bytes);
    expect(a.source.files).toBe(28);
    expect(a.removedByOwner[0]).toEqual({ kind: "python", name: "pip", files: 3, bytes: 9_000_300 });
    expect(a.keptUnits.find((u) => u.unit === "python:flask")?.bytes).toBe(
      2_000 + 300 + 50 + 1_000 + 500 + 400,
    );
    expect(a.removedPaths.map((p) => p.path)).toContain(`${SITE}/flask/tests/test_app.py`);
  });

  it("finds template folders kept in part", () => {
    expect(partialFolders(img.tree, safe.why)).toEqual([]);
    const t = computeClosure({ tree: img.tree, used: [`/${SITE}/flask/templates/x.html`] });
    expect(partialFolders(img.tree, t.why)).toEqual([{ path: `${SITE}/flask/templates`, kept: 1, total: 2 }]);
  });
});

describe("start-up hooks", () => {
  const record = [
    "distutils-precedence.pth,sha256=x,151",
    "_distutils_hack/__init__.py,sha256=x,6000",
    "_distutils_hack/override.py,sha256=x,44",
    "setuptools/__init__.py,sha256=x,9000",
    "setuptools/dist.py,sha256=x,40000",
    "pkg_resources/__init__.py,sha256=x,100000",
    "setuptools-69.0.0.dist-info/RECORD,,",
  ].join("\n");
  const img = image(
    [
      [`${SITE}/distutils-precedence.pth`, 151],
      [`${SITE}/_distutils_hack/__init__.py`, 6_000],
      [`${SITE}/_distutils_hack/override.py`, 44],
      [`${SITE}/setuptools/__init__.py`, 9_000],
      [`${SITE}/setuptools/dist.py`, 40_000],
      [`${SITE}/pkg_resources/__init__.py`, 100_000],
      [`${SITE}/setuptools-69.0.0.dist-info/RECORD`, 400],
    ],
    { [`${SITE}/setuptools-69.0.0.dist-info/RECORD`]: record },
  );
  const units = safeUnits({ ...img, workdir: "/" });
  const hooks = [`/${SITE}/distutils-precedence.pth`, `/${SITE}/_distutils_hack/__init__.py`];

  it("keeps a distribution reached only through the .pth that site.py runs at every start as its hooks alone", () => {
    const c = computeClosure({ tree: img.tree, used: hooks, units });
    expect(c.why.get(`${SITE}/_distutils_hack/override.py`)).toEqual({
      reason: "unit",
      unit: "python:setuptools (start-up hook)",
    });
    expect(c.why.has(`${SITE}/setuptools-69.0.0.dist-info/RECORD`)).toBe(true);
    expect(c.why.has(`${SITE}/setuptools/__init__.py`)).toBe(false);
    expect(c.why.has(`${SITE}/pkg_resources/__init__.py`)).toBe(false);
  });

  it("keeps it whole once the run imports the distribution itself", () => {
    const c = computeClosure({ tree: img.tree, used: [...hooks, `/${SITE}/setuptools/__init__.py`], units });
    expect(c.why.get(`${SITE}/pkg_resources/__init__.py`)).toEqual({
      reason: "unit",
      unit: "python:setuptools",
    });
    expect(c.why.get(`${SITE}/_distutils_hack/override.py`)?.unit).toBe("python:setuptools");
  });
});

describe("npm units", () => {
  const img = image(
    [
      ["srv/app/server.js", 100],
      ["srv/app/public/logo.svg", 500],
      ["srv/app/.next/static/chunks/main.js", 9_000],
      ["srv/app/node_modules/body-parser/index.js", 1_000],
      ["srv/app/node_modules/body-parser/package.json", 300],
      ["srv/app/node_modules/body-parser/README.md", 3_000],
      ["srv/app/node_modules/body-parser/lib/read.js", 800],
      ["srv/app/node_modules/body-parser/node_modules/iconv-lite/package.json", 100],
      ["srv/app/node_modules/body-parser/node_modules/iconv-lite/encodings/sbcs.js", 70_000],
      ["srv/app/node_modules/debug/package.json", 100],
      ["srv/app/node_modules/debug/src/index.js", 2_000],
      ["srv/app/node_modules/@scope/types/index.d.ts", 900],
      ["srv/app/node_modules/@scope/types/package.json", 90],
      ["srv/app/node_modules/unused/index.js", 50_000],
      ["srv/app/node_modules/unused/package.json", 90],
      ["srv/app/node_modules/body-parser/dist/index.js.map", 4_000],
    ],
    {
      "srv/app/node_modules/body-parser/package.json": JSON.stringify({
        name: "body-parser",
        dependencies: ["debug", "iconv-lite", "@scope/types", "not-installed"],
      }),
      "srv/app/node_modules/body-parser/node_modules/iconv-lite/package.json": JSON.stringify({
        name: "iconv-lite",
      }),
      "srv/app/node_modules/debug/package.json": JSON.stringify({ name: "debug" }),
      "srv/app/node_modules/@scope/types/package.json": JSON.stringify({ name: "@scope/types" }),
      "srv/app/node_modules/unused/package.json": JSON.stringify({ name: "unused" }),
    },
  );
  const c = computeClosure({
    tree: img.tree,
    used: ["/srv/app/server.js", "/srv/app/node_modules/body-parser/index.js"],
    units: safeUnits({ ...img, workdir: "/" }),
  });

  it("keeps a used package whole with its installed dependencies, nested ones first; not the unused", () => {
    expect(c.why.get("srv/app/node_modules/body-parser/lib/read.js")?.unit).toBe("npm:body-parser");
    expect(c.why.get("srv/app/node_modules/body-parser/node_modules/iconv-lite/encodings/sbcs.js")).toEqual({
      reason: "dependency",
      unit: "npm:iconv-lite",
    });
    expect(c.why.get("srv/app/node_modules/debug/src/index.js")?.reason).toBe("dependency");
    expect(c.why.has("srv/app/node_modules/unused/index.js")).toBe(false);
  });

  it("drops docs, source maps and declarations inside packages; keeps asset folders next to app code", () => {
    expect(c.why.has("srv/app/node_modules/body-parser/README.md")).toBe(false);
    expect(c.why.has("srv/app/node_modules/body-parser/dist/index.js.map")).toBe(false);
    expect(c.why.has("srv/app/node_modules/@scope/types/index.d.ts")).toBe(false);
    expect(c.why.has("srv/app/node_modules/@scope/types/package.json")).toBe(true);
    expect(c.why.get("srv/app/public/logo.svg")).toEqual({ reason: "asset", unit: "asset:/srv/app/public" });
    expect(c.why.get("srv/app/.next/static/chunks/main.js")?.reason).toBe("asset");
  });
});

describe("thin-trace scanning", () => {
  it("finds loads by computed names, not literal ones", () => {
    const py = [
      "import importlib",
      'm = importlib.import_module("json")',
      'p = importlib.import_module(f"plugins.{name}")',
      "x = __import__(name)",
      "# importlib.import_module(name) in a comment",
      "eps = entry_points(group='myapp.plugins')",
    ].join("\n");
    expect(scanSource("app/app.py", py).map((d) => [d.line, d.what])).toEqual([
      [3, "computed-import"],
      [4, "computed-import"],
      [6, "entry-points"],
    ]);
    const js = [
      "const a = require('express');",
      "const b = require('../encodings/' + name);",
      "const c = require(`./x`);",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the scanned source holds a template literal
      "const d = await import(`./locales/${lang}.js`);",
      "obj.require(x);",
    ].join("\n");
    expect(scanSource("app/a.js", js).map((d) => [d.line, d.what])).toEqual([
      [2, "computed-require"],
      [4, "dynamic-import"],
    ]);
  });
});
