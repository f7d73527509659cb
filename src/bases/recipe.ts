/** The Debian suites a Debian stand-in can be made from. */
export type DebianSuite = "bookworm" | "trixie";
export const DEBIAN_SUITES: readonly DebianSuite[] = ["bookworm", "trixie"];

/** The names of the local bases, in build order. */
export type BaseName = "debian" | "python" | "node" | "redis";
export const BASE_NAMES: readonly BaseName[] = ["debian", "python", "node", "redis"];

/** Labels every local base carries. */
export const LABEL_BASE = "org.slimstage.base";
export const LABEL_STAND_IN = "org.slimstage.stand-in";
export const LABEL_RECIPE = "org.slimstage.recipe";
export const LABEL_BASE_NAME = "org.slimstage.base.name";
export const STAND_IN_TEXT = "local stand-in built from Debian packages";

/** What the host gives a recipe while it prepares its build context. */
export interface RecipeHost {
  /** A directory where downloads are kept between runs (npm tarballs, the wheelhouse). */
  readonly cacheDir: string;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
  /** Absolute path of the host's CA bundle, trusted inside every base. */
  readonly caBundle: string;
}

/** Files (name relative to the build context -> content or a host path to copy). */
export type ContextFiles = ReadonlyMap<string, { readonly text: string } | { readonly copyFrom: string }>;

/** A base built by BuildKit from a Dockerfile on top of another base. */
export interface DockerfileRecipe {
  readonly kind: "dockerfile";
  readonly name: BaseName;
  /** The slimstage/ reference it is tagged as. */
  readonly ref: string;
  /** Official names it is aliased to when those names are absent. */
  readonly aliases: readonly string[];
  /** The base it builds FROM. */
  readonly parent: BaseName;
  /** One line saying what it is, for `bases list`. */
  readonly summary: string;
  /** The official image it stands in for and that image's size in bytes (docker-library repo-info). */
  readonly official: { readonly ref: string; readonly bytes?: number };
  /**
   * Writes what the build needs into the context directory (downloads go
   * through host.cacheDir) and returns the Dockerfile text plus the strings
   * that identify its inputs (versions, digests) for the recipe hash.
   */
  prepare(
    contextDir: string,
    host: RecipeHost,
  ): Promise<{
    dockerfile: string;
    inputs: readonly string[];
    /** Slow context work (unpacking), done only when the base is really built. */
    materialize?: () => Promise<void>;
  }>;
  /** A command run in a fresh container that proves the base works. */
  readonly smoke: readonly string[];
}

/** The Debian base, made from a debootstrapped root file system. */
export interface RootfsRecipe {
  readonly kind: "rootfs";
  readonly name: "debian";
  readonly suite: DebianSuite;
  readonly ref: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly official: { readonly ref: string; readonly bytes?: number };
  readonly smoke: readonly string[];
}

export type BaseRecipe = DockerfileRecipe | RootfsRecipe;
