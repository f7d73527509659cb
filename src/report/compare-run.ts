/**
 * The compare pipeline: for each image, open and analyse it (src/image),
 * optionally verify it (src/verify), then compare. Images are handled one at
 * a time: analysis reads whole layer streams and start-up times are only
 * comparable when nothing else competes for the two cores.
 */
import { InputError, InterruptedError, VerifyError } from "../errors.js";
import { analyzeImage } from "../image/analysis/analyze.js";
import { openImage } from "../image/open.js";
import type { VerifyOptions } from "../verify/types.js";
import { verifyImage } from "../verify/verify.js";
import { assertUniqueNames, type Comparison, compareImages, findBaseline } from "./compare.js";
import type { VariantData, VerifySummary } from "./report-data.js";
import { summarizeVerify, variantData } from "./summarize.js";

export interface NamedImage {
  name: string;
  ref: string;
}

/** What verification runs on each image: the probes and set-up, not the image itself. */
export type CompareVerifyOptions = Omit<VerifyOptions, "image" | "signal" | "onProgress">;

export type CompareProgressEvent =
  | { type: "analyze"; name: string; ref: string }
  | { type: "verify"; name: string; ref: string }
  | { type: "done"; name: string; ref: string; ms: number };

export interface CompareRunOptions {
  images: readonly NamedImage[];
  /** Name or ref of one of the images, or another image ref to analyse as the baseline. */
  baseline?: string;
  /** When given, every image is verified with these probes. */
  verify?: CompareVerifyOptions;
  /** Estimate compressed sizes where the source has none (default true). */
  estimateCompressed?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: CompareProgressEvent) => void;
}

export interface CompareRunResult {
  variants: VariantData[];
  comparison: Comparison;
}

/**
 * "name=ref" names an image; a bare ref is named after itself. Docker
 * references cannot contain "=", so the split is unambiguous.
 */
export function parseNamedImage(arg: string): NamedImage {
  const eq = arg.indexOf("=");
  const named = eq >= 0 ? { name: arg.slice(0, eq), ref: arg.slice(eq + 1) } : { name: arg, ref: arg };
  if (named.ref.trim() === "") throw new InputError(`"${arg}": no image reference after "="`);
  return named;
}

/** Verification runs a container, so the image must be in the engine (docker:// or a plain ref). */
function engineRef(ref: string): string {
  if (/^(docker-archive|oci-layout):\/\//.test(ref)) {
    throw new InputError(`cannot verify ${ref}: verification runs the image, so it must be in the engine`, {
      hint: "load it first (docker load -i FILE) and compare it by its tag, or leave out the probes",
    });
  }
  return ref.replace(/^docker:\/\//, "");
}

async function verifyOne(
  ref: string,
  opts: CompareVerifyOptions,
  signal: AbortSignal | undefined,
  against: string | undefined,
): Promise<VerifySummary> {
  try {
    const o = { ...opts, image: ref, ...(signal ? { signal } : {}) };
    // With a baseline in the engine, the others are verified against it (differential).
    const r = against
      ? await (await import("../verify/differential.js")).verifyAgainst({ ...o, against })
      : await verifyImage(o);
    return summarizeVerify(r);
  } catch (e) {
    // A variant that does not start is a failed row of the table, not the end of the comparison.
    if (e instanceof VerifyError) {
      return { passed: false, startupMs: null, peakMemoryBytes: null, probes: [], error: e.message };
    }
    throw e;
  }
}

export async function compareRun(opts: CompareRunOptions): Promise<CompareRunResult> {
  const images = [...opts.images];
  let baseline = opts.baseline;
  if (baseline !== undefined && findBaseline(images, baseline) < 0) {
    // A baseline that is not among the images is analysed too, first.
    const b = parseNamedImage(baseline);
    images.unshift(b);
    baseline = b.name;
  }
  assertUniqueNames(images);
  // Fail on an image that cannot be verified before analysing anything.
  const verifyRefs = opts.verify ? images.map((i) => engineRef(i.ref)) : [];
  const variants: VariantData[] = [];
  for (const [index, img] of images.entries()) {
    if (opts.signal?.aborted) throw new InterruptedError();
    const started = Date.now();
    opts.onProgress?.({ type: "analyze", ...img });
    const image = await openImage(img.ref, {
      estimateCompressed: opts.estimateCompressed ?? true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const analysis = analyzeImage(image);
    let verify: VerifySummary | undefined;
    if (opts.verify) {
      opts.onProgress?.({ type: "verify", ...img });
      // The baseline (the first image unless --baseline) is the original the others must answer like.
      const base = baseline === undefined ? 0 : findBaseline(images, baseline);
      const against = base >= 0 && base !== index ? verifyRefs[base] : undefined;
      const ref = verifyRefs[index];
      if (ref === undefined) throw new Error(`internal: no verify reference for image ${index}`);
      verify = await verifyOne(ref, opts.verify, opts.signal, against);
    }
    variants.push(variantData({ name: img.name, ref: img.ref, analysis, ...(verify ? { verify } : {}) }));
    opts.onProgress?.({ type: "done", ...img, ms: Date.now() - started });
  }
  const comparison = compareImages(variants, baseline === undefined ? {} : { baseline });
  return { variants, comparison };
}
