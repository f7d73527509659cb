import type { Analysis } from "../analysis/types.js";
import type { GateResult } from "../gates.js";
import { mdTable, shortCreatedBy } from "./table.js";
import { formatBytes, formatPercent } from "./units.js";

export function renderInspectMarkdown(a: Analysis, gates: readonly GateResult[] = [], top = 10): string {
  const out: string[] = [];
  out.push(`## Image ${a.repoTags[0] ?? a.ref}`, "");
  out.push(
    mdTable(
      ["", "value"],
      [
        ["reference", `\`${a.ref}\``],
        ["id", `\`${a.imageId}\``],
        ["size (all layers)", formatBytes(a.totalBytes)],
        [
          "compressed",
          a.compressedBytes === null
            ? "unknown"
            : `${formatBytes(a.compressedBytes)}${a.compressedEstimated ? " (estimated, gzip -6)" : ""}`,
        ],
        ["final tree", `${formatBytes(a.finalBytes)} in ${a.fileCount} files`],
        ["wasted", `${formatBytes(a.wastedBytes)} (efficiency ${formatPercent(a.efficiency)})`],
        [
          "dive's score",
          `${formatPercent(a.dive.efficiency)} (dive's wasted: ${formatBytes(a.dive.wastedBytes)})`,
        ],
        ["build-only", formatBytes(a.buildOnlyBytes)],
      ],
    ),
  );
  out.push("", "### Layers", "");
  out.push(
    mdTable(
      ["layer", "size", "wasted", "added", "changed", "removed", "created by"],
      a.layers.map((l) => [
        l.layerIndex === null ? "-" : String(l.layerIndex),
        formatBytes(l.size),
        formatBytes(l.wastedBytes),
        String(l.added.files),
        String(l.changed.files),
        String(l.removed.files),
        `\`${shortCreatedBy(l.createdBy).slice(0, 100)}\``,
      ]),
      [0, 1, 2, 3, 4, 5],
    ),
  );
  out.push("", "### Biggest files", "");
  out.push(
    mdTable(
      ["size", "layer", "owner", "path"],
      a.biggestFiles
        .slice(0, top)
        .map((f) => [
          formatBytes(f.bytes),
          String(f.layerIndex),
          f.owner ? `${f.owner.kind} ${f.owner.name}` : "unknown",
          `\`${f.path}\``,
        ]),
      [0, 1],
    ),
  );
  out.push("", "### Bytes by owner", "");
  out.push(
    mdTable(
      ["owner", "version", "files", "size"],
      a.byOwner
        .slice(0, top)
        .map((o) => [
          `${o.kind}${o.name ? ` ${o.name}` : ""}`,
          o.version ?? "",
          String(o.files),
          formatBytes(o.bytes),
        ]),
      [2, 3],
    ),
  );
  if (a.byCategory.length > 0) {
    out.push("", "### Build-only content", "");
    out.push(
      mdTable(
        ["category", "files", "size", "mostly"],
        a.byCategory.map((c) => [
          c.label,
          String(c.files),
          formatBytes(c.bytes),
          c.top
            .slice(0, 4)
            .map((t) => t.name)
            .join(", "),
        ]),
        [1, 2],
      ),
    );
  }
  if (a.findings.length > 0) {
    out.push("", "### Findings", "", ...a.findings.map((f) => `- ${f.message}`));
  }
  if (a.warnings.length > 0) out.push("", "### Warnings", "", ...a.warnings.map((w) => `- ${w}`));
  if (gates.length > 0) {
    out.push("", "### Gates", "", ...gates.map((g) => `- ${g.passed ? "✅" : "❌"} ${g.message}`));
  }
  return `${out.join("\n")}\n`;
}
