/**
 * Inline SVG bar charts, written by hand: three horizontal bar layouts are
 * less code than inlining a chart library, and nothing is fetched when viewed.
 * Every bar is a <g class="bar" data-variant="..."> so tests can count them.
 */
import { esc, truncate } from "./escape.js";

const WIDTH = 820;
const LABEL_W = 190;
const VALUE_W = 150;
const ROW_H = 26;
const BAR_H = 18;
const PAD_TOP = 8;
const PLOT_W = WIDTH - LABEL_W - VALUE_W;

function svgOpen(id: string, height: number, title: string): string {
  return `<svg id="${esc(id)}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`;
}

function scale(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  // At least one pixel, so a tiny but non-zero value stays visible.
  return Math.max(1, (value / max) * PLOT_W);
}

function label(y: number, text: string, max = 26): string {
  return `<text class="label" x="${LABEL_W - 8}" y="${y + BAR_H / 2}" text-anchor="end" dominant-baseline="central">${esc(truncate(text, max))}<title>${esc(text)}</title></text>`;
}

function valueText(x: number, y: number, text: string, cls = "value"): string {
  return `<text class="${cls}" x="${x + 6}" y="${y + BAR_H / 2}" dominant-baseline="central">${esc(text)}</text>`;
}

export interface StackedBarInput {
  variant: string;
  total: number;
  segments: ReadonlyArray<{ key: string; bytes: number }>;
  caption: string;
}

export function stackedBarChart(opts: {
  id: string;
  title: string;
  bars: readonly StackedBarInput[];
  colors: ReadonlyMap<string, string>;
  format: (n: number) => string;
}): string {
  const max = Math.max(0, ...opts.bars.map((b) => b.total));
  const height = PAD_TOP * 2 + opts.bars.length * ROW_H;
  const parts = [svgOpen(opts.id, height, opts.title)];
  opts.bars.forEach((bar, i) => {
    const y = PAD_TOP + i * ROW_H;
    parts.push(`<g class="bar" data-variant="${esc(bar.variant)}">`, label(y, bar.variant));
    let x = LABEL_W;
    for (const seg of bar.segments) {
      const w = scale(seg.bytes, max);
      parts.push(
        `<rect class="seg" data-key="${esc(seg.key)}" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}" fill="${esc(opts.colors.get(seg.key) ?? "#999")}"><title>${esc(`${bar.variant}: ${seg.key} ${opts.format(seg.bytes)}`)}</title></rect>`,
      );
      x += w;
    }
    parts.push(valueText(x, y, bar.caption), "</g>");
  });
  parts.push("</svg>");
  return parts.join("");
}

export interface SimpleBarInput {
  variant: string;
  /** null: no value (drawn as a note instead of a bar). */
  value: number | null;
  caption: string;
  /** "failed" bars are drawn in the failure colour. */
  state?: "ok" | "failed" | "missing";
}

export function barChart(opts: { id: string; title: string; bars: readonly SimpleBarInput[] }): string {
  const max = Math.max(0, ...opts.bars.map((b) => b.value ?? 0));
  const height = PAD_TOP * 2 + opts.bars.length * ROW_H;
  const parts = [svgOpen(opts.id, height, opts.title)];
  opts.bars.forEach((bar, i) => {
    const y = PAD_TOP + i * ROW_H;
    const state = bar.value === null ? "missing" : (bar.state ?? "ok");
    parts.push(`<g class="bar ${state}" data-variant="${esc(bar.variant)}">`, label(y, bar.variant));
    if (bar.value !== null) {
      const w = scale(bar.value, max);
      parts.push(
        `<rect class="fill" x="${LABEL_W}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}"><title>${esc(`${bar.variant}: ${bar.caption}`)}</title></rect>`,
        valueText(LABEL_W + w, y, bar.caption),
      );
    } else {
      parts.push(valueText(LABEL_W - 6, y, bar.caption, "value note"));
    }
    parts.push("</g>");
  });
  parts.push("</svg>");
  return parts.join("");
}

export interface LayerGroupInput {
  variant: string;
  layers: ReadonlyArray<{ index: number; sizeBytes: number; createdBy?: string }>;
}

/** One group per variant, one bar per layer, all on one scale so variants compare. */
export function layersChart(opts: {
  id: string;
  title: string;
  groups: readonly LayerGroupInput[];
  format: (n: number) => string;
}): string {
  const max = Math.max(0, ...opts.groups.flatMap((g) => g.layers.map((l) => l.sizeBytes)));
  const HEAD_H = 24;
  const rows = opts.groups.reduce((n, g) => n + Math.max(1, g.layers.length), 0);
  const height = PAD_TOP * 2 + opts.groups.length * HEAD_H + rows * ROW_H;
  const parts = [svgOpen(opts.id, height, opts.title)];
  let y = PAD_TOP;
  for (const g of opts.groups) {
    parts.push(
      `<g class="layer-group" data-variant="${esc(g.variant)}">`,
      `<text class="group" x="4" y="${y + 16}">${esc(truncate(g.variant, 80))}</text>`,
    );
    y += HEAD_H;
    if (g.layers.length === 0) {
      parts.push(valueText(LABEL_W - 6, y, "no layers", "value note"));
      y += ROW_H;
    }
    for (const l of g.layers) {
      const w = scale(l.sizeBytes, max);
      const what = l.createdBy ? `#${l.index} ${l.createdBy}` : `#${l.index}`;
      parts.push(
        `<g class="bar" data-variant="${esc(g.variant)}" data-layer="${l.index}">`,
        label(y, what, 28),
        `<rect class="fill" x="${LABEL_W}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}"><title>${esc(`${what}: ${opts.format(l.sizeBytes)}`)}</title></rect>`,
        valueText(LABEL_W + w, y, opts.format(l.sizeBytes)),
        "</g>",
      );
      y += ROW_H;
    }
    parts.push("</g>");
  }
  parts.push("</svg>");
  return parts.join("");
}

export function legend(keys: readonly string[], colors: ReadonlyMap<string, string>): string {
  const items = keys
    .map(
      (k) =>
        `<li><span class="swatch" style="background:${esc(colors.get(k) ?? "#999")}"></span>${esc(k)}</li>`,
    )
    .join("");
  return `<ul class="legend">${items}</ul>`;
}
