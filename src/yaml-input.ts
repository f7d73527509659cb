/**
 * The one way slimstage reads a YAML (or JSON) input file: parse it, turn
 * it into plain data, and map every complaint of the yaml library (syntax,
 * nesting deep enough to exhaust its stack, billion-laughs alias expansion)
 * to a ConfigError with the file and line, so bad config exits 2 like any
 * other bad input instead of surfacing as an internal error.
 */
import { createRequire } from "node:module";
import type { Document, LineCounter } from "yaml";
import { ConfigError, type SourceLocation } from "./errors.js";

/**
 * Alias expansions allowed per document: the yaml library's own guard (it
 * counts each alias's size times its uses), kept at its default, which real
 * compose and config files with anchors stay far below.
 */
export const YAML_MAX_ALIAS_COUNT = 100;

// yaml loads on the first read (synchronously, hence require): most lint runs
// read no YAML, and start-up time is measured (bench/cli.ts). A static import
// of yaml costs about 40 ms of CPU per process (a CommonJS package of some
// 70 files), a third of what `slimstage lint FILE` may spend in total.
const require = createRequire(import.meta.url);
/** The yaml library, loaded on first use: modules that read YAML only sometimes call this instead of importing it. */
export const yamlLib = (): typeof import("yaml") => require("yaml") as typeof import("yaml");

export interface YamlInput {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data (`toJS()`). */
  data: unknown;
}

export interface ReadYamlOptions {
  /** Start of the message for a syntax error, e.g. "lab.yaml is not valid YAML". */
  invalid: string;
  uniqueKeys?: boolean;
  /** YAML 1.1 merge keys (`<<: *x`), as compose's loaders read them. */
  merge?: boolean;
  /** Runs between parsing and conversion to data (compose interpolates there, so its errors carry lines). */
  transform?: (doc: Document.Parsed, lineCounter: LineCounter) => void;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/** Parses `text` read from `file`; throws ConfigError with a location for anything the library refuses. */
export function readYaml(text: string, file: string, opts: ReadYamlOptions): YamlInput {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      ...(opts.uniqueKeys !== undefined ? { uniqueKeys: opts.uniqueKeys } : {}),
      ...(opts.merge ? { merge: true } : {}),
    });
  } catch (e) {
    // The library reports stack exhaustion as a document error; this is the backstop.
    throw new ConfigError(`${opts.invalid}: ${firstLine((e as Error).message)}`, {
      location: { file, line: 1, column: 1 },
    });
  }
  const err = doc.errors[0];
  if (err) throw new ConfigError(`${opts.invalid}: ${firstLine(err.message)}`, { location: at(err.pos[0]) });
  opts.transform?.(doc, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (e) {
    const message = firstLine((e as Error).message);
    if (/alias/i.test(message)) {
      throw new ConfigError(
        `${file}: aliases expand to too many nodes (over ${YAML_MAX_ALIAS_COUNT} alias expansions): a YAML alias bomb?`,
        {
          location: firstAlias(doc, at) ?? { file, line: 1, column: 1 },
          hint: "expand the anchors by hand, or use fewer levels of aliases of aliases",
        },
      );
    }
    if (e instanceof RangeError) {
      throw new ConfigError(`${file}: the document is nested too deeply to read`, {
        location: { file, line: 1, column: 1 },
      });
    }
    throw new ConfigError(`${opts.invalid}: ${message}`, { location: { file, line: 1, column: 1 } });
  }
  return { doc, lineCounter, data };
}

/** Where the first alias (`*name`) is: the place to look at in an alias bomb. */
function firstAlias(
  doc: Document.Parsed,
  at: (offset: number) => SourceLocation,
): SourceLocation | undefined {
  const { isAlias, visit } = yamlLib();
  let found: SourceLocation | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        found = at(node.range[0]);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
