/**
 * Why one image is bigger than another, in a sentence, from the two
 * analyses: which owners, build-only categories, wasted bytes and packages
 * make up the difference. Pure.
 */
import { formatBytes, formatSignedBytes } from "../report/format-units.js";
import type { ImageFacts, PackageFact } from "./image-facts.js";

/** Differences smaller than this are not worth a mention. */
const NOTABLE = 512 * 1024;

function pkgKey(p: PackageFact): string {
  return `${p.ecosystem}:${normalizeName(p.name)}`;
}

/** Package names compare case-insensitively, with `_` and `.` as `-` (PEP 503). */
export function normalizeName(n: string): string {
  return n.toLowerCase().replace(/[-_.]+/g, "-");
}

function list(items: Array<{ name: string; bytes: number }>, max = 4): string {
  const shown = items.slice(0, max).map((i) => `${i.name} ${formatBytes(i.bytes)}`);
  const rest = items.length - max;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

/** Packages in `a` and not in `b` (by ecosystem and name), largest first. */
export function packagesOnlyIn(a: ImageFacts, b: ImageFacts): PackageFact[] {
  const inB = new Set(b.packages.map(pkgKey));
  return a.packages.filter((p) => !inB.has(pkgKey(p))).sort((x, y) => y.bytes - x.bytes);
}

/** Packages (by name) that take more bytes in `a` than in `b`, largest growth first. */
export function packageGrowth(a: ImageFacts, b: ImageFacts, ecosystems: readonly string[]): string[] {
  const sum = (f: ImageFacts) => {
    const m = new Map<string, { name: string; bytes: number; copies: number }>();
    for (const p of f.packages) {
      if (!ecosystems.includes(p.ecosystem) || p.bytes === 0) continue;
      const key = normalizeName(p.name);
      const e = m.get(key) ?? { name: p.name, bytes: 0, copies: 0 };
      e.bytes += p.bytes;
      e.copies += 1;
      m.set(key, e);
    }
    return m;
  };
  const inA = sum(a);
  const inB = sum(b);
  return [...inA.entries()]
    .map(([key, e]) => ({
      ...e,
      delta: e.bytes - (inB.get(key)?.bytes ?? 0),
      before: inB.get(key)?.copies ?? 0,
    }))
    .filter((e) => e.delta >= NOTABLE / 4)
    .sort((x, y) => y.delta - x.delta)
    .map(
      (e) => `${e.name} ${formatSignedBytes(e.delta)}${e.copies > e.before ? ` (${e.copies} copies)` : ""}`,
    );
}

const OWNER_LABELS: Record<string, string> = {
  "os-package": "OS packages",
  python: "Python packages",
  npm: "npm packages",
  app: "the app",
  cache: "caches",
  unknown: "files of no known owner",
};

/**
 * Explains `subject` against `other`: the parts of the size difference, the
 * largest first, each with what is behind it.
 */
export function explainDifference(
  subjectName: string,
  subject: ImageFacts,
  otherName: string,
  other: ImageFacts,
): string {
  const delta = subject.sizeBytes - other.sizeBytes;
  const parts: Array<{ bytes: number; text: string }> = [];

  const wasted = subject.wastedBytes - other.wastedBytes;
  if (Math.abs(wasted) >= NOTABLE) {
    const who = wasted > 0 ? subject : other;
    const whoName = wasted > 0 ? subjectName : otherName;
    const otherSide = wasted > 0 ? other : subject;
    // Only what the other image does not waste as well (the base's own waste is on both sides).
    const groups = who.wastedBy
      .map((g) => ({
        name: g.name,
        bytes: g.bytes - (otherSide.wastedBy.find((o) => o.name === g.name)?.bytes ?? 0),
      }))
      .filter((g) => g.bytes >= NOTABLE / 4)
      .sort((x, y) => y.bytes - x.bytes);
    const layer = [...who.history].sort((x, y) => y.changedBytes - x.changedBytes)[0];
    const by =
      layer && layer.changedBytes > 0
        ? `; the layer \`${short(layer.createdBy)}\` overwrites ${formatBytes(layer.changedBytes)}`
        : "";
    parts.push({
      bytes: wasted,
      text: `${formatSignedBytes(wasted)} wasted in ${whoName}: files stored twice, once in a lower layer and again in a later one that overwrites or deletes them${groups.length ? ` (${list(groups)})` : ""}${by}`,
    });
  }

  const build = subject.buildOnlyBytes - other.buildOnlyBytes;
  if (Math.abs(build) >= NOTABLE) {
    const who = build > 0 ? subject : other;
    const cats = who.byCategory
      .filter((c) => c.bytes >= NOTABLE)
      .sort((x, y) => y.bytes - x.bytes)
      .map(
        (c) =>
          `${c.label} ${formatBytes(c.bytes)}${
            c.top.length
              ? ` (${c.top
                  .slice(0, 3)
                  .map((t) => t.name)
                  .join(", ")})`
              : ""
          }`,
      );
    parts.push({
      bytes: build,
      text: `${formatSignedBytes(build)} build-only content (${build > 0 ? subjectName : otherName} has ${cats.join("; ") || "more of it"})`,
    });
  }

  const kinds = new Set([...Object.keys(subject.byOwnerKind), ...Object.keys(other.byOwnerKind)]);
  for (const kind of kinds) {
    const d = (subject.byOwnerKind[kind] ?? 0) - (other.byOwnerKind[kind] ?? 0);
    if (Math.abs(d) < NOTABLE) continue;
    const only = d > 0 ? packagesOnlyIn(subject, other) : packagesOnlyIn(other, subject);
    const eco =
      kind === "os-package" ? ["deb", "apk"] : kind === "python" ? ["python"] : kind === "npm" ? ["npm"] : [];
    const named = only.filter((p) => eco.includes(p.ecosystem) && p.bytes > 0);
    let where = named.length ? `, only in ${d > 0 ? subjectName : otherName}: ${list(named)}` : "";
    if (!where) {
      // Same packages on both sides: say which ones take more room (a second copy, another version).
      const more = packageGrowth(d > 0 ? subject : other, d > 0 ? other : subject, eco);
      if (more.length)
        where = `, more of them in ${d > 0 ? subjectName : otherName}: ${more.slice(0, 4).join(", ")}`;
    }
    parts.push({ bytes: d, text: `${formatSignedBytes(d)} ${OWNER_LABELS[kind] ?? kind}${where}` });
  }

  parts.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes));
  const head = `${subjectName} is ${formatBytes(Math.abs(delta))} ${delta > 0 ? "larger" : delta < 0 ? "smaller" : "different"} than ${otherName}`;
  if (parts.length === 0)
    return `${head}; no single part of the images explains it (differences under ${formatBytes(NOTABLE)} each).`;
  return `${head}: ${parts
    .slice(0, 4)
    .map((p) => p.text)
    .join("; ")}.`;
}

function short(createdBy: string): string {
  const s = createdBy
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, "")
    .replace(/\s+/g, " ")
    .trim();
  return s.length > 90 ? `${s.slice(0, 87)}...` : s;
}
