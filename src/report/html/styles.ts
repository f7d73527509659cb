/** The report's only stylesheet, inlined in <style>. */
export const REPORT_CSS = `
:root { --fg: #1b1f24; --muted: #5b636e; --line: #d8dde3; --bg: #ffffff; --panel: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --bar: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h3, p { overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failed td { background: #fff1f0; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 12px; }
.status.passed { background: #dafbe1; color: var(--ok); }
.status.failed { background: #ffebe9; color: var(--bad); }
.status.not-verified { background: var(--panel); color: var(--muted); }
.sev-error { color: var(--bad); font-weight: 600; }
.sev-warning { color: var(--warn); font-weight: 600; }
.sev-info, .sev-style { color: var(--muted); }
.chart { display: block; max-width: 100%; height: auto; margin: 4px 0 8px; }
.chart .label, .chart .value, .chart .group { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: var(--fg); }
.chart .group { font-weight: 600; }
.chart .note { fill: var(--muted); font-style: italic; }
.chart rect.fill { fill: var(--bar); }
.chart .failed rect.fill { fill: var(--bad); }
.legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; }
.legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
pre { background: var(--panel); padding: 8px; overflow-x: auto; font-size: 12px; max-height: 320px; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; max-width: 100%; }
ol.claims { list-style: none; padding: 0; margin: 8px 0 0; display: grid; gap: 10px; }
li.claim { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 8px 12px; }
li.claim.unexpected { border-left-color: var(--bad); background: #fff8f7; }
.claim-head { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 10px; font-weight: 700; font-size: 12px; }
.verdict.true { background: #dafbe1; color: var(--ok); }
.verdict.false { background: #fff8c5; color: var(--warn); }
.verdict.unmeasured { background: #ffebe9; color: var(--bad); }
.expect { font-size: 12px; color: var(--muted); }
.expect.bad { color: var(--bad); font-weight: 600; }
.claim-text { margin: 6px 0 4px; font-weight: 600; }
li.claim dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; font-size: 13px; }
li.claim dt { color: var(--muted); }
li.claim dd { margin: 0; overflow-wrap: anywhere; }
.chart .cell-label { font: 11px system-ui, "DejaVu Sans", sans-serif; fill: #111; paint-order: stroke; stroke: rgba(255, 255, 255, 0.75); stroke-width: 3px; pointer-events: none; }
@media (max-width: 720px) {
  main { padding: 12px; }
}
`;
