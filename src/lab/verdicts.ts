/**
 * A verdict on each of a lab's claims, from what the run measured: true or
 * false, by how much, and why (from the image analysis). Pure functions of
 * the variant runs. A false claim is a finding, not a failure of the run;
 * `verdict: null` means the claim could not be measured at all.
 */
import { InputError } from "../errors.js";
import { formatBytes, formatDuration } from "../report/format-units.js";
import { explainDifference, normalizeName } from "./explain.js";
import type { ImageFacts } from "./image-facts.js";
import type { ClaimMeasure, LabClaim } from "./lab-config.js";
import type { ClaimVerdict, VariantRun } from "./lab-result.js";

/** "10%" -> a fraction of the other image's size; "20MB" -> bytes. */
export type ParsedThreshold = { percent: number } | { bytes: number };

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

export function parseThreshold(text: string): ParsedThreshold {
  const m = /^(\d+(?:\.\d+)?)\s*(%|B|kB|KB|MB|GB|KiB|MiB|GiB)$/.exec(text.trim());
  if (!m) throw new InputError(`not a threshold: "${text}" (examples: 10%, 20MB)`);
  const n = Number(m[1]);
  if (m[2] === "%") return { percent: n };
  const unit = UNITS[m[2] ?? ""];
  if (unit === undefined) throw new Error(`internal: no size for unit "${m[2]}"`);
  return { bytes: n * unit };
}

function pct(part: number, whole: number): string {
  if (whole === 0) return "n/a";
  return `${((part / whole) * 100).toFixed(1)}%`;
}

type Lookup = (name: string) => VariantRun | undefined;

interface Partial {
  verdict: boolean | null;
  measured: string;
  why: string;
}

function unmeasured(why: string): Partial {
  return { verdict: null, measured: "not measured", why };
}

/** The analysis of a variant, or why there is none. */
function factsOf(v: VariantRun | undefined, name: string): ImageFacts | string {
  if (!v) return `no variant "${name}"`;
  if (v.facts) return v.facts;
  if (v.build && !v.build.ok) return `${name} did not build (${v.build.error ?? "build failed"})`;
  return `${name} has no image analysis (${v.outcome.summary})`;
}

function smaller(m: Extract<ClaimMeasure, { kind: "smaller" }>, get: Lookup): Partial {
  const a = factsOf(get(m.subject), m.subject);
  const b = factsOf(get(m.than), m.than);
  if (typeof a === "string") return unmeasured(a);
  if (typeof b === "string") return unmeasured(b);
  const saving = b.sizeBytes - a.sizeBytes;
  const threshold = m.byAtLeast ? parseThreshold(m.byAtLeast) : undefined;
  const needed =
    threshold === undefined
      ? 1
      : "percent" in threshold
        ? (b.sizeBytes * threshold.percent) / 100
        : threshold.bytes;
  const verdict = saving >= needed && saving > 0;
  const sizes = `${m.subject} ${formatBytes(a.sizeBytes)} vs ${m.than} ${formatBytes(b.sizeBytes)}`;
  const measured =
    saving >= 0
      ? `${sizes}: ${formatBytes(saving)} (${pct(saving, b.sizeBytes)}) smaller${m.byAtLeast ? `; the claim needs at least ${m.byAtLeast}` : ""}`
      : `${sizes}: ${formatBytes(-saving)} (${pct(-saving, b.sizeBytes)}) LARGER`;
  let why = explainDifference(m.subject, a, m.than, b);
  const hints = (get(m.subject)?.lint ?? []).filter((f) => f.category === "size");
  if (!verdict && hints.length > 0) {
    why += ` The linter flagged it in ${m.subject}'s Dockerfile: ${hints.map((f) => `${f.ruleId}${f.line ? ` (line ${f.line})` : ""} ${f.message}`).join("; ")}.`;
  }
  return { verdict, measured, why };
}

function order(m: Extract<ClaimMeasure, { kind: "order" }>, get: Lookup): Partial {
  const facts: Array<[string, ImageFacts]> = [];
  for (const n of m.smallestFirst) {
    const f = factsOf(get(n), n);
    if (typeof f === "string") return unmeasured(f);
    facts.push([n, f]);
  }
  const measured = facts.map(([n, f]) => `${n} ${formatBytes(f.sizeBytes)}`).join(" < ");
  for (const [i, [n, f]] of facts.entries()) {
    const p = facts[i - 1];
    if (p === undefined) continue;
    const [pn, pf] = p;
    if (pf.sizeBytes >= f.sizeBytes) {
      return {
        verdict: false,
        measured: measured.replace(/ < /g, ", "),
        why: `${pn} is not smaller than ${n}. ${explainDifference(pn, pf, n, f)}`,
      };
    }
  }
  const [first, second] = facts;
  if (first === undefined || second === undefined)
    throw new Error("internal: an order claim with fewer than two variants");
  const [sn, sf] = first;
  const [nn, nf] = second;
  return { verdict: true, measured, why: explainDifference(sn, sf, nn, nf) };
}

function probeSummary(v: VariantRun): string {
  const probes = v.verify?.probes ?? [];
  const text = probes.map((p) => `${p.name}: ${p.detail}`).join("; ");
  const startup =
    v.verify?.startupMs != null ? `, first answer after ${formatDuration(v.verify.startupMs)}` : "";
  return `${text || "no probe results"}${startup}`;
}

function works(m: Extract<ClaimMeasure, { kind: "works" }>, get: Lookup): Partial {
  const v = get(m.variant);
  if (!v) return unmeasured(`no variant "${m.variant}"`);
  if (v.build && !v.build.ok) {
    return {
      verdict: false,
      measured: "did not build",
      why: `${v.build.error ?? "the build failed"}${v.build.errorAt ? ` (${v.build.errorAt})` : ""}`,
    };
  }
  if (!v.verify) return unmeasured(`${m.variant} was not verified (${v.outcome.summary})`);
  if (v.verify.ok) return { verdict: true, measured: "probe passed", why: probeSummary(v) };
  return {
    verdict: false,
    measured: "probe failed",
    why: `${v.verify.error ?? "verification failed"}${v.verify.logsTail ? `; last log line: ${lastLine(v.verify.logsTail)}` : ""}`,
  };
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1)?.trim() ?? "";
}

function fails(m: Extract<ClaimMeasure, { kind: "fails" }>, get: Lookup): Partial {
  const v = get(m.variant);
  if (!v) return unmeasured(`no variant "${m.variant}"`);
  const s = v.outcome.status;
  if (s === "build-failed" || s === "verify-failed") {
    const what = s === "build-failed" ? "the build failed" : "the image built but failed its probe";
    const detail =
      s === "build-failed"
        ? `${v.build?.error ?? ""}${v.build?.errorAt ? ` (${v.build.errorAt})` : ""}`
        : `${v.verify?.error ?? ""}${v.verify?.logsTail ? `; log: ${matchingLogLine(v)}` : ""}`;
    const lint = (v.lint ?? []).filter(
      (f) => typeof v.expect === "object" && v.expect.diagnosis.lint?.includes(f.ruleId),
    );
    const lintText = lint.length
      ? `; the linter said so before building: ${lint.map((f) => `${f.ruleId} ${f.message}${f.line ? ` (line ${f.line})` : ""}`).join("; ")}`
      : "";
    return { verdict: true, measured: what, why: `${detail}${lintText}` };
  }
  if (s === "works")
    return {
      verdict: false,
      measured: "it works",
      why: `${m.variant} built and passed its probe: ${probeSummary(v)}`,
    };
  return unmeasured(v.outcome.summary);
}

function matchingLogLine(v: VariantRun): string {
  const pattern = typeof v.expect === "object" ? v.expect.diagnosis.logs : undefined;
  const lines = (v.verify?.logsTail ?? "").split("\n");
  if (pattern) {
    const re = new RegExp(pattern);
    const hit = lines.find((l) => re.test(l));
    if (hit) return hit.trim();
  }
  return lastLine(v.verify?.logsTail ?? "");
}

function contents(m: Extract<ClaimMeasure, { kind: "contains" | "lacks" }>, get: Lookup): Partial {
  const f = factsOf(get(m.variant), m.variant);
  if (typeof f === "string") return unmeasured(f);
  const found: string[] = [];
  const missing: string[] = [];
  for (const want of m.packages ?? []) {
    const hits = f.packages.filter((p) => normalizeName(p.name) === normalizeName(want));
    if (hits.length) {
      const bytes = hits.reduce((s, p) => s + p.bytes, 0);
      found.push(
        `${want} ${hits.map((h) => h.version).join("/")} (${formatBytes(bytes)}${hits.length > 1 ? `, ${hits.length} copies` : ""})`,
      );
    } else missing.push(want);
  }
  for (const want of m.categories ?? []) {
    const c = f.byCategory.find((x) => x.category === want);
    if (c && c.bytes > 0) {
      found.push(
        `${c.label} ${formatBytes(c.bytes)}${
          c.top.length
            ? ` (${c.top
                .slice(0, 3)
                .map((t) => `${t.name} ${formatBytes(t.bytes)}`)
                .join(", ")})`
            : ""
        }`,
      );
    } else missing.push(want);
  }
  const total = (m.packages?.length ?? 0) + (m.categories?.length ?? 0);
  const verdict = m.kind === "contains" ? missing.length === 0 : found.length === 0;
  const measured = `${found.length} of ${total} present`;
  const why =
    m.kind === "contains"
      ? verdict
        ? `${m.variant} contains ${found.join("; ")}`
        : `${m.variant} lacks ${missing.join(", ")}${found.length ? `; it does contain ${found.join("; ")}` : ""}`
      : verdict
        ? `none of ${[...(m.packages ?? []), ...(m.categories ?? [])].join(", ")} is in ${m.variant}`
        : `${m.variant} still contains ${found.join("; ")}`;
  return { verdict, measured, why };
}

function nonRoot(m: Extract<ClaimMeasure, { kind: "non-root" }>, get: Lookup): Partial {
  const f = factsOf(get(m.variant), m.variant);
  if (typeof f === "string") return unmeasured(f);
  const user = f.user.trim();
  const name = user.split(":")[0] ?? "";
  const root = name === "" || name === "root" || name === "0";
  return {
    verdict: !root,
    measured: `USER ${user || "(not set)"}`,
    why: root
      ? `the image config runs as root (User is ${user ? `"${user}"` : "empty, which means root"})`
      : `the image config's User is "${user}"`,
  };
}

function fewerLayers(m: Extract<ClaimMeasure, { kind: "fewer-layers" }>, get: Lookup): Partial {
  const a = factsOf(get(m.subject), m.subject);
  const b = factsOf(get(m.than), m.than);
  if (typeof a === "string") return unmeasured(a);
  if (typeof b === "string") return unmeasured(b);
  return {
    verdict: a.layers < b.layers,
    measured: `${m.subject} ${a.layers} layers (${a.historyEntries} history entries) vs ${m.than} ${b.layers} layers (${b.historyEntries} history entries)`,
    why:
      a.layers < b.layers
        ? `only the last stage's instructions make layers of the final image; ${m.subject} has ${b.layers - a.layers} fewer`
        : `a multi-stage build's final image still has one layer per filesystem-changing instruction of its last stage (plus the base's): ${m.subject}'s last stage makes as many layers as ${m.than}; what the build stage did leaves no layer, which is where the size goes, not the count`,
  };
}

function buildStep(m: Extract<ClaimMeasure, { kind: "build-step" }>, get: Lookup): Partial {
  const v = get(m.variant);
  if (!v) return unmeasured(`no variant "${m.variant}"`);
  if (!v.build) return unmeasured(`${m.variant} was not built`);
  const re = new RegExp(m.step);
  const step = v.build.steps.find((s) => re.test(s.instruction));
  if (!step) {
    return v.build.ok
      ? {
          verdict: false,
          measured: "no such step",
          why: `no step of ${m.variant}'s build matches /${m.step}/`,
        }
      : { verdict: false, measured: "build failed before it", why: v.build.error ?? "the build failed" };
  }
  const where = `\`${step.stage ? `[${step.stage}] ` : ""}${step.instruction}\``;
  if (step.error !== undefined)
    return { verdict: false, measured: "the step failed", why: `${where}: ${step.error}` };
  if (step.cached) {
    return {
      verdict: v.build.ok,
      measured: "step succeeded (cached)",
      why: `${where} was reused from BuildKit's cache, which keeps only steps that succeeded with the same inputs`,
    };
  }
  if (m.output === undefined)
    return { verdict: v.build.ok, measured: `ran in ${formatDuration(step.durationMs)}`, why: where };
  const out = new RegExp(m.output);
  const line = step.output.find((l) => out.test(l));
  return line
    ? {
        verdict: true,
        measured: `ran in ${formatDuration(step.durationMs)}`,
        why: `${where} printed "${line.trim()}"`,
      }
    : {
        verdict: false,
        measured: `ran in ${formatDuration(step.durationMs)}`,
        why: `${where} printed nothing matching /${m.output}/`,
      };
}

export function judgeClaim(claim: LabClaim, variants: readonly VariantRun[]): ClaimVerdict {
  const get: Lookup = (n) => variants.find((v) => v.name === n);
  const m = claim.measure;
  let r: Partial;
  switch (m.kind) {
    case "smaller":
      r = smaller(m, get);
      break;
    case "order":
      r = order(m, get);
      break;
    case "works":
      r = works(m, get);
      break;
    case "fails":
      r = fails(m, get);
      break;
    case "contains":
    case "lacks":
      r = contents(m, get);
      break;
    case "non-root":
      r = nonRoot(m, get);
      break;
    case "fewer-layers":
      r = fewerLayers(m, get);
      break;
    case "build-step":
      r = buildStep(m, get);
      break;
  }
  return {
    id: claim.id,
    text: claim.text,
    kind: m.kind,
    ...r,
    ...(claim.expect !== undefined ? { expected: claim.expect } : {}),
    asExpected: claim.expect === undefined ? r.verdict !== null : r.verdict === claim.expect,
  };
}

export function judgeClaims(claims: readonly LabClaim[], variants: readonly VariantRun[]): ClaimVerdict[] {
  return claims.map((c) => judgeClaim(c, variants));
}
