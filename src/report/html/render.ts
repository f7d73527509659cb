/**
 * The self-contained HTML report: one file, inline CSS and SVG, no script, and
 * a Content-Security-Policy that forbids fetching anything when it is viewed.
 * All text from the run (names, refs, commands, messages, logs) is escaped.
 */
import { VERSION } from "../../version.js";
import { type Comparison, type ComparisonRow, compareImages } from "../compare.js";
import { COLUMNS, rowCells, verifyLabel } from "../compare-format.js";
import { formatBytes, formatDuration, formatRatio } from "../format-units.js";
import type { ClaimSummary, ReportData, VariantData } from "../report-data.js";
import { buildOnlySeries, colorsFor, ownerKindLabel, ownerSeries, type StackSeries } from "./chart-data.js";
import { esc } from "./escape.js";
import { REPORT_CSS } from "./styles.js";
import { barChart, layersChart, legend, stackedBarChart } from "./svg-charts.js";
import { treemapChart } from "./treemap.js";

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function statusBadge(row: ComparisonRow): string {
  return `<span class="status ${row.verify.status}">${esc(verifyLabel(row))}</span>`;
}

const mark = (v: boolean | null): string => (v === true ? "TRUE" : v === false ? "FALSE" : "NOT MEASURED");

function verdictCard(c: ClaimSummary): string {
  const cls = c.verdict === true ? "true" : c.verdict === false ? "false" : "unmeasured";
  const expectation =
    c.expected === undefined
      ? '<span class="expect none">no expected verdict stated</span>'
      : `<span class="expect ${c.asExpected ? "ok" : "bad"}">expected ${mark(c.expected)} · found ${esc(mark(c.verdict))}${c.asExpected ? "" : " · NOT AS EXPECTED"}</span>`;
  const lab = c.lab ? `<span class="meta">${esc(c.lab)}</span> ` : "";
  return `<li class="claim${c.asExpected ? "" : " unexpected"}" data-claim="${esc(c.lab ? `${c.lab}/${c.id}` : c.id)}">
<div class="claim-head"><span class="verdict ${cls}">${esc(mark(c.verdict))}</span> ${expectation}</div>
<p class="claim-text">${lab}${esc(c.text)}</p>
<dl><dt>measured</dt><dd>${esc(c.measured)}</dd><dt>why</dt><dd>${esc(c.why)}</dd></dl>
</li>`;
}

/** The lab's main result, first: each claim with its verdict, measurement, reason and expectation. */
function verdicts(claims: readonly ClaimSummary[] | undefined): string {
  if (!claims || claims.length === 0) return "";
  const count = (v: boolean | null) => claims.filter((c) => c.verdict === v).length;
  const unexpected = claims.filter((c) => !c.asExpected).length;
  const counts = `${claims.length} claim${claims.length === 1 ? "" : "s"}: ${count(true)} true, ${count(false)} false${count(null) ? `, ${count(null)} not measured` : ""}`;
  const outcome =
    unexpected === 0
      ? '<span class="status passed">every verdict as expected</span>'
      : `<span class="status failed">${unexpected} not as expected</span>`;
  return `<h2 id="verdicts">Verdicts</h2>
<p class="meta">${esc(counts)} · ${outcome}</p>
<ol class="claims">
${claims.map(verdictCard).join("\n")}
</ol>`;
}

/** Per variant, a treemap of where its bytes are (owner kinds, then their largest owners). */
function whereTheBytesAre(data: ReportData): string {
  const colors = colorsFor(ownerSeries(data.variants).keys);
  const maps = data.variants.map(
    (v, i) =>
      `<h3>${esc(v.name)} <span class="meta">${esc(formatBytes(v.analysis.sizeBytes))}</span></h3>\n${treemapChart({ id: `treemap-${i}`, variant: v, colors, format: formatBytes })}`,
  );
  return `<h2 id="owners">Where the bytes are</h2>
<p class="meta">Each rectangle is an owner (a package, the app, caches), its area its bytes, coloured by kind.</p>
${legend([...colors.keys()], colors)}
${maps.join("\n")}`;
}

function summaryTable(c: Comparison): string {
  const head = COLUMNS.map((h, i) => `<th${i > 0 && i < 9 ? ' class="num"' : ""}>${esc(h)}</th>`).join("");
  const body = c.rows
    .map((row) => {
      const cells = rowCells(row)
        .map((text, i) => {
          if (i === 9) return `<td>${statusBadge(row)}</td>`;
          return `<td${i > 0 && i < 9 ? ' class="num"' : ""}>${esc(text)}</td>`;
        })
        .join("");
      return `<tr data-variant="${esc(row.name)}"${row.verify.status === "failed" ? ' class="failed"' : ""}>${cells}</tr>`;
    })
    .join("\n");
  return `<table id="summary"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>
<p class="meta">Ratios are to the baseline <strong>${esc(c.baseline)}</strong>. A saving is claimed only for a variant whose verification passed; a failed variant's saving is not claimed.</p>`;
}

function stackedChart(
  id: string,
  title: string,
  series: StackSeries,
  caption: (variant: string, total: number) => string,
): string {
  const colors = colorsFor(series.keys);
  const chart = stackedBarChart({
    id,
    title,
    bars: series.bars.map((b) => ({ ...b, caption: caption(b.variant, b.total) })),
    colors,
    format: formatBytes,
  });
  return `${chart}\n${legend(series.keys, colors)}`;
}

function charts(data: ReportData, c: Comparison): string {
  const rowByName = new Map(c.rows.map((r) => [r.name, r]));
  const sizeCaption = (name: string, total: number) => {
    const row = rowByName.get(name);
    const r = row?.size.ratio;
    return r === null || r === undefined || row?.isBaseline
      ? formatBytes(total)
      : `${formatBytes(total)} (${formatRatio(r)})`;
  };
  const size = stackedChart(
    "chart-size",
    "Size per variant, by owner",
    ownerSeries(data.variants),
    sizeCaption,
  );
  const buildOnly = stackedChart(
    "chart-build-only",
    "Build-only content per variant, by category",
    buildOnlySeries(data.variants),
    (_, total) => formatBytes(total),
  );
  const layers = layersChart({
    id: "chart-layers",
    title: "Layer sizes",
    groups: data.variants.map((v) => ({
      variant: v.name,
      layers: v.analysis.layers.map((l) => ({
        ...l,
        ...(l.createdBy ? { createdBy: shortCommand(l.createdBy) } : {}),
      })),
    })),
    format: formatBytes,
  });
  const verifiedBars = (pick: (v: VariantData) => number | null, fmt: (n: number) => string) =>
    data.variants.map((v) => {
      const value = v.verify ? pick(v) : null;
      const state = v.verify === undefined ? "missing" : v.verify.passed ? "ok" : "failed";
      const caption =
        value !== null
          ? `${fmt(value)}${v.verify?.passed === false ? " (failed)" : ""}`
          : v.verify === undefined
            ? "not verified"
            : v.verify.passed
              ? "not measured"
              : "failed: no successful probe";
      return { variant: v.name, value, caption, state } as const;
    });
  const startup = barChart({
    id: "chart-startup",
    title: "Start-up time (to the first successful probe)",
    bars: verifiedBars((v) => v.verify?.startupMs ?? null, formatDuration),
  });
  const memory = barChart({
    id: "chart-memory",
    title: "Peak memory",
    bars: verifiedBars((v) => v.verify?.peakMemoryBytes ?? null, formatBytes),
  });
  return `<h2 id="charts">Charts</h2>
<h3>Size per variant, by owner</h3>
${size}
<h3>Build-only content per variant, by category</h3>
<p class="meta">Compilers, headers, static libraries, package-manager caches, tests and docs that a runtime image does not need.</p>
${buildOnly}
<h3>Start-up time</h3>
${startup}
<h3>Peak memory</h3>
${memory}
<h3>Layer sizes</h3>
${layers}`;
}

function verification(data: ReportData): string {
  if (data.variants.every((v) => v.verify === undefined)) {
    return `<h2 id="verification">Verification</h2>\n<p class="empty">not verified: no probe ran in this run (add --probe, or use slimstage lab)</p>`;
  }
  const parts = data.variants.map((v) => {
    const head = `<h3>${esc(v.name)} <span class="meta">${esc(v.ref)}</span></h3>`;
    if (!v.verify) return `${head}<p class="empty">not verified: no probe ran for this variant</p>`;
    const f = v.verify;
    const status = f.passed
      ? '<span class="status passed">passed</span>'
      : '<span class="status failed">FAILED</span>';
    const facts = [
      status,
      f.startupMs !== null ? `start-up ${esc(formatDuration(f.startupMs))}` : "",
      f.peakMemoryBytes !== null ? `peak memory ${esc(formatBytes(f.peakMemoryBytes))}` : "",
    ]
      .filter(Boolean)
      .join(" · ");
    const probes = f.probes.length
      ? `<table class="probes"><thead><tr><th>probe</th><th>result</th><th class="num">time</th><th>detail</th></tr></thead><tbody>${f.probes
          .map(
            (p) =>
              `<tr${p.ok ? "" : ' class="failed"'}><td><code>${esc(p.name)}</code></td><td>${p.ok ? "ok" : "failed"}</td><td class="num">${p.durationMs !== undefined ? esc(formatDuration(p.durationMs)) : ""}</td><td>${esc(p.detail ?? "")}</td></tr>`,
          )
          .join("")}</tbody></table>`
      : '<p class="empty">no probes</p>';
    const error = f.error ? `<p class="sev-error">${esc(f.error)}</p>` : "";
    const logs = f.logsTail
      ? `<details open><summary>container logs (tail)</summary><pre>${esc(f.logsTail)}</pre></details>`
      : "";
    return `${head}<p>${facts}</p>${error}${probes}${logs}`;
  });
  return `<h2 id="verification">Verification</h2>\n${parts.join("\n")}`;
}

function lintFindings(data: ReportData): string {
  if (data.variants.every((v) => v.lint === undefined)) {
    return `<h2 id="lint">Lint findings</h2>\n<p class="empty">not linted: this run has no Dockerfiles (slimstage lab lints each variant's)</p>`;
  }
  const parts = data.variants.map((v) => {
    const head = `<h3>${esc(v.name)}</h3>`;
    if (v.lint === undefined) return `${head}<p class="empty">not linted</p>`;
    if (v.lint.length === 0) return `${head}<p class="empty">no findings</p>`;
    const rows = v.lint
      .map((f) => {
        const where =
          f.line !== undefined
            ? `${f.file ?? "Dockerfile"}:${f.line}${f.column !== undefined ? `:${f.column}` : ""}`
            : (f.file ?? "");
        return `<tr><td class="sev-${esc(f.severity)}">${esc(f.severity)}</td><td><code>${esc(f.ruleId)}</code></td><td><code>${esc(where)}</code></td><td>${esc(f.message)}</td></tr>`;
      })
      .join("");
    return `${head}<table class="lint"><thead><tr><th>severity</th><th>rule</th><th>where</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<h2 id="lint">Lint findings</h2>\n${parts.join("\n")}`;
}

/** What minify removed and kept, for each minified variant; nothing when none was minified. */
function removalAudit(data: ReportData): string {
  const parts = data.variants.flatMap((v) => {
    const m = v.minify;
    if (!m) return [];
    const b = (n: number) => esc(formatBytes(n));
    const compiled = m.compiled
      ? ` · ${m.compiled.sourceFiles} library sources (${b(m.compiled.sourceBytes)}) shipped as ${m.compiled.files} sourceless <code>.pyc</code> (${b(m.compiled.bytes)})`
      : "";
    const facts = `<p class="meta">--level ${esc(m.level)} · source ${m.source.files} entries, ${b(m.source.bytes)} · kept ${m.kept.files} (${b(m.kept.bytes)}) · removed ${m.removed.files} (${b(m.removed.bytes)})${compiled}</p>`;
    const removed = `<table class="audit-removed"><thead><tr><th>removed, by owner</th><th class="num">files</th><th class="num">bytes</th></tr></thead><tbody>${m.removedByOwner
      .map(
        (g) =>
          `<tr><td><code>${esc(g.owner)}</code></td><td class="num">${g.files}</td><td class="num">${b(g.bytes)}</td></tr>`,
      )
      .join("")}</tbody></table>`;
    const kept = `<table class="audit-kept"><thead><tr><th>kept, because</th><th class="num">files</th><th class="num">bytes</th></tr></thead><tbody>${m.keptByReason
      .map(
        (g) =>
          `<tr><td>${esc(g.reason)}</td><td class="num">${g.files}</td><td class="num">${b(g.bytes)}</td></tr>`,
      )
      .join("")}</tbody></table>`;
    const warnings = m.warnings.length
      ? `<details><summary>where the trace is thin (${m.warnings.length})</summary><ul>${m.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></details>`
      : "";
    return [
      `<h3>${esc(v.name)} <span class="meta">${esc(v.ref)}</span></h3>${facts}${removed}${kept}${warnings}`,
    ];
  });
  return parts.length ? `<h2 id="removal-audit">Removal audit</h2>\n${parts.join("\n")}` : "";
}

function inspectFindings(data: ReportData): string {
  const parts = data.variants.map((v) => {
    const head = `<h3>${esc(v.name)}</h3>`;
    const a = v.analysis;
    const facts = `<p class="meta">wasted ${esc(formatBytes(a.wastedBytes))} · build-only ${esc(formatBytes(a.buildOnlyBytes))} · ${a.packageCount ?? "?"} packages · ${a.layers.length} layers</p>`;
    const findings =
      a.findings.length === 0
        ? '<p class="empty">no findings</p>'
        : `<table class="inspect"><thead><tr><th>finding</th><th class="num">bytes</th><th>message</th></tr></thead><tbody>${a.findings
            .map(
              (f) =>
                `<tr><td><code>${esc(f.id)}</code></td><td class="num">${f.bytes !== undefined ? esc(formatBytes(f.bytes)) : ""}</td><td>${esc(f.message)}</td></tr>`,
            )
            .join("")}</tbody></table>`;
    const owners = a.topOwners.slice(0, 10);
    const ownerTable = owners.length
      ? `<details><summary>largest owners</summary><table class="owners"><thead><tr><th>owner</th><th>kind</th><th class="num">bytes</th></tr></thead><tbody>${owners
          .map(
            (o) =>
              `<tr><td><code>${esc(o.name || "(none)")}</code></td><td>${esc(ownerKindLabel(o.kind))}</td><td class="num">${esc(formatBytes(o.bytes))}</td></tr>`,
          )
          .join("")}</tbody></table></details>`
      : "";
    return `${head}${facts}${findings}${ownerTable}`;
  });
  return `<h2 id="inspect">Inspect findings</h2>\n${parts.join("\n")}`;
}

/** `/bin/sh -c #(nop) COPY ... # buildkit` reads as `COPY ...` on a chart axis. */
export function shortCommand(createdBy: string): string {
  return createdBy
    .replace(/^\/bin\/sh -c (#\(nop\)\s*)?/, "")
    .replace(/\s*# buildkit$/, "")
    .trim();
}

export interface RenderOptions {
  /** Overrides the generator line (tests pin it). */
  generator?: string;
}

/** Every table in a box that scrolls sideways on a narrow screen, so that the page itself does not. */
function scrollableTables(html: string): string {
  return html.replace(/<table\b/g, '<div class="scroll"><table').replace(/<\/table>/g, "</table></div>");
}

export function renderReportHtml(data: ReportData, opts: RenderOptions = {}): string {
  const comparison = compareImages(data.variants, { baseline: data.baseline });
  const title = data.title ?? "slimstage report";
  const generator = opts.generator ?? `slimstage ${VERSION}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(generator)}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${scrollableTables(`<h1>${esc(title)}</h1>
<p class="meta">${data.variants.length} variant${data.variants.length === 1 ? "" : "s"} · baseline <strong>${esc(comparison.baseline)}</strong> · run ${esc(data.createdAt)}</p>
${verdicts(data.claims)}
<h2 id="summary-title">Variants</h2>
${summaryTable(comparison)}
${whereTheBytesAre(data)}
${charts(data, comparison)}
${verification(data)}
${removalAudit(data)}
${lintFindings(data)}
${inspectFindings(data)}`)}
<footer>Generated by ${esc(generator)}. This file is self-contained: it loads nothing from the network.</footer>
</main>
</body>
</html>
`;
}
