import { InputError } from "../../errors.js";
import { type BuildOptions, type BuildProgressEvent, type BuildResult, buildImage } from "./build.js";

/** One Dockerfile variant of an app: `--variant NAME=FILE[:TARGET]`. */
export interface BuildVariant {
  name: string;
  context: string;
  dockerfile: string;
  target?: string;
  /** Tags for this variant (default: `slimstage/<context dir>:<name>` is NOT added; pass tags to name images). */
  tags?: string[];
}

export interface VariantBuildResult extends BuildResult {
  variant: string;
}

/** What every variant's build shares: the single build's options, with progress named per variant. */
export type BuildVariantsOptions = Pick<
  BuildOptions,
  "buildArgs" | "labels" | "network" | "extraHosts" | "noCache" | "signal"
> & {
  onProgress?: (variant: string, e: BuildProgressEvent) => void;
};

/**
 * Builds several variants one after the other (two cores: parallel builds
 * only fight for them; BuildKit shares the cache between them anyway).
 * Stops at the first failure, which is thrown as the BuildStepError of that
 * variant.
 */
export async function buildVariants(
  variants: readonly BuildVariant[],
  opts: BuildVariantsOptions = {},
): Promise<VariantBuildResult[]> {
  const names = new Set<string>();
  for (const v of variants) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.name)) {
      throw new InputError(`variant name "${v.name}" must be letters, digits, '.', '_' or '-'`);
    }
    if (names.has(v.name)) throw new InputError(`variant "${v.name}" is given twice`);
    names.add(v.name);
  }
  const out: VariantBuildResult[] = [];
  for (const v of variants) {
    const onProgress = opts.onProgress;
    const r = await buildImage({
      context: v.context,
      dockerfile: v.dockerfile,
      ...(v.target ? { target: v.target } : {}),
      ...(v.tags ? { tags: v.tags } : {}),
      ...(opts.buildArgs ? { buildArgs: opts.buildArgs } : {}),
      labels: { ...opts.labels, "org.slimstage.variant": v.name },
      ...(opts.network ? { network: opts.network } : {}),
      ...(opts.extraHosts ? { extraHosts: opts.extraHosts } : {}),
      ...(opts.noCache ? { noCache: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(onProgress ? { onProgress: (e: BuildProgressEvent) => onProgress(v.name, e) } : {}),
    });
    out.push({ variant: v.name, ...r });
  }
  return out;
}

/**
 * Parses `NAME=FILE[:TARGET]` (FILE relative to the context directory when
 * not absolute).
 */
export function parseVariantSpec(spec: string, context: string): BuildVariant {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1) {
    throw new InputError(`--variant "${spec}" must look like NAME=FILE or NAME=FILE:TARGET`);
  }
  const name = spec.slice(0, eq);
  const rest = spec.slice(eq + 1);
  const colon = rest.lastIndexOf(":");
  const file = colon > 0 ? rest.slice(0, colon) : rest;
  const target = colon > 0 ? rest.slice(colon + 1) : undefined;
  if (target === "") throw new InputError(`--variant "${spec}": empty target after ':'`);
  const dockerfile = file.startsWith("/") ? file : `${context.replace(/\/$/, "")}/${file}`;
  return { name, context, dockerfile, ...(target ? { target } : {}) };
}
