import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../engine/build/client.js";
import { BuildError } from "../errors.js";
import type { RecipeHost } from "./recipe.js";

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The tarball name npm pack gives `name@version` (scoped names lose the @ and the slash). */
function tarballName(spec: string): string {
  const at = spec.lastIndexOf("@");
  const name = spec.slice(0, at).replace(/^@/, "").replace("/", "-");
  return `${name}-${spec.slice(at + 1)}.tgz`;
}

/**
 * Fetches an exact package version from the npm registry with the host's npm
 * (which already trusts the proxy's CA), once: later calls reuse the file.
 */
export async function npmPack(spec: string, host: RecipeHost): Promise<{ file: string; sha256: string }> {
  const dir = join(host.cacheDir, "npm");
  await mkdir(dir, { recursive: true });
  const file = join(dir, tarballName(spec));
  const have = await stat(file).catch(() => undefined);
  if (!have) {
    host.progress(`fetching ${spec} from the npm registry (npm pack)`);
    const tmp = join(dir, `.partial-${process.pid}`);
    await mkdir(tmp, { recursive: true });
    const res = await runCli("npm", ["pack", spec, "--pack-destination", tmp, "--silent"], {
      signal: host.signal,
      timeoutMs: 600_000,
    });
    if (res.code !== 0) {
      throw new BuildError(`npm pack ${spec} failed (exit ${res.code}): ${res.stderr.trim().slice(-800)}`, {
        hint: "the npm registry must be reachable from this machine (check `npm ping`)",
      });
    }
    await rename(join(tmp, tarballName(spec)), file);
    await rm(tmp, { recursive: true, force: true });
  }
  return { file, sha256: await sha256File(file) };
}

/** Unpacks a .tgz with the host's tar. */
export async function extractTarball(
  file: string,
  dir: string,
  opts: { strip?: number; exclude?: readonly string[]; signal: AbortSignal },
): Promise<void> {
  const args = ["-xzf", file, "-C", dir, "--no-same-owner"];
  if (opts.strip) args.push(`--strip-components=${opts.strip}`);
  for (const e of opts.exclude ?? []) args.push(`--exclude=${e}`);
  const res = await runCli("tar", args, { signal: opts.signal });
  if (res.code !== 0) throw new BuildError(`could not unpack ${file}: ${res.stderr.trim()}`);
}
