/**
 * Loads mvdan-sh, the GopherJS build of mvdan/sh (a 1.5 MB CommonJS file),
 * as cheaply as Node allows (used by the tests and `npm run bench -- shell`
 * since slimstage has its own parser). Measured on this project's machine:
 *
 * - `import` from ESM costs about 0.2 CPU-s more than `require`: Node 20
 *   compiles the file once to detect its module format and lexes all of it
 *   for named exports (cjs-module-lexer). `require` does neither.
 * - V8's code cache (vm.Script `cachedData`) skips parsing and compiling
 *   the functions the first parse needed: about 0.06 CPU-s less per process.
 *
 * The cache is written once, after the first parse, to
 * `$SLIMSTAGE_CACHE_DIR/v8/` (else `$XDG_CACHE_HOME/slimstage/v8/`, else
 * `~/.cache/slimstage/v8/`), keyed by the package's and Node's versions. V8
 * rejects data from another build and the file is then rewritten; an
 * unwritable cache only costs the time above. Node 20 has no
 * module.enableCompileCache and v8-compile-cache hooks every require of the
 * process, so these few lines are by hand.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

export interface MvdanParser {
  Parse(src: string, name: string): unknown;
}
export interface MvdanSh {
  syntax: { NewParser(...opts: unknown[]): MvdanParser };
}

const require = createRequire(import.meta.url);

function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SLIMSTAGE_CACHE_DIR) return join(env.SLIMSTAGE_CACHE_DIR, "v8");
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "slimstage", "v8");
  return join(homedir(), ".cache", "slimstage", "v8");
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export interface LoadedMvdan {
  sh: MvdanSh;
  /** Call after the first parse: stores V8's code cache when there was none that fit. */
  saveCache(): void;
}

/** Loads the package with V8's code cache (see above). `useCache: false` loads it the plain way. */
export function loadMvdanSh(opts: { useCache?: boolean; env?: NodeJS.ProcessEnv } = {}): LoadedMvdan {
  if (opts.useCache === false) return { sh: require("mvdan-sh") as MvdanSh, saveCache: () => {} };
  const file = require.resolve("mvdan-sh");
  const version = (require("mvdan-sh/package.json") as { version: string }).version;
  const cacheFile = join(
    cacheDir(opts.env ?? process.env),
    `mvdan-sh-${version}-node${process.version}-${process.arch}.bin`,
  );
  const source = readFileSync(file, "utf8");
  const cachedData = readOrUndefined(cacheFile);
  // The same wrapper Node's CommonJS loader puts around a module.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${source}\n});`,
    cachedData ? { filename: file, cachedData } : { filename: file },
  );
  const fn = script.runInThisContext() as (
    exports: unknown,
    req: NodeJS.Require,
    mod: { exports: unknown },
    filename: string,
    dir: string,
  ) => void;
  const mod = { exports: {} as unknown };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  let saved = cachedData !== undefined && !script.cachedDataRejected;
  return {
    sh: mod.exports as MvdanSh,
    saveCache() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only or full cache directory: the next process compiles again, nothing else changes.
      }
    },
  };
}
