import pc from "picocolors";
import type { Analysis } from "../analysis/types.js";
import type { GateResult } from "../gates.js";
import { shortCreatedBy, textTable } from "./table.js";
import { formatBytes, formatPercent } from "./units.js";

export interface TtyOptions {
  color?: boolean;
  /** Rows per list (default 10). */
  top?: number;
  /** Terminal width for truncating CREATED BY. */
  width?: number;
}

function compressedText(a: Analysis): string {
  if (a.compressedBytes === null) return "compressed size unknown (--estimate-compressed estimates it)";
  return `${formatBytes(a.compressedBytes)} compressed${a.compressedEstimated ? " (estimated, gzip -6)" : ""}`;
}

export function renderInspectTty(
  a: Analysis,
  gates: readonly GateResult[] = [],
  opts: TtyOptions = {},
): string {
  const c = pc.createColors(opts.color === true);
  const top = opts.top ?? 10;
  const width = opts.width ?? 120;
  const out: string[] = [];
  const name = a.repoTags[0] ?? a.ref;
  // The reference read only when it is not the tag shown (an archive path, a digest, registry://).
  const ref = a.ref === name || a.ref === `docker://${name}` ? "" : `${a.ref}  `;
  out.push(`${c.bold(name)}  ${c.dim(`${ref}${a.imageId.slice(0, 19)}`)}`);
  out.push(
    `Size      ${c.bold(formatBytes(a.totalBytes))} in ${a.layers.filter((l) => !l.empty).length} layers, ${compressedText(a)}; final tree ${formatBytes(a.finalBytes)} in ${a.fileCount.toLocaleString("en-US")} files`,
  );
  out.push(
    `Waste     ${formatBytes(a.wastedBytes)}, efficiency ${formatPercent(a.efficiency)}  ${c.dim(`(dive: score ${formatPercent(a.dive.efficiency)}, wasted ${formatBytes(a.dive.wastedBytes)})`)}`,
  );
  out.push(
    `Build-only ${formatBytes(a.buildOnlyBytes)} (${formatPercent(a.finalBytes ? a.buildOnlyBytes / a.finalBytes : 0)} of the final tree)`,
  );
  if (!a.digestsVerified) {
    out.push(
      c.yellow("Digests   not verified (--no-verify): layer contents were not checked against the manifest"),
    );
  }
  out.push("", c.bold("Layers"));
  out.push(
    textTable(
      ["LAYER", "SIZE", "WASTED", "+FILES", "~FILES", "-FILES", "CREATED BY"],
      a.layers.map((l) => [
        l.layerIndex === null ? "-" : String(l.layerIndex),
        l.empty ? "0 B" : formatBytes(l.size),
        l.wastedBytes ? formatBytes(l.wastedBytes) : "-",
        l.empty ? "" : String(l.added.files),
        l.empty ? "" : String(l.changed.files),
        l.empty ? "" : String(l.removed.files),
        shortCreatedBy(l.createdBy) || c.dim("(no history)"),
      ]),
      { right: [0, 1, 2, 3, 4, 5], maxLast: Math.max(30, width - 60) },
    ),
  );
  out.push("", c.bold("Biggest files"));
  out.push(
    textTable(
      ["SIZE", "LAYER", "OWNER", "PATH"],
      a.biggestFiles
        .slice(0, top)
        .map((f) => [
          formatBytes(f.bytes),
          String(f.layerIndex),
          f.owner
            ? `${f.owner.kind}${f.owner.name && f.owner.kind !== "app" ? `:${f.owner.name}` : ""}`
            : "unknown",
          f.path,
        ]),
      { right: [0, 1] },
    ),
  );
  out.push("", c.bold("Bytes by owner"));
  const kinds = Object.entries(a.byOwnerKind)
    .filter(([, b]) => b > 0)
    .sort((x, y) => y[1] - x[1]);
  out.push(kinds.map(([k, b]) => `${k} ${formatBytes(b)}`).join(" · "));
  out.push(
    textTable(
      ["SIZE", "FILES", "OWNER"],
      a.byOwner
        .slice(0, top)
        .map((o) => [
          formatBytes(o.bytes),
          String(o.files),
          `${o.kind}${o.name && o.kind !== "app" ? ` ${o.name}` : ""}${o.version ? ` ${o.version}` : ""}`,
        ]),
      { right: [0, 1] },
    ),
  );
  if (a.byCategory.length > 0) {
    out.push("", c.bold("Build-only content"));
    out.push(
      textTable(
        ["SIZE", "FILES", "CATEGORY", "MOSTLY"],
        a.byCategory.map((cat) => [
          formatBytes(cat.bytes),
          String(cat.files),
          cat.label,
          cat.top
            .slice(0, 4)
            .map((t) => `${t.name} ${formatBytes(t.bytes)}`)
            .join(", "),
        ]),
        { right: [0, 1] },
      ),
    );
  }
  if (a.findings.length > 0) {
    out.push("", c.bold("Findings"));
    for (const f of a.findings) out.push(`  ${c.yellow("•")} ${f.message}`);
  }
  if (a.warnings.length > 0) {
    out.push("", c.bold("Warnings"));
    for (const w of a.warnings.slice(0, top)) out.push(`  ${c.yellow("!")} ${w}`);
    if (a.warnings.length > top) out.push(`  … ${a.warnings.length - top} more (--json lists all)`);
  }
  if (gates.length > 0) {
    out.push("", c.bold("Gates"));
    for (const g of gates) out.push(`  ${g.passed ? c.green("pass") : c.red("FAIL")} ${g.message}`);
  }
  return out.join("\n");
}
