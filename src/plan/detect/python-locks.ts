/**
 * Lockfiles of the Python tools (Poetry, uv, PDM, Pipenv) read as data.
 * The tools themselves are not in the image (nor in the offline index), so
 * slimstage exports the runtime set of a lock as pinned requirement lines
 * that plain pip installs, and checks that the lock matches its manifest.
 */
import { InputError } from "../../errors.js";
import { normalizeName, pep508Name } from "./requirements.js";

type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function tables(v: unknown): Table[] {
  return Array.isArray(v) ? v.filter(isTable) : [];
}

/** Markers slimstage can decide for a Linux container: Windows- or macOS-only deps are left out. */
export function markerExcludesLinux(marker: string | undefined): boolean {
  if (!marker) return false;
  return /(sys_platform|platform_system|os_name)\s*==\s*["'](win32|Windows|darwin|Darwin|nt|cygwin)["']/.test(
    marker,
  );
}

export interface LockExport {
  /** Pinned lines: "flask==3.0.3". */
  lines: string[];
  /** Names (normalised) of everything exported. */
  names: string[];
}

function outOfSync(lock: string, manifest: string, missing: string[], tool: string): InputError {
  return new InputError(
    `${lock} is out of sync with ${manifest}: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not locked`,
    {
      location: { file: lock, line: 1, column: 1 },
      hint: `run \`${tool}\` to update the lock, or pass --ignore-lock to install from ${manifest} unpinned`,
    },
  );
}

/** Walks a dependency graph from the roots, collecting reachable locked packages. */
function closure(roots: string[], deps: Map<string, string[]>, versions: Map<string, string>): LockExport {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n) || !versions.has(n)) continue;
    seen.add(n);
    for (const d of deps.get(n) ?? []) stack.push(d);
  }
  const names = [...seen].sort();
  return { names, lines: names.map((n) => `${n}==${versions.get(n)}`) };
}

// --- Poetry -----------------------------------------------------------------

/** Runtime dependencies declared for Poetry (tool.poetry.dependencies or PEP 621 project.dependencies). */
/**
 * The `[[package]]` tables of a Poetry or PDM lock: each package's locked
 * version and the names it depends on (read by the format's own `depsOf`).
 */
function lockedPackages(
  lock: Table,
  depsOf: (p: Table) => string[],
): { versions: Map<string, string>; deps: Map<string, string[]> } {
  const versions = new Map<string, string>();
  const deps = new Map<string, string[]>();
  for (const p of tables(lock.package)) {
    const name = str(p.name);
    const version = str(p.version);
    if (!name || !version) continue;
    const n = normalizeName(name);
    versions.set(n, version);
    deps.set(n, depsOf(p));
  }
  return { versions, deps };
}

/** Names of a list of PEP 508 requirement strings, without those whose marker excludes Linux. */
function pep508Names(list: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(list)) return out;
  for (const d of list) {
    if (typeof d !== "string") continue;
    if (markerExcludesLinux(d.split(";")[1])) continue;
    const n = pep508Name(d);
    if (n) out.push(n);
  }
  return out;
}

export function poetryMainDeps(pyproject: Table): string[] {
  const poetry = isTable(pyproject.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry : {};
  const out = new Set<string>();
  if (isTable(poetry.dependencies)) {
    for (const [k, v] of Object.entries(poetry.dependencies)) {
      if (k.toLowerCase() === "python") continue;
      if (isTable(v) && v.optional === true) continue;
      out.add(normalizeName(k));
    }
  }
  const project = isTable(pyproject.project) ? pyproject.project : {};
  if (Array.isArray(project.dependencies)) {
    for (const d of project.dependencies) {
      const n = typeof d === "string" ? pep508Name(d) : undefined;
      if (n) out.add(n);
    }
  }
  return [...out].sort();
}

export function poetryDevDeps(pyproject: Table): string[] {
  const poetry = isTable(pyproject.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry : {};
  const out = new Set<string>();
  const groups = isTable(poetry.group) ? poetry.group : {};
  for (const g of Object.values(groups)) {
    if (isTable(g) && isTable(g.dependencies))
      for (const k of Object.keys(g.dependencies)) out.add(normalizeName(k));
  }
  if (isTable(poetry["dev-dependencies"]))
    for (const k of Object.keys(poetry["dev-dependencies"])) out.add(normalizeName(k));
  return [...out].sort();
}

export function exportPoetryLock(pyproject: Table, lock: Table, lockName = "poetry.lock"): LockExport {
  const { versions, deps } = lockedPackages(lock, (p) => {
    const ds: string[] = [];
    if (isTable(p.dependencies)) {
      for (const [k, v] of Object.entries(p.dependencies)) {
        const spec = Array.isArray(v) ? v.filter(isTable)[0] : v;
        if (isTable(spec) && (spec.optional === true || markerExcludesLinux(str(spec.markers)))) continue;
        ds.push(normalizeName(k));
      }
    }
    return ds;
  });
  const roots = poetryMainDeps(pyproject);
  const missing = roots.filter((r) => !versions.has(r));
  if (missing.length > 0) throw outOfSync(lockName, "pyproject.toml", missing, "poetry lock");
  return closure(roots, deps, versions);
}

// --- uv ---------------------------------------------------------------------

export function pep621Deps(pyproject: Table): string[] {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  return [...new Set(pep508Names(project.dependencies))].sort();
}

/** PEP 621 optional-dependencies test/dev groups, PEP 735 dependency-groups, tool.uv / tool.pdm dev deps. */
export function pep621DevDeps(pyproject: Table): string[] {
  const out = new Set<string>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const d of list) {
      const n = typeof d === "string" ? pep508Name(d) : undefined;
      if (n) out.add(n);
    }
  };
  const project = isTable(pyproject.project) ? pyproject.project : {};
  if (isTable(project["optional-dependencies"])) {
    for (const [k, v] of Object.entries(project["optional-dependencies"]))
      if (/^(dev|test|tests|testing)$/.test(k)) add(v);
  }
  if (isTable(pyproject["dependency-groups"]))
    for (const v of Object.values(pyproject["dependency-groups"])) add(v);
  const tool = isTable(pyproject.tool) ? pyproject.tool : {};
  if (isTable(tool.uv)) add(tool.uv["dev-dependencies"]);
  if (isTable(tool.pdm) && isTable(tool.pdm["dev-dependencies"])) {
    for (const v of Object.values(tool.pdm["dev-dependencies"])) add(v);
  }
  return [...out].sort();
}

export function exportUvLock(pyproject: Table, lock: Table, lockName = "uv.lock"): LockExport {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const rootName = str(project.name) ? normalizeName(str(project.name) as string) : undefined;
  const versions = new Map<string, string>();
  const deps = new Map<string, string[]>();
  let root: Table | undefined;
  for (const p of tables(lock.package)) {
    const name = str(p.name);
    if (!name) continue;
    const n = normalizeName(name);
    const source = isTable(p.source) ? p.source : {};
    if (n === rootName || "virtual" in source || ("editable" in source && str(source.editable) === ".")) {
      if (n === rootName || !root) root = p;
      continue;
    }
    const version = str(p.version);
    if (!version) continue;
    versions.set(n, version);
    deps.set(
      n,
      tables(p.dependencies)
        .filter((d) => !markerExcludesLinux(str(d.marker)))
        .map((d) => normalizeName(str(d.name) ?? "")),
    );
  }
  const declared = pep621Deps(pyproject);
  if (!root) throw outOfSync(lockName, "pyproject.toml", [rootName ?? "the project itself"], "uv lock");
  const meta = isTable(root.metadata) ? root.metadata : {};
  const lockedDeclared = new Set(tables(meta["requires-dist"]).map((d) => normalizeName(str(d.name) ?? "")));
  const missing = declared.filter((d) => !lockedDeclared.has(d) || !versions.has(d));
  if (missing.length > 0) throw outOfSync(lockName, "pyproject.toml", missing, "uv lock");
  const roots = tables(root.dependencies)
    .filter((d) => !markerExcludesLinux(str(d.marker)))
    .map((d) => normalizeName(str(d.name) ?? ""));
  return closure(roots.length > 0 ? roots : declared, deps, versions);
}

// --- PDM --------------------------------------------------------------------

export function exportPdmLock(pyproject: Table, lock: Table, lockName = "pdm.lock"): LockExport {
  const { versions, deps } = lockedPackages(lock, (p) => pep508Names(p.dependencies));
  const declared = pep621Deps(pyproject);
  const missing = declared.filter((d) => !versions.has(d));
  if (missing.length > 0) throw outOfSync(lockName, "pyproject.toml", missing, "pdm lock");
  return closure(declared, deps, versions);
}

// --- Pipenv -----------------------------------------------------------------

export function pipfileDeps(pipfile: Table, section: "packages" | "dev-packages"): string[] {
  const s = pipfile[section];
  return isTable(s) ? Object.keys(s).map(normalizeName).sort() : [];
}

export function exportPipfileLock(pipfile: Table, lock: unknown, lockName = "Pipfile.lock"): LockExport {
  const def = isTable(lock) && isTable(lock.default) ? lock.default : {};
  const pinned = new Map<string, string>();
  for (const [k, v] of Object.entries(def)) {
    if (!isTable(v)) continue;
    if (markerExcludesLinux(str(v.markers))) continue;
    const version = str(v.version);
    if (version) pinned.set(normalizeName(k), version.replace(/^==/, ""));
  }
  const declared = pipfileDeps(pipfile, "packages");
  const missing = declared.filter((d) => !pinned.has(d));
  if (missing.length > 0) throw outOfSync(lockName, "Pipfile", missing, "pipenv lock");
  const names = [...pinned.keys()].sort();
  return { names, lines: names.map((n) => `${n}==${pinned.get(n)}`) };
}
