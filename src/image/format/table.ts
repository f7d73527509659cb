/** Plain-text table with right-aligned numeric columns; the last column may be truncated. */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  opts: { right?: readonly number[]; maxLast?: number } = {},
): string {
  const right = new Set(opts.right ?? []);
  const all = [header, ...rows].map((r) =>
    r.map((c, i) =>
      i === r.length - 1 && opts.maxLast && c.length > opts.maxLast ? `${c.slice(0, opts.maxLast - 1)}…` : c,
    ),
  );
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all
    .map((r) =>
      r
        .map((c, i) =>
          i === r.length - 1 ? c : right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function mdTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  right: readonly number[] = [],
): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const sep = header.map((_, i) => (right.includes(i) ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.map(esc).join(" | ")} |`).join("\n");
}

/** docker history style: drop the shell prefix BuildKit and the legacy builder add. */
export function shortCreatedBy(s: string): string {
  return s
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, "")
    .replace(/^\/bin\/sh -c /, "RUN ")
    .replace(/\s+# buildkit$/, "")
    .replace(/\s+/g, " ")
    .trim();
}
