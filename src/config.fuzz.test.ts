/**
 * Fuzz: mutated YAML through every config reader (compose files,
 * .slimstage.yaml, lab.yaml), with aliases, deep nesting and broken
 * syntax among the edits. Invariant: a value or a typed input error.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { fuzzRuns, fuzzTimeout, mutated, onlyInputErrors } from "../test/fuzz.js";
import { parseLab } from "./lab/load-lab.js";
import { parseConfig } from "./lint/config.js";
import { RULES } from "./lint/rules/index.js";
import { parseCompose } from "./verify/compose.js";

const COMPOSE = `services:
  web:
    build:
      context: .
      args: { A: "1" }
    ports: ["8000:8000"]
    environment:
      REDIS: redis://cache:6379
    depends_on:
      cache: { condition: service_healthy }
  cache:
    image: redis:7
    healthcheck: { test: ["CMD", "redis-cli", "ping"], interval: 1s }
`;
const LINT = `ignore: [SS105]
severity: { SS302: error }
threshold: warning
trustedRegistries: [docker.io]
eol: { warnDays: 30 }
`;
const LAB = `name: hello
app: { dir: ., port: 5000 }
variants:
  - { name: single, dockerfile: Dockerfile }
probes:
  - http://:5000/
`;
const SNIPPETS = [
  "&a [x, x, x, x]",
  "*a",
  "[*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "&b {k: v}",
  "<<: *b",
  "[[[[[[[[[[[[[[[[[[[[",
  "]]]]]]]]]]",
  "{ ",
  "? ",
  "!!binary x",
  "!!js/function f",
  "\t",
  "- ",
  ": ",
  "'",
  '"',
  "%YAML 1.1\n---\n",
  "---\n",
];

describe("fuzz: config readers", () => {
  it(
    "compose, lint config and lab.yaml give a value or a typed input error",
    () => {
      fc.assert(
        fc.property(mutated([COMPOSE, LINT, LAB], SNIPPETS), (text) => {
          const what = JSON.stringify(text.slice(0, 300));
          onlyInputErrors(() => parseCompose(text, "compose.yaml", {}), `compose ${what}`);
          onlyInputErrors(() => parseConfig(text, ".slimstage.yaml", RULES), `config ${what}`);
          onlyInputErrors(() => parseLab(text, "lab.yaml", "/nonexistent-lab-dir"), `lab ${what}`);
        }),
        fuzzRuns(150),
      );
    },
    fuzzTimeout(150, 400),
  );
});
