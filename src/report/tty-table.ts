import Table from "cli-table3";

export type CellAlign = "left" | "right";

// Borderless: columns separated by two spaces, like `docker images`.
const BORDERLESS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/**
 * A borderless terminal table as lines without trailing blanks. Cells are
 * written as given (colour them first); `head` cells go through `paintHead`.
 */
export function borderlessTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  align: (column: number) => CellAlign,
  paintHead: (s: string) => string = (s) => s,
): string[] {
  const t = new Table({
    head: [],
    chars: BORDERLESS,
    style: { "padding-left": 0, "padding-right": 0, head: [], border: [] },
    colAligns: head.map((_, i) => align(i)),
  });
  t.push(head.map((h, i) => ({ content: paintHead(h), hAlign: align(i) })));
  for (const r of rows) t.push(r.map((c, i) => ({ content: c, hAlign: align(i) })));
  return t
    .toString()
    .split("\n")
    .map((l) => l.trimEnd());
}
