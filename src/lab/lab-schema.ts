import { PROBE_SCHEMA } from "../verify/probes/config.js";

/**
 * JSON Schema of lab.yaml (validated with ajv). Closed objects everywhere, so
 * that a misspelt key is reported by name instead of being ignored.
 */

const name = { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*$", maxLength: 64 } as const;
const relPath = { type: "string", minLength: 1, pattern: "^[^/]" } as const;
// Compiled with RegExp by the loader (ajv-formats would add a dependency for one format).
const regex = { type: "string", minLength: 1 } as const;
const threshold = { type: "string", pattern: "^\\d+(\\.\\d+)?\\s*(%|B|kB|KB|MB|GB|KiB|MiB|GiB)$" } as const;
const stringList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } as const;

// The probe schema is the verify area's, shared with probes files.
const probe = PROBE_SCHEMA;

const diagnosis = {
  type: "object",
  additionalProperties: false,
  required: ["explain"],
  properties: {
    build: regex,
    lint: { type: "array", items: { type: "string", pattern: "^[A-Za-z]+[0-9]+$" }, minItems: 1 },
    logs: regex,
    explain: { type: "string", minLength: 1 },
  },
} as const;

const variant = {
  type: "object",
  additionalProperties: false,
  required: ["name", "expect"],
  properties: {
    name,
    label: { type: "string", minLength: 1 },
    dockerfile: relPath,
    context: relPath,
    target: { type: "string", minLength: 1 },
    buildArgs: { type: "object", additionalProperties: { type: "string" } },
    image: { type: "string", minLength: 1 },
    probe: { oneOf: [probe, { type: "null" }] },
    compose: {
      type: "object",
      additionalProperties: false,
      required: ["file", "service"],
      properties: { file: relPath, service: { type: "string", minLength: 1 }, profiles: stringList },
    },
    expect: {
      oneOf: [
        { const: "works" },
        {
          type: "object",
          additionalProperties: false,
          required: ["fails", "diagnosis"],
          properties: { fails: { enum: ["build", "verify"] }, diagnosis },
        },
      ],
    },
  },
} as const;

const oneVariant = { type: "string", minLength: 1 } as const;

function measureOf(kind: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: "object",
    additionalProperties: false,
    required: ["kind", ...required],
    properties: { kind: { const: kind }, ...properties },
  };
}

const contentsProps = { variant: oneVariant, packages: stringList, categories: stringList };

const measures = [
  measureOf("smaller", { subject: oneVariant, than: oneVariant, byAtLeast: threshold }, ["subject", "than"]),
  measureOf("order", { smallestFirst: { ...stringList, minItems: 2 } }, ["smallestFirst"]),
  measureOf("works", { variant: oneVariant }, ["variant"]),
  measureOf("fails", { variant: oneVariant }, ["variant"]),
  measureOf("contains", contentsProps, ["variant"]),
  measureOf("lacks", contentsProps, ["variant"]),
  measureOf("non-root", { variant: oneVariant }, ["variant"]),
  measureOf("fewer-layers", { subject: oneVariant, than: oneVariant }, ["subject", "than"]),
  measureOf("build-step", { variant: oneVariant, step: regex, output: regex }, ["variant", "step"]),
];

export const MEASURE_KINDS = measures.map((m) => m.properties.kind.const);

export const LAB_SCHEMA = {
  $id: "https://slimstage.dev/schemas/lab.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "title", "variants", "claims"],
  properties: {
    name,
    title: { type: "string", minLength: 1 },
    seed: { type: "string", pattern: "^[0-9]{3}$" },
    context: relPath,
    original: { type: "array", items: relPath },
    baseline: { type: "string", minLength: 1 },
    history: { type: "boolean" },
    probe,
    optimize: {
      type: "object",
      additionalProperties: false,
      properties: {
        dir: relPath,
        distrolessAtMost: { ...threshold, pattern: "^\\d+(\\.\\d+)?\\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)$" },
        distrolessAtMostNodePlus: {
          ...threshold,
          pattern: "^\\d+(\\.\\d+)?\\s*(B|kB|KB|MB|GB|KiB|MiB|GiB)$",
        },
      },
    },
    variants: { type: "array", items: variant, minItems: 1 },
    claims: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "text", "measure"],
        properties: {
          id: name,
          text: { type: "string", minLength: 1 },
          expect: { type: "boolean" },
          measure: {
            type: "object",
            required: ["kind"],
            properties: { kind: { enum: MEASURE_KINDS } },
            // Dispatch on `kind` so that errors name the right measure's keys.
            allOf: measures.map((m) => ({
              if: { properties: { kind: { const: m.properties.kind.const } } },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
              then: m,
            })),
          },
        },
      },
    },
  },
} as const;
