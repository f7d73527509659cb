/**
 * A test may read only what the repository, the shared corpora, temp dirs and
 * the set-up provide. A test that reads a host file installed by hand passes on
 * the machine where it was written and fails on a fresh one (compare's fixture
 * once read /bin/busybox, which nothing installed). This set-up file wraps the
 * fs calls that read a file; when the caller is test code (a *.test.ts
 * file or a test helper) and the path lies outside those roots, the file must
 * belong to a Debian package that every Debian system has (priority required,
 * or essential) or that scripts/test-packages.txt lists (installed by
 * scripts/setup-test-deps.sh); otherwise the call throws, naming the path.
 * Library code called by a test is not checked: it reads the host on purpose.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ROOTS = [REPO, resolve(REPO, "..", "shared"), tmpdir(), "/tmp", "/proc", "/sys", "/dev"].map((r) =>
  r.endsWith(sep) ? r : r + sep,
);

const TEST_CALLER = /\.test\.ts|[/\\]test[/\\]|[/\\]test-helpers[/\\]/;
const GUARD_FILE = fileURLToPath(import.meta.url);

export class HostPathError extends Error {}

let listedCache: Set<string> | undefined;
function listedPackages(): Set<string> {
  if (listedCache) return listedCache;
  const text = fs.readFileSync(resolve(REPO, "scripts/test-packages.txt"), "utf8");
  listedCache = new Set(
    text
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean),
  );
  return listedCache;
}

// dpkg-query's format fields, not a template literal.
const DPKG_FIELDS = ["Priority", "Essential"].map((f) => `\${${f}}`).join(" ");

interface Owner {
  pkg: string;
  everywhere: boolean; // priority required, or essential: on every Debian system
}
const owners = new Map<string, Owner | null>();

/** The Debian package that owns `abs`, or null when none does (cached: dpkg-query takes about a second). */
function ownerOf(abs: string): Owner | null {
  const known = owners.get(abs);
  if (known !== undefined) return known;
  let owner: Owner | null = null;
  try {
    const pkg = execFileSync("dpkg-query", ["-S", abs], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\n")[0]
      ?.split(":")[0]
      ?.trim();
    if (pkg) {
      const [priority, essential] = execFileSync("dpkg-query", ["-W", "-f", DPKG_FIELDS, pkg], {
        encoding: "utf8",
      }).split(" ");
      owner = { pkg, everywhere: priority === "required" || essential === "yes" };
    }
  } catch {
    owner = null; // dpkg-query -S exits 1 for a path no package owns
  }
  owners.set(abs, owner);
  return owner;
}

// State that the set-up scripts create (the remote engine's pid file, the registry's root).
const SETUP_STATE = /^\/(?:var\/)?(?:run|lib)\/slimstage-[^/]+(?:\/|$)/;

const underRoots = (abs: string): boolean =>
  SETUP_STATE.test(abs) || ROOTS.some((r) => abs === r.slice(0, -1) || abs.startsWith(r));

/** null when a test may read `path`, else why not. */
export function hostPathProblem(path: string, listed: Set<string> = listedPackages()): string | null {
  const abs = resolve(path);
  if (underRoots(abs)) return null;
  const owner = ownerOf(abs);
  if (!owner) return `${abs} belongs to no Debian package: only a hand-made install provides it`;
  if (owner.everywhere || listed.has(owner.pkg)) return null;
  return `${abs} belongs to Debian's ${owner.pkg}, which is neither part of every Debian system nor listed in scripts/test-packages.txt`;
}

function callerIsTestCode(): boolean {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const frame = frames.find((f) => !f.includes(GUARD_FILE) && !f.includes("node:") && /\(?\/|file:/.test(f));
  return frame !== undefined && TEST_CALLER.test(frame) && !frame.includes("node_modules");
}

function check(target: unknown): void {
  const path = target instanceof URL ? fileURLToPath(target) : target;
  // The root test first: a stack trace (source-mapped under vitest) is costly,
  // and library code reads thousands of files under the repository and temp dirs.
  if (typeof path !== "string" || !isAbsolute(path) || underRoots(resolve(path)) || !callerIsTestCode())
    return;
  const problem = hostPathProblem(path);
  if (problem) {
    throw new HostPathError(
      `a test reads a host path that the set-up does not provide: ${problem}. ` +
        "Build the fixture from what the set-up provides, or add the package to scripts/test-packages.txt.",
    );
  }
}

type AnyFn = (...a: unknown[]) => unknown;
/** Wraps `names` of `mod`; promise-returning functions reject instead of throwing. */
function guard<T extends object>(mod: T, names: (keyof T)[], promises: boolean): void {
  for (const name of names) {
    const original = mod[name] as unknown as AnyFn;
    if (typeof original !== "function") continue;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      try {
        check(args[0]);
      } catch (err) {
        if (promises) return Promise.reject(err);
        throw err;
      }
      return original.apply(this, args);
    };
    Object.assign(mod, { [name]: wrapped });
  }
}

// Reads only: existence checks stay free, since tests assert that nothing was
// written outside a temp dir (existsSync("/abs/file.txt") must be false).
guard(fs, ["readFileSync", "readFile", "openSync", "open", "createReadStream"], false);
guard(fsp, ["readFile", "open"], true);
// ESM named imports of builtins (`import { readFileSync } from "node:fs"`) see the wrappers only after this.
syncBuiltinESMExports();
