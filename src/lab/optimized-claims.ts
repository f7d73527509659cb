/**
 * The claims slimstage makes about its own optimize variants of a lab (not
 * the lab's claims): the slim tier is no larger than the lab's best
 * multi-stage image, and, where the lab.yaml asks, the distroless tier stays
 * under a size or under the node binary plus a margin. Pure functions of the
 * measured numbers; a tier that did not verify has no size to claim.
 */
import { formatBytes } from "../report/format-units.js";
import type { LabOptimize } from "./lab-config.js";
import type { ClaimVerdict } from "./lab-result.js";
import { parseThreshold } from "./verdicts.js";

/** A variant of the lab as the claims see it. */
export interface SizedVariant {
  name: string;
  /** Uncompressed size of its image (absent: no image). */
  sizeBytes?: number;
  /** Built and passed its probe. */
  works: boolean;
  /** Its Dockerfile has more than one stage. */
  multiStage: boolean;
}

/** One optimize tier as the claims see it. */
export interface TierMeasure {
  /** Built and verified. */
  verified: boolean;
  sizeBytes?: number;
  /** Why it failed, when it did. */
  reason?: string;
  /** Size of the node binary the image ships (Node projects). */
  nodeBinaryBytes?: number;
}

type Verdict = Pick<ClaimVerdict, "verdict" | "measured" | "why">;

function unmeasured(why: string): Verdict {
  return { verdict: null, measured: "not measured", why };
}

function tierSize(tier: TierMeasure | undefined, name: string): number | string {
  if (!tier) return `${name} was not run`;
  if (!tier.verified) return `${name} did not verify (${tier.reason ?? "failed"}): its size is not claimed`;
  if (tier.sizeBytes === undefined) return `${name} has no measured size`;
  return tier.sizeBytes;
}

/** The smallest lab variant that is multi-stage and works: the lab's best multi-stage image. */
export function bestMultiStage(
  variants: readonly SizedVariant[],
): (SizedVariant & { sizeBytes: number }) | undefined {
  return variants
    .filter(
      (v): v is SizedVariant & { sizeBytes: number } => v.multiStage && v.works && v.sizeBytes !== undefined,
    )
    .sort((a, b) => a.sizeBytes - b.sizeBytes)[0];
}

/** "slimstage's optimized (slim tier) image is no larger than the lab's best multi-stage image". */
export function judgeSlimVsBestMulti(
  slim: TierMeasure | undefined,
  variants: readonly SizedVariant[],
): Verdict {
  const size = tierSize(slim, "optimized-slim");
  if (typeof size === "string") return unmeasured(size);
  const best = bestMultiStage(variants);
  if (!best) return unmeasured("no multi-stage variant of the lab built and passed its probe");
  const diff = best.sizeBytes - size;
  const sizes = `optimized-slim ${formatBytes(size)} vs ${best.name} ${formatBytes(best.sizeBytes)}`;
  return diff >= 0
    ? {
        verdict: true,
        measured: `${sizes}: ${formatBytes(diff)} smaller`,
        why: `${best.name} is the lab's smallest working multi-stage image`,
      }
    : {
        verdict: false,
        measured: `${sizes}: ${formatBytes(-diff)} LARGER`,
        why: `${best.name} is the lab's smallest working multi-stage image`,
      };
}

/** "the distroless tier is at most LIMIT and verified". */
export function judgeDistrolessAtMost(distroless: TierMeasure | undefined, limit: string): Verdict {
  const t = parseThreshold(limit);
  if (!("bytes" in t)) return unmeasured(`"${limit}" is not a size`);
  if (!distroless) return unmeasured("optimized-distroless was not run");
  // Verification is part of this claim: a tier that failed it makes the claim false, not unmeasured.
  if (!distroless.verified) {
    return {
      verdict: false,
      measured: "not verified",
      why: `optimized-distroless did not verify: ${distroless.reason ?? "failed"}`,
    };
  }
  if (distroless.sizeBytes === undefined) return unmeasured("optimized-distroless has no measured size");
  const ok = distroless.sizeBytes <= t.bytes;
  return {
    verdict: ok,
    measured: `optimized-distroless ${formatBytes(distroless.sizeBytes)} vs at most ${formatBytes(t.bytes)} (${limit})`,
    why: ok ? "built, verified and within the limit" : "built and verified, but over the limit",
  };
}

/** "the distroless tier is at most the node binary + MARGIN". */
export function judgeDistrolessNodePlus(distroless: TierMeasure | undefined, margin: string): Verdict {
  const t = parseThreshold(margin);
  if (!("bytes" in t)) return unmeasured(`"${margin}" is not a size`);
  const size = tierSize(distroless, "optimized-distroless");
  if (typeof size === "string") return unmeasured(size);
  const node = distroless?.nodeBinaryBytes;
  if (node === undefined) return unmeasured("no /usr/local/bin/node in the optimized-distroless image");
  const limit = node + t.bytes;
  const ok = size <= limit;
  return {
    verdict: ok,
    measured: `optimized-distroless ${formatBytes(size)} vs node binary ${formatBytes(node)} + ${margin} = ${formatBytes(limit)}`,
    why: ok
      ? `everything besides node takes ${formatBytes(size - node)}`
      : `everything besides node takes ${formatBytes(size - node)}, more than ${margin}`,
  };
}

/** slimstage's claims for one lab, from its variants and the optimize tiers. */
export function judgeOptimizedClaims(
  opt: LabOptimize | undefined,
  tiers: { slim?: TierMeasure; distroless?: TierMeasure },
  variants: readonly SizedVariant[],
): ClaimVerdict[] {
  const out: Omit<ClaimVerdict, "asExpected">[] = [
    {
      id: "optimized-slim-no-larger",
      text: "slimstage's optimized (slim tier) image is no larger than the lab's best multi-stage image.",
      kind: "optimized",
      ...judgeSlimVsBestMulti(tiers.slim, variants),
    },
  ];
  if (opt?.distrolessAtMost !== undefined) {
    out.push({
      id: "optimized-distroless-at-most",
      text: `slimstage's distroless tier is at most ${opt.distrolessAtMost} and verified.`,
      kind: "optimized",
      ...judgeDistrolessAtMost(tiers.distroless, opt.distrolessAtMost),
    });
  }
  if (opt?.distrolessAtMostNodePlus !== undefined) {
    out.push({
      id: "optimized-distroless-node-plus",
      text: `slimstage's distroless tier is at most the node binary + ${opt.distrolessAtMostNodePlus}.`,
      kind: "optimized",
      ...judgeDistrolessNodePlus(tiers.distroless, opt.distrolessAtMostNodePlus),
    });
  }
  // slimstage's own claims state no expectation: a false one is a finding about slimstage.
  return out.map((c) => ({ ...c, asExpected: c.verdict !== null }));
}
