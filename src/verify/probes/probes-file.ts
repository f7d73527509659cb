/**
 * A probes file: YAML kept next to a project's Dockerfile, validated by a
 * JSON Schema (ajv), so that a project's probes travel with it.
 *
 *   probes:
 *     - http: { port: 8000, path: /notes, send: { json: { text: hi } }, status: 200 }
 *     - tcp: { port: 8000 }
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { InputError } from "../../errors.js";
import type { Probe } from "../types.js";
import { PROBE_SCHEMA, type ProbeConfig, probesFromConfig } from "./config.js";

export const PROBES_FILE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["probes"],
  properties: { probes: { type: "array", minItems: 1, items: PROBE_SCHEMA } },
} as const;

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Where in the file a JSON pointer points (line:column), for the error. */
function placeOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, pointer: string): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  let node: unknown = doc.contents;
  for (const part of parts) {
    const next = isMap(node) || isSeq(node) ? node.get(part, true) : undefined;
    if (!next) break;
    node = next;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return "";
  const pos = lc.linePos(range[0]);
  return `:${pos.line}:${pos.col}`;
}

function message(e: ErrorObject): string {
  if (e.keyword === "additionalProperties")
    return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "required")
    return `missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  return e.message ?? e.keyword;
}

/** Reads and validates a probes file; a bad file is an InputError naming file, line and key. */
export async function loadProbesFile(file: string): Promise<{ probes: Probe[]; command?: string[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`probes file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e ? lc.linePos(e.pos[0]) : undefined;
    throw new InputError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ""}: not valid YAML: ${e?.message.split("\n")[0]}`,
    );
  }
  const data: unknown = doc.toJS();
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(PROBES_FILE_SCHEMA);
  if (!validator(data)) {
    const errors = validator.errors ?? [];
    // Unknown and missing keys say most; oneOf summaries least.
    const e =
      errors.find((x) => x.keyword === "additionalProperties" || x.keyword === "required") ??
      errors.find((x) => x.keyword !== "oneOf") ??
      errors[0];
    const where = e ? placeOf(doc, lc, e.instancePath) : "";
    throw new InputError(`${file}${where}: ${e?.instancePath || "/"}: ${e ? message(e) : "invalid"}`, {
      hint: "see docs/verify.md (probes file) for the keys a probe takes",
    });
  }
  const out: Probe[] = [];
  let command: string[] | undefined;
  for (const [i, p] of (data as { probes: ProbeConfig[] }).probes.entries()) {
    const kinds = Object.keys(p);
    if (kinds.length !== 1)
      throw new InputError(
        `${file}${placeOf(doc, lc, `/probes/${i}`)}: a probe is one of http, tcp or command, not ${kinds.join(" and ")}`,
      );
    const r = probesFromConfig(p, null, dirname(file));
    out.push(...r.probes);
    command ??= r.command;
  }
  return { probes: out, ...(command ? { command } : {}) };
}
