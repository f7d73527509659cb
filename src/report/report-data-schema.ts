/**
 * Reads a run document (`compare --json`, `lab --json`) back into ReportData,
 * validated with a JSON Schema (ajv), so `report --from` fails with the place
 * of a bad value instead of drawing a broken chart.
 */
import { Ajv, type ErrorObject } from "ajv";
import { parseDocument } from "yaml";
import { ConfigError, ParseError } from "../errors.js";
import { REPORT_DATA_SCHEMA_ID, type ReportData } from "./report-data.js";

const nonNegative = { type: "number", minimum: 0 } as const;
const nullableNonNegative = { type: ["number", "null"], minimum: 0 } as const;

const analysisSchema = {
  type: "object",
  required: [
    "sizeBytes",
    "compressedBytes",
    "compressedEstimated",
    "layers",
    "wastedBytes",
    "buildOnlyBytes",
    "packageCount",
    "byOwnerKind",
    "topOwners",
    "buildOnlyByCategory",
    "findings",
  ],
  properties: {
    id: { type: "string" },
    sizeBytes: nonNegative,
    compressedBytes: nullableNonNegative,
    compressedEstimated: { type: "boolean" },
    layers: {
      type: "array",
      items: {
        type: "object",
        required: ["index", "sizeBytes"],
        properties: {
          index: { type: "integer", minimum: 0 },
          sizeBytes: nonNegative,
          createdBy: { type: "string" },
          wastedBytes: nonNegative,
        },
      },
    },
    wastedBytes: nonNegative,
    buildOnlyBytes: nonNegative,
    packageCount: { type: ["integer", "null"], minimum: 0 },
    byOwnerKind: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "bytes"],
        properties: { kind: { type: "string" }, bytes: nonNegative },
      },
    },
    topOwners: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "name", "bytes"],
        properties: { kind: { type: "string" }, name: { type: "string" }, bytes: nonNegative },
      },
    },
    buildOnlyByCategory: {
      type: "array",
      items: {
        type: "object",
        required: ["category", "label", "bytes"],
        properties: { category: { type: "string" }, label: { type: "string" }, bytes: nonNegative },
      },
    },
    findings: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "message"],
        properties: {
          id: { type: "string" },
          message: { type: "string" },
          bytes: nonNegative,
        },
      },
    },
  },
} as const;

const verifySchema = {
  type: "object",
  required: ["passed", "startupMs", "peakMemoryBytes", "probes"],
  properties: {
    passed: { type: "boolean" },
    startupMs: nullableNonNegative,
    peakMemoryBytes: nullableNonNegative,
    probes: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "ok"],
        properties: {
          name: { type: "string" },
          ok: { type: "boolean" },
          detail: { type: "string" },
          durationMs: nonNegative,
        },
      },
    },
    error: { type: "string" },
    logsTail: { type: "string" },
  },
} as const;

const lintSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["ruleId", "severity", "message"],
    properties: {
      ruleId: { type: "string" },
      severity: { enum: ["error", "warning", "info", "style"] },
      message: { type: "string" },
      file: { type: "string" },
      line: { type: "integer", minimum: 1 },
      column: { type: "integer", minimum: 1 },
    },
  },
} as const;

const filesBytes = {
  type: "object",
  required: ["files", "bytes"],
  properties: { files: { type: "integer", minimum: 0 }, bytes: { type: "integer", minimum: 0 } },
} as const;

const minifySchema = {
  type: "object",
  required: ["level", "source", "kept", "removed", "removedByOwner", "keptByReason", "warnings"],
  properties: {
    level: { enum: ["safe", "tight"] },
    source: filesBytes,
    kept: filesBytes,
    removed: filesBytes,
    compiled: {
      type: "object",
      required: ["files", "bytes", "sourceFiles", "sourceBytes"],
      properties: {
        files: { type: "integer", minimum: 0 },
        bytes: { type: "integer", minimum: 0 },
        sourceFiles: { type: "integer", minimum: 0 },
        sourceBytes: { type: "integer", minimum: 0 },
      },
    },
    removedByOwner: {
      type: "array",
      items: {
        type: "object",
        required: ["owner", "files", "bytes"],
        properties: { owner: { type: "string" }, files: { type: "integer" }, bytes: { type: "integer" } },
      },
    },
    keptByReason: {
      type: "array",
      items: {
        type: "object",
        required: ["reason", "files", "bytes"],
        properties: { reason: { type: "string" }, files: { type: "integer" }, bytes: { type: "integer" } },
      },
    },
    warnings: { type: "array", items: { type: "string" } },
  },
} as const;

export const REPORT_DATA_JSON_SCHEMA = {
  type: "object",
  required: ["schema", "createdAt", "baseline", "variants"],
  properties: {
    schema: { const: REPORT_DATA_SCHEMA_ID },
    title: { type: "string" },
    createdAt: { type: "string" },
    baseline: { type: "string" },
    variants: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name", "ref", "analysis"],
        properties: {
          name: { type: "string", minLength: 1 },
          ref: { type: "string" },
          analysis: analysisSchema,
          verify: verifySchema,
          lint: lintSchema,
          minify: minifySchema,
        },
      },
    },
    claims: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "text", "verdict", "measured", "why", "asExpected"],
        properties: {
          id: { type: "string" },
          lab: { type: "string" },
          text: { type: "string" },
          verdict: { type: ["boolean", "null"] },
          measured: { type: "string" },
          why: { type: "string" },
          expected: { type: "boolean" },
          asExpected: { type: "boolean" },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: false }).compile<ReportData>(REPORT_DATA_JSON_SCHEMA);

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * Where JSON.parse failed: V8 gives a position for some errors only; for the
 * others, the yaml parser (JSON is YAML) finds the place of the same mistake.
 */
function jsonErrorPlace(text: string, message: string): { line: number; column: number } {
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  const place = parseDocument(text).errors[0]?.linePos?.[0];
  return place ? { line: place.line, column: place.col } : { line: 1, column: 1 };
}

function describe(err: ErrorObject): string {
  const where = err.instancePath === "" ? "the document" : err.instancePath;
  if (err.keyword === "const" && err.instancePath === "/schema") {
    return `${where} must be "${REPORT_DATA_SCHEMA_ID}" (is this the --json output of compare or lab?)`;
  }
  return `${where} ${err.message ?? "is invalid"}`;
}

/** The schema id of `slimstage lab --json` (src/lab depends on this area, not the other way round). */
const LAB_DOCUMENT_SCHEMA_ID = "slimstage.lab/v1";

function checkRun(value: unknown, file: string, at: string): ReportData {
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first ? { ...first, instancePath: `${at}${first.instancePath}` } : undefined;
    throw new ConfigError(`${file}: ${where ? describe(where) : "is not a run document"}`, {
      ...(where ? { key: where.instancePath } : {}),
      hint: "give the --json output of `slimstage compare` or `slimstage lab`",
    });
  }
  const names = new Set(value.variants.map((v) => v.name));
  if (names.size !== value.variants.length) {
    throw new ConfigError(`${file}: two variants share a name`, { key: `${at}/variants` });
  }
  if (!names.has(value.baseline)) {
    throw new ConfigError(`${file}: baseline "${value.baseline}" is not one of the variants`, {
      key: `${at}/baseline`,
    });
  }
  return value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The runs of a `slimstage lab --json` document: one lab as it is; several
 * with their variants named lab/variant (as `lab --report` draws them).
 */
function fromLabDocument(doc: Record<string, unknown>, file: string): ReportData {
  const labs = Array.isArray(doc.labs) ? doc.labs : [];
  const runs: Array<{ name: string; run: ReportData }> = [];
  labs.forEach((lab, i) => {
    if (!isRecord(lab) || lab.report === null || lab.report === undefined) return;
    const name = typeof lab.name === "string" ? lab.name : `lab${i}`;
    runs.push({ name, run: checkRun(lab.report, file, `/labs/${i}/report`) });
  });
  const first = runs[0];
  if (!first) {
    throw new ConfigError(`${file}: no lab in it produced an image to report on`, { key: "/labs" });
  }
  if (runs.length === 1) return first.run;
  return {
    schema: REPORT_DATA_SCHEMA_ID,
    title: `slimstage lab: ${runs.map((r) => r.name).join(", ")}`,
    createdAt: first.run.createdAt,
    baseline: `${first.name}/${first.run.baseline}`,
    variants: runs.flatMap(({ name, run }) => run.variants.map((v) => ({ ...v, name: `${name}/${v.name}` }))),
    claims: runs.flatMap(({ name, run }) => (run.claims ?? []).map((c) => ({ ...c, lab: name }))),
  };
}

/**
 * Parses and validates a run document: the `--json` output of `compare`
 * (a run) or of `lab` (labs, each with its run); `file` is used in errors.
 */
export function parseReportData(text: string, file = "<run.json>"): ReportData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
    const { line, column } = jsonErrorPlace(text, msg);
    throw new ParseError(`${file} is not valid JSON: ${msg}`, {
      location: { file, line, column },
      sourceLine: text.split("\n")[line - 1] ?? "",
    });
  }
  if (isRecord(value) && value.schema === LAB_DOCUMENT_SCHEMA_ID) return fromLabDocument(value, file);
  return checkRun(value, file, "");
}
