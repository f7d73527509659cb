/**
 * BuildKit's AST dump (`parser.Node.Dump`), the format of its parser test
 * corpus: one line per instruction, `(cmd ["--flags"] "arg" ...)`.
 */
import { type BkNode, dispatch, newNode } from "./ast.js";
import { goQuote, goQuoteList } from "./go-quote.js";
import type { Dockerfile, Instruction } from "./model.js";

function dumpNode(node: BkNode): string {
  let s = node.cmd.toLowerCase();
  if (node.flags.length > 0) s += ` ${goQuoteList(node.flags.map((f) => f.text))}`;
  if (node.next.kind === "values") for (const v of node.next.values) s += ` ${goQuote(v)}`;
  else if (node.next.kind === "child") s += ` (${dumpNode(node.next.node)})`;
  return s.trim();
}

/** Re-derives BuildKit's node for an instruction from its model (keyword, flags, argument text). */
function bkNodeOf(ins: Instruction, esc: "\\" | "`"): BkNode {
  const node = newNode(ins.keywordRaw, 0, esc);
  node.flags = ins.flags.map((f) => ({
    text: `--${f.name}${f.value === null ? "" : `=${f.value}`}`,
    start: 0,
    end: 0,
  }));
  node.next = dispatch(ins.keywordRaw.toLowerCase(), ins.args, 0, esc);
  return node;
}

export function dumpBuildkit(df: Dockerfile): string {
  return df.instructions.map((ins) => `(${dumpNode(bkNodeOf(ins, df.escape))})\n`).join("");
}
