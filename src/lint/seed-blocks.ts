/**
 * Finds the Dockerfiles in a Markdown lab text: fenced blocks tagged
 * `dockerfile` (any case), or untagged blocks whose first instruction is FROM.
 * Indented fences (inside list items) are de-indented.
 */
export function dockerfileBlocks(markdown: string): string[] {
  const out: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    // biome-ignore lint/style/noNonNullAssertion: i < lines.length (the loop condition)
    const open = /^(\s*)```\s*([A-Za-z]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const [, lead = "", lang = ""] = open; // both groups always take part (they may be empty)
    const indent = lead.length;
    const tag = lang.toLowerCase();
    let j = i + 1;
    // biome-ignore lint/style/noNonNullAssertion: j < lines.length is checked first
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) j++;
    const body = lines.slice(i + 1, j);
    i = j;
    if (tag !== "dockerfile" && tag !== "") continue;
    const strip = Math.min(
      indent,
      ...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
    );
    const text = body
      .map((l) => l.slice(strip))
      .join("\n")
      .replace(/\s+$/, "");
    const first = text.split("\n").find((l) => l.trim() && !l.trim().startsWith("#"));
    if (first && /^FROM\s/i.test(first.trim())) out.push(`${text}\n`);
  }
  return out;
}
