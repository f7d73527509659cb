import { describe, expect, it } from "vitest";
import { RULES } from "../rules/index.js";
import { agreement, agreementTable, readCorpus, rowId } from "./hadolint-corpus.js";

const rows = readCorpus();

/**
 * The rows where slimstage deliberately disagrees with hadolint, each also
 * explained in its rule's doc (`differences`): a new disagreement, or one
 * that went away, fails here.
 */
const DELIBERATE: readonly string[] = [
  // ONBUILD triggers in a stage the target never uses do not run in this build: slimstage is silent there.
  "SS102 DL3009Spec.hs:31+onbuild",
  "SS102 DL3009Spec.hs:71+onbuild",
  "SS106 DL3060Spec.hs:96+onbuild",
  // A shell-form HEALTHCHECK runs in its own process: no signal problem, and `|| exit 1` needs a shell (issue #19).
  "SS501 DL3025Spec.hs:46",
];
const mapped = RULES.filter((r) => r.meta.hadolint);
const results = mapped.map((r) => agreement(r, rows));

describe("agreement with hadolint's own rule cases", () => {
  it("reads the corpus", () => {
    expect(rows.length).toBeGreaterThan(1000);
  });

  it("prints the per-rule agreement table", () => {
    process.stdout.write(`\n${agreementTable(results)}\n`);
    expect(results.length).toBe(mapped.length);
  });

  it("every deliberate difference named in a rule's doc is a row where slimstage really differs", () => {
    const stale: string[] = [];
    for (const a of results) {
      const text = (a.rule.meta.differences ?? []).join("\n");
      for (const m of text.matchAll(/(DL\d{4}Spec\.hs:\d+)/g)) {
        const named = a.outcomes.filter((o) => rowId(o.row).replace("+onbuild", "") === m[1]);
        if (named.length === 0 || named.every((o) => o.agrees)) stale.push(`${a.rule.meta.id}: ${m[1]}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it("disagrees on exactly the rows named here", () => {
    const seen = results.flatMap((a) =>
      a.outcomes.filter((o) => !o.agrees).map((o) => `${a.rule.meta.id} ${rowId(o.row)}`),
    );
    expect(seen.sort()).toEqual([...DELIBERATE].sort());
  });

  for (const a of results) {
    const listed = (a.rule.meta.differences ?? []).join("\n");
    it(`${a.rule.meta.id} agrees with ${a.code} on >= 95% of its rows`, () => {
      expect(a.rows, `${a.code} has rows in the corpus`).toBeGreaterThan(0);
      const disagreeing = a.outcomes.filter((o) => !o.agrees);
      // Every disagreement must be a deliberate difference named in the rule's doc.
      const unlisted = disagreeing.filter((o) => !listed.includes(rowId(o.row).replace("+onbuild", "")));
      expect(
        unlisted.map(
          (o) =>
            `${rowId(o.row)} expect=${o.row.expect} count=${o.row.count} found=${o.found}${o.error ? ` (${o.error})` : ""}\n${o.row.dockerfile}`,
        ),
      ).toEqual([]);
      // Deliberate differences (named in the rule's doc and in DELIBERATE) do not count against the
      // rule: the 95% bar is for rows where slimstage means to say what hadolint says.
      const deliberate = disagreeing.length - unlisted.length;
      expect((a.agreeing + deliberate) / a.rows).toBeGreaterThanOrEqual(0.95);
    });
  }
});
