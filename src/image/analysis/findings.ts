import { formatBytes } from "../format/units.js";
import { type Analysis, CATEGORY_LABELS, type ImageFinding, type WastedFile } from "./types.js";

function names(top: Array<{ name: string; bytes: number }>, n = 4): string {
  return top
    .filter((t) => t.bytes > 0)
    .slice(0, n)
    .map((t) => t.name)
    .join(", ");
}

/**
 * Plain-language findings: what is big and not needed at run time. Each
 * carries its bytes so reports can rank and sum them.
 */
export function buildFindings(a: Analysis, wasted: readonly WastedFile[], minBytes: number): ImageFinding[] {
  const out: ImageFinding[] = [];
  const cat = new Map(a.byCategory.map((c) => [c.category, c]));
  const tool = cat.get("toolchain");
  const headers = cat.get("headers");
  if (tool && tool.bytes + (headers?.bytes ?? 0) >= minBytes) {
    const bytes = tool.bytes + (headers?.bytes ?? 0);
    const withHeaders = headers && headers.bytes > 0 ? " and their headers" : "";
    out.push({
      id: "build-only-toolchain",
      message: `${names(tool.top)}${withHeaders}: ${formatBytes(bytes)}, build-only`,
      bytes,
    });
  } else if (headers && headers.bytes >= minBytes) {
    out.push({
      id: "build-only-headers",
      message: `headers (${names(headers.top)}): ${formatBytes(headers.bytes)}, build-only`,
      bytes: headers.bytes,
    });
  }
  for (const c of a.byCategory) {
    if (c.category === "toolchain" || c.category === "headers" || c.bytes < minBytes) continue;
    out.push({
      id: `build-only-${c.category}`,
      message: `${CATEGORY_LABELS[c.category]} (${names(c.top)}): ${formatBytes(c.bytes)}, build-only`,
      bytes: c.bytes,
    });
  }
  if (a.wastedBytes >= minBytes) {
    const first = wasted[0];
    const detail = first
      ? ` (largest: ${first.path}, ${formatBytes(first.bytes)}, added in layer ${first.addedIn}, ${first.how} in layer ${first.removedIn})`
      : "";
    out.push({
      id: "wasted-layers",
      message: `${formatBytes(a.wastedBytes)} stored in layers but deleted or overwritten later${detail}: do it in the same RUN or a build stage`,
      bytes: a.wastedBytes,
    });
  }
  const caches = a.byOwner.filter((o) => o.kind === "cache" && o.name === "__pycache__");
  const pyc = caches.reduce((s, o) => s + o.bytes, 0);
  if (pyc >= minBytes) {
    out.push({
      id: "pycache",
      message: `__pycache__ outside packages' records: ${formatBytes(pyc)} (PYTHONDONTWRITEBYTECODE=1 avoids it)`,
      bytes: pyc,
    });
  }
  return out.sort((x, y) => y.bytes - x.bytes);
}
