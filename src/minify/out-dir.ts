/**
 * The `--out` folder of a minify run: a new or empty folder, or (with
 * --force) one holding nothing but an earlier run's files; and what is left
 * of it when a run fails.
 */
import { mkdir, readdir, rm, rmdir, stat } from "node:fs/promises";
import { InputError, InterruptedError } from "../errors.js";
import { BYTECODE_FILES } from "./bytecode.js";

/** What a run writes there: --force replaces these and nothing else. */
export const OUT_FILES: readonly string[] = [
  "Dockerfile",
  "closure.txt",
  "trace.log",
  ".dockerignore",
  "audit.json",
  "audit.md",
  BYTECODE_FILES.list,
  BYTECODE_FILES.script,
];

/** Makes sure `dir` exists and holds nothing but an earlier minify's files (with force); true when it made it. */
export async function prepareOutDir(dir: string, force: boolean): Promise<boolean> {
  const existed = await stat(dir).then(
    (st) => {
      if (!st.isDirectory()) throw new InputError(`--out ${dir} is not a directory`);
      return true;
    },
    () => false,
  );
  await mkdir(dir, { recursive: true });
  const have = await readdir(dir);
  const ours = new Set(OUT_FILES);
  const foreign = have.filter((f) => !ours.has(f));
  if (foreign.length > 0 || (have.length > 0 && !force)) {
    throw new InputError(
      `${dir} is not empty (${have.slice(0, 3).join(", ")}${have.length > 3 ? ", ..." : ""})`,
      {
        hint:
          foreign.length > 0
            ? "choose an empty or new directory with --out"
            : "pass --force to replace a previous minify's files there",
      },
    );
  }
  return !existed;
}

/**
 * After a failed run: a folder the run made goes when it holds nothing, or when the run was
 * interrupted (Ctrl-C leaves nothing half-written behind). Otherwise what a failed build or
 * verification wrote stays for a look (a new run there needs --force).
 */
export async function leaveOutDir(dir: string, created: boolean, error: unknown): Promise<void> {
  if (!created) return;
  if (error instanceof InterruptedError) await rm(dir, { recursive: true, force: true });
  else await rmdir(dir).catch(() => undefined);
}
