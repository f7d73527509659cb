import type { FileChange, ImageDiff } from "../diff.js";
import { mdTable, shortCreatedBy } from "./table.js";
import { formatBytes } from "./units.js";

function delta(n: number): string {
  return `${n >= 0 ? "+" : "-"}${formatBytes(Math.abs(n))}`;
}

export function renderDiffMarkdown(d: ImageDiff, top = 25): string {
  const out: string[] = [];
  out.push("## Image diff", "");
  out.push(
    mdTable(
      ["", "reference", "size", "final tree", "layers"],
      [
        ["A", `\`${d.a.ref}\``, formatBytes(d.a.totalBytes), formatBytes(d.a.finalBytes), String(d.a.layers)],
        ["B", `\`${d.b.ref}\``, formatBytes(d.b.totalBytes), formatBytes(d.b.finalBytes), String(d.b.layers)],
        [
          "Δ",
          "",
          delta(d.b.totalBytes - d.a.totalBytes),
          delta(d.b.finalBytes - d.a.finalBytes),
          `${d.sharedLayers} shared`,
        ],
      ],
    ),
  );
  const layers = (title: string, rows: ImageDiff["layersOnlyInA"]) => {
    out.push("", `### ${title}`, "");
    out.push(
      rows.length
        ? mdTable(
            ["#", "size", "created by"],
            rows.map((l) => [
              String(l.index),
              formatBytes(l.size),
              `\`${shortCreatedBy(l.createdBy).slice(0, 100)}\``,
            ]),
            [0, 1],
          )
        : "(none)",
    );
  };
  layers("Layers only in A", d.layersOnlyInA);
  layers("Layers only in B", d.layersOnlyInB);
  const files = (title: string, list: readonly FileChange[]) => {
    out.push("", `### ${title} (${list.length})`, "");
    if (list.length) {
      out.push(
        mdTable(
          ["before", "after", "path"],
          list.slice(0, top).map((f) => [formatBytes(f.before), formatBytes(f.after), `\`${f.path}\``]),
          [0, 1],
        ),
      );
      if (list.length > top) out.push("", `… ${list.length - top} more`);
    }
  };
  files("Files added", d.files.added);
  files("Files removed", d.files.removed);
  files("Files changed", d.files.changed);
  const p = d.packages;
  out.push("", "### Packages", "");
  const rows = [
    ...p.added.map((x) => ["added", x.ecosystem, x.name, "", x.after ?? ""]),
    ...p.removed.map((x) => ["removed", x.ecosystem, x.name, x.before ?? "", ""]),
    ...p.changed.map((x) => ["changed", x.ecosystem, x.name, x.before ?? "", x.after ?? ""]),
  ];
  out.push(rows.length ? mdTable(["", "ecosystem", "name", "before", "after"], rows) : "(no changes)");
  out.push("", "### Config", "");
  out.push(
    d.config.length
      ? mdTable(
          ["field", "before", "after"],
          d.config.map((c) => [c.field, `\`${JSON.stringify(c.before)}\``, `\`${JSON.stringify(c.after)}\``]),
        )
      : "(no changes)",
  );
  return `${out.join("\n")}\n`;
}
