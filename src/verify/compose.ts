import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { ConfigError, InputError } from "../errors.js";
import { readYaml } from "../yaml-input.js";
import { checkedImage, contextOutside } from "./compose-checks.js";

/**
 * The compose subset verification understands: per service `image` or
 * `build`, `environment`, `ports`, `depends_on` (with conditions),
 * `healthcheck` and `command`. Keys that only matter for long-running
 * deployments are ignored with a warning; anything else is an error naming
 * the key, so nothing is silently misread.
 */

export interface ComposeHealthcheck {
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

export type DependsCondition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args: Record<string, string> };
  environment: Record<string, string>;
  /** Container ports named in `ports` (the part after the last ':'). */
  ports: number[];
  dependsOn: { service: string; condition: DependsCondition }[];
  healthcheck?: ComposeHealthcheck;
  command?: string[];
  /** Line of the service's key in the file. */
  line: number;
}

export interface ComposeFile {
  file: string;
  services: Record<string, ComposeService>;
  warnings: string[];
}

/** Keys accepted but not applied (they do not change whether the image works). */
const IGNORED_SERVICE_KEYS = [
  "volumes",
  "restart",
  "container_name",
  "networks",
  "expose",
  "labels",
  "stdin_open",
  "tty",
  "logging",
  "deploy",
  "profiles",
  "hostname",
];
const IGNORED_TOP_KEYS = ["version", "name", "volumes", "networks"];

const stringOrList = { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] };
const envMap = {
  anyOf: [
    { type: "array", items: { type: "string" } },
    { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } },
  ],
};

const serviceSchema = {
  type: "object",
  properties: {
    image: { type: "string" },
    build: {
      anyOf: [
        { type: "string" },
        {
          type: "object",
          properties: {
            context: { type: "string" },
            dockerfile: { type: "string" },
            target: { type: "string" },
            args: envMap,
          },
          additionalProperties: false,
        },
      ],
    },
    environment: envMap,
    ports: { type: "array", items: { type: ["string", "number"] } },
    depends_on: {
      anyOf: [
        { type: "array", items: { type: "string" } },
        {
          type: "object",
          additionalProperties: {
            type: "object",
            properties: {
              condition: { enum: ["service_started", "service_healthy", "service_completed_successfully"] },
              restart: { type: "boolean" },
              required: { type: "boolean" },
            },
            additionalProperties: false,
          },
        },
      ],
    },
    healthcheck: {
      type: "object",
      properties: {
        test: stringOrList,
        interval: { type: "string" },
        timeout: { type: "string" },
        retries: { type: "integer", minimum: 0 },
        start_period: { type: "string" },
        start_interval: { type: "string" },
        disable: { type: "boolean" },
      },
      additionalProperties: false,
    },
    command: stringOrList,
    ...Object.fromEntries(IGNORED_SERVICE_KEYS.map((k) => [k, {}])),
  },
  // Extension fields (x-...) are for anchors and tools: accepted, ignored.
  patternProperties: { "^x-": {} },
  additionalProperties: false,
};

const composeSchema = {
  type: "object",
  properties: {
    services: { type: "object", additionalProperties: serviceSchema, minProperties: 1 },
    ...Object.fromEntries(IGNORED_TOP_KEYS.map((k) => [k, {}])),
  },
  patternProperties: { "^x-": {} },
  required: ["services"],
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(composeSchema);

/** `1m30s`, `10s`, `500ms`, `2h` -> milliseconds (compose's duration format). */
export function parseDuration(text: string, what: string): number {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g;
  let total = 0;
  let consumed = "";
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    const unit = m[2];
    const factor =
      unit === "h"
        ? 3_600_000
        : unit === "m"
          ? 60_000
          : unit === "s"
            ? 1000
            : unit === "ms"
              ? 1
              : unit === "us"
                ? 1e-3
                : 1e-6;
    total += n * factor;
    consumed += m[0];
  }
  if (consumed !== text.trim() || consumed === "")
    throw new InputError(`${what}: "${text}" is not a duration like 10s or 1m30s`);
  return total;
}

function toEnv(value: unknown, hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value as string[]) {
      const eq = item.indexOf("=");
      if (eq < 0) {
        const v = hostEnv[item];
        if (v !== undefined) out[item] = v;
      } else out[item.slice(0, eq)] = item.slice(eq + 1);
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined) {
        const h = hostEnv[k];
        if (h !== undefined) out[k] = h;
      } else out[k] = String(v);
    }
  }
  return out;
}

/** `"8080:5000"`, `"127.0.0.1:8080:5000/tcp"`, `5000` -> 5000. */
export function containerPortOf(spec: string | number): number | undefined {
  const s = String(spec).replace(/\/(tcp|udp)$/, "");
  const last = s.split(":").at(-1) ?? "";
  const first = last.split("-")[0] ?? "";
  const n = Number(first);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function shellSplit(cmd: string): string[] {
  return ["/bin/sh", "-c", cmd];
}

function healthcheckOf(raw: Record<string, unknown>, where: string): ComposeHealthcheck | undefined {
  if (raw.disable === true) return { test: ["NONE"] };
  const t = raw.test;
  let test: string[];
  if (typeof t === "string") test = ["CMD-SHELL", t];
  else if (Array.isArray(t)) {
    test = t.map(String);
    if (!["CMD", "CMD-SHELL", "NONE"].includes(test[0] ?? "")) {
      throw new InputError(`${where}.test: a list must start with "CMD", "CMD-SHELL" or "NONE"`);
    }
  } else throw new InputError(`${where}: "test" is required`);
  const d = (k: string) =>
    typeof raw[k] === "string" ? parseDuration(raw[k] as string, `${where}.${k}`) : undefined;
  const interval = d("interval");
  const timeout = d("timeout");
  const start = d("start_period");
  return {
    test,
    ...(interval !== undefined ? { intervalMs: interval } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    ...(typeof raw.retries === "number" ? { retries: raw.retries } : {}),
    ...(start !== undefined ? { startPeriodMs: start } : {}),
  };
}

function nodeAt(root: Node | null, path: readonly string[]): Node | null {
  let cur: unknown = root;
  for (const key of path) {
    if (isMap(cur)) cur = cur.get(key, true);
    else if (isSeq(cur)) cur = cur.get(Number(key), true);
    else return null;
  }
  return (cur as Node | null) ?? null;
}

function keyLine(root: Node | null, path: readonly string[], lc: LineCounter): number {
  // The key node of the last path element, else the value node, else the parent.
  for (let n = path.length; n >= 0; n--) {
    const parent = nodeAt(root, path.slice(0, n - 1));
    const key = path[n - 1];
    if (n > 0 && isMap(parent) && key !== undefined) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const range = (pair?.key as Node | undefined)?.range;
      if (range) return lc.linePos(range[0]).line;
    }
    const node = nodeAt(root, path.slice(0, n));
    if (node?.range) return lc.linePos(node.range[0]).line;
  }
  return 1;
}

/** Parses and validates a compose file (the subset above). */
export function parseCompose(
  text: string,
  file: string,
  hostEnv: NodeJS.ProcessEnv = process.env,
): ComposeFile {
  const { doc, lineCounter: lc, data } = readYaml(text, file, { invalid: `${file}: not valid YAML` });
  const lines = text.split(/\r?\n/);
  const place = (path: string[]) => {
    const line = keyLine(doc.contents, path, lc);
    return { location: { file, line, column: Math.max(1, (lines[line - 1] ?? "").search(/\S/) + 1) } };
  };
  if (!validate(data)) {
    // With anyOf, the deepest error is the one that names the real problem.
    const err = [...(validate.errors ?? [])].sort(
      (a, b) =>
        b.instancePath.split("/").length - a.instancePath.split("/").length ||
        Number(b.keyword === "additionalProperties") - Number(a.keyword === "additionalProperties"),
    )[0] as ErrorObject;
    const path = err.instancePath
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (err.keyword === "additionalProperties") {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const inService = path[0] === "services" && path.length === 2;
      const hint = inService
        ? `supported: image, build, environment, ports, depends_on, healthcheck, command (ignored: ${IGNORED_SERVICE_KEYS.join(", ")})`
        : path.length === 0
          ? "supported at the top level: services (ignored: version, name, volumes, networks)"
          : undefined;
      throw new ConfigError(`${file}: "${[...path, key].join(".")}" is not supported by slimstage verify`, {
        key: [...path, key].join("."),
        ...place([...path, key]),
        ...(hint ? { hint } : {}),
      });
    }
    const at = path.join(".") || "(top level)";
    throw new ConfigError(`${file}: ${at} ${err.message ?? "is not valid"}`, { key: at, ...place(path) });
  }

  const top = data as { services: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const warnings: string[] = [];
  for (const k of IGNORED_TOP_KEYS)
    if (k in top && k !== "version" && k !== "name") warnings.push(`top-level "${k}" is ignored`);
  const base = dirname(resolve(file));
  const services: Record<string, ComposeService> = {};
  for (const [name, raw] of Object.entries(top.services)) {
    for (const k of IGNORED_SERVICE_KEYS)
      if (k in raw)
        warnings.push(
          `services.${name}.${k} is ignored (line ${keyLine(doc.contents, ["services", name, k], lc)})`,
        );
    const svc: ComposeService = {
      name,
      environment: toEnv(raw.environment, hostEnv),
      ports: ((raw.ports as (string | number)[] | undefined) ?? [])
        .map(containerPortOf)
        .filter((p): p is number => p !== undefined),
      dependsOn: [],
      line: keyLine(doc.contents, ["services", name], lc),
    };
    if (typeof raw.image === "string")
      svc.image = checkedImage(raw.image, name, file, place(["services", name, "image"]));
    if (raw.build !== undefined) {
      const b =
        typeof raw.build === "string" ? { context: raw.build } : (raw.build as Record<string, unknown>);
      svc.build = {
        context: resolve(base, typeof b.context === "string" ? b.context : "."),
        ...(typeof b.dockerfile === "string" ? { dockerfile: b.dockerfile } : {}),
        ...(typeof b.target === "string" ? { target: b.target } : {}),
        args: toEnv(b.args, hostEnv),
      };
      const outside = contextOutside(base, svc.build.context);
      if (outside) warnings.push(`services.${name}.build.context ${outside}`);
    }
    if (!svc.image && !svc.build) {
      throw new ConfigError(`${file}: service "${name}" has neither image nor build`, {
        key: `services.${name}`,
        ...place(["services", name]),
      });
    }
    const dep = raw.depends_on;
    if (Array.isArray(dep))
      svc.dependsOn = dep.map((s) => ({ service: String(s), condition: "service_started" as const }));
    else if (dep && typeof dep === "object") {
      svc.dependsOn = Object.entries(dep as Record<string, { condition?: DependsCondition }>).map(
        ([s, v]) => ({
          service: s,
          condition: v.condition ?? "service_started",
        }),
      );
    }
    if (raw.healthcheck) {
      const hc = healthcheckOf(raw.healthcheck as Record<string, unknown>, `services.${name}.healthcheck`);
      if (hc) svc.healthcheck = hc;
    }
    if (typeof raw.command === "string") svc.command = shellSplit(raw.command);
    else if (Array.isArray(raw.command)) svc.command = raw.command.map(String);
    services[name] = svc;
  }
  for (const svc of Object.values(services)) {
    for (const d of svc.dependsOn) {
      if (!services[d.service]) {
        throw new ConfigError(
          `${file}: service "${svc.name}" depends on "${d.service}", which is not defined`,
          {
            key: `services.${svc.name}.depends_on`,
            ...place(["services", svc.name, "depends_on"]),
          },
        );
      }
    }
  }
  return { file, services, warnings };
}

export async function loadCompose(file: string): Promise<ComposeFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(`compose file ${file} cannot be read`);
  }
  return parseCompose(text, file);
}

/**
 * The services `service` needs, dependencies first (a topological order of
 * its transitive depends_on), without the service itself. Cycles are errors.
 */
export function dependencyOrder(compose: ComposeFile, service: string): ComposeService[] {
  if (!compose.services[service]) {
    throw new InputError(`service "${service}" is not in ${compose.file}`, {
      hint: `services there: ${Object.keys(compose.services).join(", ")}`,
    });
  }
  const order: ComposeService[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting")
      throw new ConfigError(`${compose.file}: depends_on cycle: ${[...path, name].join(" -> ")}`);
    state.set(name, "visiting");
    const svc = compose.services[name];
    for (const d of svc?.dependsOn ?? []) visit(d.service, [...path, name]);
    state.set(name, "done");
    if (svc && name !== service) order.push(svc);
  };
  visit(service, []);
  return order;
}
