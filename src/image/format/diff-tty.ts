import type { FileChange, ImageDiff } from "../diff.js";
import { shortCreatedBy, textTable } from "./table.js";
import { formatBytes } from "./units.js";

function delta(n: number): string {
  return `${n >= 0 ? "+" : "-"}${formatBytes(Math.abs(n))}`;
}

function fileRows(list: readonly FileChange[], top: number): string[][] {
  return list
    .slice(0, top)
    .map((f) => [
      formatBytes(f.before),
      formatBytes(f.after),
      f.path,
      f.what ? `(${f.what.join(", ")})` : "",
    ]);
}

export function renderDiffTty(d: ImageDiff, top = 15): string {
  const out: string[] = [];
  out.push(`A ${d.a.ref}  ${formatBytes(d.a.totalBytes)} in ${d.a.layers} layers`);
  out.push(`B ${d.b.ref}  ${formatBytes(d.b.totalBytes)} in ${d.b.layers} layers`);
  out.push(
    `Size ${delta(d.b.totalBytes - d.a.totalBytes)} (final tree ${delta(d.b.finalBytes - d.a.finalBytes)}); ${d.sharedLayers} shared leading layers`,
  );
  out.push("", "Layers only in A");
  out.push(
    d.layersOnlyInA.length
      ? textTable(
          ["#", "SIZE", "CREATED BY"],
          d.layersOnlyInA.map((l) => [String(l.index), formatBytes(l.size), shortCreatedBy(l.createdBy)]),
          { right: [0, 1], maxLast: 70 },
        )
      : "  (none)",
  );
  out.push("", "Layers only in B");
  out.push(
    d.layersOnlyInB.length
      ? textTable(
          ["#", "SIZE", "CREATED BY"],
          d.layersOnlyInB.map((l) => [String(l.index), formatBytes(l.size), shortCreatedBy(l.createdBy)]),
          { right: [0, 1], maxLast: 70 },
        )
      : "  (none)",
  );
  const section = (title: string, list: readonly FileChange[], bytes: string) => {
    out.push("", `${title}: ${list.length} files, ${bytes}`);
    if (list.length)
      out.push(textTable(["BEFORE", "AFTER", "PATH", ""], fileRows(list, top), { right: [0, 1] }));
    if (list.length > top) out.push(`  … ${list.length - top} more (--json lists all)`);
  };
  section("Files added", d.files.added, delta(d.files.addedBytes));
  section("Files removed", d.files.removed, delta(-d.files.removedBytes));
  section("Files changed", d.files.changed, delta(d.files.changedDelta));
  const p = d.packages;
  out.push("", `Packages: ${p.added.length} added, ${p.removed.length} removed, ${p.changed.length} changed`);
  const pkgRows = [
    ...p.added.map((x) => ["+", x.ecosystem, x.name, "", x.after ?? "", formatBytes(x.bytesAfter)]),
    ...p.removed.map((x) => ["-", x.ecosystem, x.name, x.before ?? "", "", formatBytes(-x.bytesBefore)]),
    ...p.changed.map((x) => [
      "~",
      x.ecosystem,
      x.name,
      x.before ?? "",
      x.after ?? "",
      delta(x.bytesAfter - x.bytesBefore),
    ]),
  ];
  if (pkgRows.length)
    out.push(textTable(["", "ECOSYSTEM", "NAME", "BEFORE", "AFTER", "SIZE"], pkgRows.slice(0, top * 2)));
  out.push("", `Config: ${d.config.length} changes`);
  for (const c of d.config)
    out.push(`  ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`);
  return out.join("\n");
}
