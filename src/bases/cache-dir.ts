import { homedir } from "node:os";
import { join } from "node:path";

/** Where slimstage keeps downloads between runs (npm tarballs, the wheelhouse). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIMSTAGE_CACHE_DIR) return env.SLIMSTAGE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "slimstage");
  return join(homedir(), ".cache", "slimstage");
}
