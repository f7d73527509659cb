/**
 * Per-variant treemap of where the bytes are: owner kinds (OS packages,
 * Python, npm, app, caches, wasted) split into their largest owners. The
 * layout is d3-hierarchy's squarified treemap (a maintained implementation of
 * a fiddly algorithm); the SVG around it is plain strings like the other charts.
 * Every owner is a <g class="cell" data-owner="..."> so tests can find them.
 */
import { hierarchy, treemap, treemapSquarify } from "d3-hierarchy";
import type { VariantData } from "../report-data.js";
import { ownerKindLabel, WASTED_KEY } from "./chart-data.js";
import { esc, truncate } from "./escape.js";

const WIDTH = 820;
const HEIGHT = 300;

interface Leaf {
  name: string;
  kind: string;
  bytes: number;
}

interface TreeNode {
  name: string;
  children?: TreeNode[];
  leaf?: Leaf;
}

/** Owner kinds, each with its top owners and the rest of the kind as "other". */
export function ownerTree(v: VariantData): TreeNode {
  const a = v.analysis;
  const kinds: TreeNode[] = a.byOwnerKind
    .filter((k) => k.bytes > 0)
    .map((k) => {
      const owners = a.topOwners.filter((o) => o.kind === k.kind && o.bytes > 0);
      const named = owners.reduce((s, o) => s + o.bytes, 0);
      const children: TreeNode[] = owners.map((o) => ({
        name: o.name || "(none)",
        leaf: { name: o.name || "(none)", kind: k.kind, bytes: o.bytes },
      }));
      const rest = k.bytes - named;
      if (rest > 0) children.push({ name: "other", leaf: { name: "other", kind: k.kind, bytes: rest } });
      return { name: ownerKindLabel(k.kind), children };
    });
  if (a.wastedBytes > 0)
    kinds.push({
      name: WASTED_KEY,
      children: [{ name: "wasted", leaf: { name: "wasted", kind: "wasted", bytes: a.wastedBytes } }],
    });
  return { name: v.name, children: kinds };
}

export function treemapChart(opts: {
  id: string;
  variant: VariantData;
  colors: ReadonlyMap<string, string>;
  format: (n: number) => string;
}): string {
  const root = hierarchy(ownerTree(opts.variant))
    .sum((d) => d.leaf?.bytes ?? 0)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const laid = treemap<TreeNode>().tile(treemapSquarify).size([WIDTH, HEIGHT]).paddingInner(1).round(true)(
    root,
  );
  const title = `Where the bytes of ${opts.variant.name} are, by owner`;
  const parts = [
    `<svg id="${esc(opts.id)}" class="chart treemap" role="img" aria-label="${esc(title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`,
  ];
  for (const node of laid.leaves()) {
    const leaf = node.data.leaf;
    if (!leaf) continue;
    const w = node.x1 - node.x0;
    const h = node.y1 - node.y0;
    const kindLabel = leaf.kind === "wasted" ? WASTED_KEY : ownerKindLabel(leaf.kind);
    const color = opts.colors.get(kindLabel) ?? "#999";
    const text = `${leaf.name} ${opts.format(leaf.bytes)}`;
    // A label only where it fits (about 7 px per character at 11 px).
    const fits = w > 40 && h > 14;
    parts.push(
      `<g class="cell" data-owner="${esc(leaf.name)}" data-kind="${esc(leaf.kind)}"><rect x="${node.x0}" y="${node.y0}" width="${w}" height="${h}" fill="${esc(color)}"><title>${esc(`${kindLabel}: ${text}`)}</title></rect>${
        fits
          ? `<text class="cell-label" x="${node.x0 + 4}" y="${node.y0 + 12}">${esc(truncate(text, Math.floor((w - 6) / 6.5)))}</text>`
          : ""
      }</g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
