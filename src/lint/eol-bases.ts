import type { FromInstruction } from "../dockerfile/model.js";
import { type EolProduct, type EolVerdict, lookupEol, releasesInImage } from "./eol.js";
import { buildsOnStage, instructionsOf, isReachable } from "./facts.js";
import type { RuleContext } from "./rule.js";

/**
 * The end-of-life verdict of each release a base image names, on the FROM of
 * every stage the target needs (SS401 and SS402 differ only in which verdicts
 * they report). Stage references, scratch and images with variables name no
 * release; releases the table does not know are left out.
 */
export function* reachableBaseEol(
  ctx: Pick<RuleContext, "df" | "graph" | "policy">,
): Generator<{ ins: FromInstruction; product: EolProduct; verdict: EolVerdict }> {
  for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
    if (!isReachable(ctx.graph, stage)) continue;
    if (buildsOnStage(ctx.graph, stage) || ins.imageRef.scratch || ins.imageRef.hasVariables) continue;
    for (const r of releasesInImage(ins.imageRef.repository, ins.imageRef.tag)) {
      const verdict = lookupEol(r.product, r.cycle, ctx.policy.now);
      if (verdict) yield { ins, product: r.product, verdict };
    }
  }
}
