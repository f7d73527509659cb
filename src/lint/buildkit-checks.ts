/**
 * BuildKit's own Dockerfile checks (`docker build --check`, dockerfile
 * frontend 1.x) and where slimstage stands on each: the rule whose metadata
 * names it (`buildkit:`), or why none does. docs/rules.md prints this table.
 */
import type { Rule } from "./rule.js";

/** Every check of the dockerfile frontend's linter, with the reason when no rule covers it. */
export const BUILDKIT_CHECKS: ReadonlyArray<{ name: string; uncovered?: string }> = [
  { name: "ConsistentInstructionCasing" },
  { name: "CopyIgnoredFile" },
  { name: "DuplicateStageName" },
  {
    name: "ExposeInvalidFormat",
    uncovered:
      "not yet: EXPOSE with an IP or host port (`EXPOSE 127.0.0.1:80:80`) is rare in the corpora; SS413 checks the port numbers",
  },
  { name: "ExposeProtoCasing" },
  { name: "FromAsCasing" },
  { name: "FromPlatformFlagConstDisallowed" },
  {
    name: "InvalidBaseImagePlatform",
    uncovered: "needs the base image's manifest (its platforms): a build-time fact, not in the Dockerfile",
  },
  {
    name: "InvalidDefaultArgInFrom",
    uncovered:
      "not yet: a global ARG whose default leaves FROM invalid; SS433 reports the ARGs that are not declared at all",
  },
  {
    name: "InvalidDefinitionDescription",
    uncovered: "experimental in BuildKit and off by default: a comment style, not a build problem",
  },
  { name: "JSONArgsRecommended" },
  { name: "LegacyKeyValueFormat" },
  { name: "MaintainerDeprecated" },
  { name: "MultipleInstructionsDisallowed" },
  { name: "NoEmptyContinuation" },
  { name: "RedundantTargetPlatform" },
  { name: "ReservedStageName" },
  { name: "SecretsUsedInArgOrEnv" },
  { name: "StageNameCasing" },
  {
    name: "UndefinedVar",
    uncovered:
      "the base image's environment (PATH, HOME, the official images' own ENV) is not in the Dockerfile, so a static check would report variables that exist; SS421 reports ENV values that refer to themselves",
  },
  { name: "UndefinedArgInFrom" },
  { name: "WorkdirRelativePath" },
];

/** The rules that name a check in their metadata. */
export function rulesForCheck(rules: readonly Rule[], name: string): Rule[] {
  return rules.filter((r) => {
    const b = r.meta.buildkit;
    return b !== undefined && (typeof b === "string" ? b === name : b.includes(name));
  });
}
