import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BuildKitClient,
  requireBuildKitClient,
  runBuildKitBuild,
  runCli,
} from "../engine/build/client.js";
import { connectEngine, type EngineConnection, engineCliEnv } from "../engine/connect.js";
import { findEngineImage } from "../engine/images.js";
import { tagLocalImage, untagLocalImage } from "../engine/local-images.js";
import { BuildError, EngineError, InputError, InterruptedError, isSlimstageError } from "../errors.js";
import { formatBytes } from "../image/format/units.js";
import { withBasesLock } from "./build-lock.js";
import { defaultCacheDir } from "./cache-dir.js";
import {
  type BaseName,
  type BaseRecipe,
  type DebianSuite,
  LABEL_BASE,
  LABEL_BASE_NAME,
  LABEL_RECIPE,
  LABEL_STAND_IN,
  type RecipeHost,
  STAND_IN_TEXT,
} from "./recipe.js";
import { recipesFor } from "./recipes/index.js";
import { buildRootfsImage, rootfsInputs } from "./rootfs.js";

/** Bumped when the build procedure itself changes, so every base is rebuilt once. */
const RECIPE_FORMAT = "slimstage-bases/1";

export interface BuildBasesOptions {
  readonly suite?: DebianSuite;
  /** Build only these (and the Debian base they need, when it is missing). */
  readonly only?: readonly BaseName[];
  /** Rebuild even when the image carries the current recipe hash. */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** One line per step, for stderr. */
  readonly progress?: (line: string) => void;
  /** Every chunk of build output (plain BuildKit progress). */
  readonly log?: (chunk: string) => void;
  readonly cacheDir?: string;
  /** The CA bundle trusted inside the images (default: the host's system bundle). */
  readonly caBundle?: string;
  /** Build these recipes instead of the built-in ones (tests use throwaway recipes). */
  readonly recipes?: readonly BaseRecipe[];
}

export interface AliasResult {
  readonly ref: string;
  /** "tagged": points at this base; "kept": an image not made by slimstage holds the name. */
  readonly status: "tagged" | "kept";
}

export interface BaseBuildResult {
  readonly name: BaseName;
  readonly ref: string;
  readonly id: string;
  readonly size: number;
  readonly status: "built" | "cached";
  readonly seconds: number;
  readonly recipeHash: string;
  readonly aliases: readonly AliasResult[];
}

export const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

function hashOf(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${p.length}:${p}\n`);
  return h.digest("hex");
}

async function setAliases(
  conn: EngineConnection,
  id: string,
  aliases: readonly string[],
): Promise<AliasResult[]> {
  const out: AliasResult[] = [];
  for (const ref of aliases) {
    const cur = await findEngineImage(ref, conn);
    // Only names that are free or already hold one of our stand-ins: a real
    // official image under that name is never shadowed.
    if (cur && cur.id !== id && cur.labels[LABEL_BASE] !== "true") {
      out.push({ ref, status: "kept" });
      continue;
    }
    if (cur?.id !== id) await tagLocalImage(conn, id, ref);
    out.push({ ref, status: "tagged" });
  }
  return out;
}

/** Which recipes to run: the selection plus the Debian base when it is missing. */
function select(
  all: readonly BaseRecipe[],
  only: readonly BaseName[] | undefined,
  debianPresent: boolean,
): BaseRecipe[] {
  if (!only || only.length === 0) return [...all];
  for (const n of only) {
    if (!all.some((r) => r.name === n)) {
      throw new InputError(`no base named "${n}" for this suite`, {
        hint: `choose from: ${all.map((r) => r.name).join(", ")}`,
      });
    }
  }
  return all.filter((r) => only.includes(r.name) || (r.kind === "rootfs" && !debianPresent));
}

/**
 * Builds (or confirms, from the recipe hash label) each local base. Each one
 * is built under a temporary tag and only retagged to its slimstage/ name and
 * its official aliases once complete, so a failure or Ctrl-C leaves no
 * half-tagged image behind.
 */
export async function buildBases(opts: BuildBasesOptions = {}): Promise<BaseBuildResult[]> {
  const suite = opts.suite ?? "bookworm";
  const signal = opts.signal ?? new AbortController().signal;
  const progress = opts.progress ?? (() => {});
  const conn = await connectEngine();
  const client = await requireBuildKitClient();
  const host: RecipeHost = {
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    signal,
    progress,
    caBundle: opts.caBundle ?? HOST_CA_BUNDLE,
  };
  const all = opts.recipes ?? recipesFor(suite);
  return withBasesLock(host.cacheDir, signal, progress, async () => {
    const debian = all.find((r) => r.kind === "rootfs");
    const debianPresent = debian ? (await findEngineImage(debian.ref, conn)) !== undefined : true;
    const results: BaseBuildResult[] = [];
    for (const recipe of select(all, opts.only, debianPresent)) {
      const prefixed: RecipeHost = { ...host, progress: (l) => progress(`[${recipe.ref}] ${l}`) };
      try {
        results.push(await buildOne(recipe, all, conn, client, prefixed, opts));
      } catch (err) {
        throw await engineGoneOr(conn, recipe.ref, err);
      }
    }
    return results;
  });
}

/** A build that failed because the engine went away is an engine error (exit 3), not a build error. */
async function engineGoneOr(conn: EngineConnection, ref: string, err: unknown): Promise<unknown> {
  if (err instanceof InterruptedError || (isSlimstageError(err) && err.kind !== "build")) return err;
  const alive = await Promise.race([
    conn.docker.ping().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
  ]);
  if (alive) return err;
  return new EngineError(`the engine at ${conn.host} stopped answering while building ${ref}`, {
    cause: err,
    hint: "start it again (`slimstage setup`) and rerun `slimstage bases build`: finished bases are kept, unfinished ones left no tag",
  });
}

async function buildOne(
  recipe: BaseRecipe,
  all: readonly BaseRecipe[],
  conn: EngineConnection,
  client: BuildKitClient,
  host: RecipeHost,
  opts: BuildBasesOptions,
): Promise<BaseBuildResult> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const env = engineCliEnv(conn);
  const context =
    recipe.kind === "dockerfile" ? await mkdtemp(join(tmpdir(), `slimstage-base-${recipe.name}-`)) : "";
  let tmpRef: string | undefined;
  let materialize: (() => Promise<void>) | undefined;
  try {
    let inputs: readonly string[];
    let dockerfile = "";
    if (recipe.kind === "dockerfile") {
      const parent = all.find((r) => r.name === recipe.parent);
      const parentImage = parent ? await findEngineImage(parent.ref, conn) : undefined;
      if (!parent || !parentImage) {
        throw new InputError(`${recipe.ref} needs ${parent?.ref ?? recipe.parent}, which does not exist`, {
          hint: "build it first: slimstage bases build",
        });
      }
      const prepared = await recipe.prepare(context, host);
      dockerfile = prepared.dockerfile;
      materialize = prepared.materialize;
      inputs = [dockerfile, ...prepared.inputs, parentImage.id];
    } else {
      inputs = await rootfsInputs(recipe, host);
    }
    const recipeHash = hashOf([RECIPE_FORMAT, recipe.ref, ...inputs]);
    const existing = await findEngineImage(recipe.ref, conn);
    if (!opts.force && existing && existing.labels[LABEL_RECIPE] === recipeHash) {
      const aliases = await setAliases(conn, existing.id, recipe.aliases);
      host.progress(`up to date (${formatBytes(existing.size)})`);
      return {
        name: recipe.name,
        ref: recipe.ref,
        id: existing.id,
        size: existing.size,
        status: "cached",
        seconds: seconds(),
        recipeHash,
        aliases,
      };
    }

    const labels: Record<string, string> = {
      [LABEL_BASE]: "true",
      [LABEL_STAND_IN]: STAND_IN_TEXT,
      [LABEL_RECIPE]: recipeHash,
      [LABEL_BASE_NAME]: recipe.name,
    };
    tmpRef = `slimstage-tmp/${recipe.name}:${recipeHash.slice(0, 12)}-${process.pid}`;
    if (recipe.kind === "rootfs") {
      await buildRootfsImage(recipe, host, client, env, tmpRef, labels);
    } else {
      host.progress(`building with BuildKit (${client.path}, ${client.mode})`);
      await materialize?.();
      await writeFile(join(context, "Dockerfile"), dockerfile);
      await runBuild(client, recipe.ref, context, tmpRef, labels, env, host, opts.log);
    }
    const built = await findEngineImage(tmpRef, conn);
    if (!built) throw new BuildError(`the build of ${recipe.ref} produced no image`);
    // Prove it runs before it gets its names.
    const smoke = await runCli(
      client.path,
      ["run", "--rm", "--label", "org.slimstage.managed=true", "--network", "none", tmpRef, ...recipe.smoke],
      { env, signal: host.signal, timeoutMs: 120_000 },
    );
    if (smoke.code !== 0) {
      throw new BuildError(
        `${recipe.ref} was built but \`${recipe.smoke.join(" ")}\` fails in it: ${smoke.stderr.trim().slice(-600)}`,
      );
    }
    host.progress(`smoke test passed: ${smoke.stdout.trim().split("\n")[0] ?? ""}`);
    await tagLocalImage(conn, built.id, recipe.ref);
    const aliases = await setAliases(conn, built.id, recipe.aliases);
    if (existing && existing.id !== built.id) {
      // The previous build of this base, now untagged: drop it unless something still uses it.
      const old = await findEngineImage(existing.id, conn);
      if (old?.repoTags.every((t) => t.startsWith("slimstage-tmp/")))
        await untagLocalImage(conn, existing.id);
    }
    host.progress(`built in ${seconds()} s (${formatBytes(built.size)})`);
    return {
      name: recipe.name,
      ref: recipe.ref,
      id: built.id,
      size: built.size,
      status: "built",
      seconds: seconds(),
      recipeHash,
      aliases,
    };
  } finally {
    if (tmpRef) await untagLocalImage(conn, tmpRef).catch(() => false);
    if (context) await rm(context, { recursive: true, force: true });
  }
}

async function runBuild(
  client: BuildKitClient,
  what: string,
  context: string,
  tmpRef: string,
  labels: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
  host: RecipeHost,
  log: ((chunk: string) => void) | undefined,
): Promise<void> {
  // A heartbeat with the step BuildKit is on, so a long compile is visibly alive.
  let step = "";
  const started = Date.now();
  const beat = setInterval(() => {
    host.progress(
      `still building (${Math.round((Date.now() - started) / 1000)} s)${step ? `: ${step}` : ""}`,
    );
  }, 30_000);
  try {
    const args = [
      "-t",
      tmpRef,
      ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
      context,
    ];
    await runBuildKitBuild(client, args, {
      signal: host.signal,
      env,
      what,
      onLog: (chunk) => {
        log?.(chunk);
        for (const line of chunk.split("\n")) {
          const m = /^#\d+ \[[^\]]+\] (.{0,100})/.exec(line);
          if (m?.[1]) step = m[1];
        }
      },
    });
  } finally {
    clearInterval(beat);
  }
}
