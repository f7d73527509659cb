import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { parse as parseDotenv } from "dotenv";
import { split as shlexSplit } from "shlex";
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, visit } from "yaml";
import { ConfigError, InputError } from "../errors.js";
import { readYaml } from "../yaml-input.js";
import { checkedImage, contextOutside } from "./compose-checks.js";
import { type RawService, resolveExtends } from "./compose-extends.js";
import { InterpolationError, interpolate } from "./compose-interpolate.js";
// The compose specification's own JSON Schema, vendored from
// github.com/compose-spec/compose-spec (schema/compose-spec.json, Apache-2.0;
// see compose-spec.NOTICE.md): npm has no maintained package of it.
import specSchema from "./compose-spec.json" with { type: "json" };

/**
 * Compose files read the way compose reads them: YAML with merge keys,
 * interpolation of `${VAR}` forms from the process environment and the
 * `.env` file beside the compose file, `env_file`, `extends` within the
 * file, `profiles`, then validation against the compose specification's
 * schema (each error with its line). Of what is valid compose, verification
 * applies per service `image` or `build`, `environment`, `ports`,
 * `depends_on` (with conditions), `healthcheck`, `command` and `secrets`
 * (file and environment secrets, at /run/secrets/NAME). Keys that only
 * matter for long-running deployments are ignored with a warning; anything
 * else is an error naming the key, so nothing is silently misread.
 */

export interface ComposeHealthcheck {
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

export type DependsCondition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface ComposeDependency {
  service: string;
  condition: DependsCondition;
  /** `required: false`: skipped when the service is not enabled (compose v2). */
  required: boolean;
}

/** A secret the service is given: a file put into its container before it starts, where compose mounts it. */
export interface ComposeSecret {
  /** The top-level secret's name. */
  name: string;
  /** Absolute path in the container (`/run/secrets/NAME` unless `target` names another). */
  target: string;
  /** The host file (absolute), for a `file:` secret. */
  file?: string;
  /** The value, for an `environment:` secret. */
  value?: string;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args: Record<string, string> };
  /** `env_file` values, overridden by `environment` (a name alone takes the variable's value). */
  environment: Record<string, string>;
  /** Container ports named in `ports` (the part after the last ':', or `target`), each once. */
  ports: number[];
  dependsOn: ComposeDependency[];
  healthcheck?: ComposeHealthcheck;
  /** `command` as compose runs it: a string is split into words (shlex), not run by a shell. */
  command?: string[];
  /** `secrets`: what the service reads from /run/secrets (a database password file). */
  secrets: ComposeSecret[];
  /** Where `volumes` mount host paths (`./src:/app/src`, type: bind): a service that runs host files, not only the image's. */
  bindMounts: string[];
  profiles: string[];
  /** No profiles, or one of them is active. */
  enabled: boolean;
  /** Line of the service's key in the file. */
  line: number;
}

export interface ComposeFile {
  file: string;
  services: Record<string, ComposeService>;
  /** Active profiles (--profile and COMPOSE_PROFILES). */
  profiles: string[];
  warnings: string[];
}

export interface ComposeOptions {
  /**
   * Variables for interpolation and for names given without a value.
   * loadCompose passes the process environment over the `.env` file.
   */
  env?: Record<string, string | undefined>;
  /** Profiles to enable (as `--profile`), besides COMPOSE_PROFILES. */
  profiles?: readonly string[];
  /** Reads an `env_file` (an absolute path); readFileSync by default. */
  readEnvFile?: (path: string) => string;
  /**
   * Keys verification does not apply: refused by name (default, for the file a user
   * gives to verify), or only warned about, for a reader that needs the builds alone
   * (optimize looking for a service's build.target).
   */
  unsupported?: "refuse" | "warn";
}

const SUPPORTED_SERVICE_KEYS = [
  "image",
  "build",
  "environment",
  "env_file",
  "ports",
  "depends_on",
  "healthcheck",
  "command",
  "profiles",
  "extends",
  "secrets",
];
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
  "hostname",
  // How compose stops the service: verification removes its containers itself.
  "stop_signal",
  "stop_grace_period",
];
const SUPPORTED_BUILD_KEYS = ["context", "dockerfile", "target", "args"];
const IGNORED_TOP_KEYS = ["version", "name", "volumes", "networks"];
/** Top-level keys read when a service uses them (`secrets`: file and environment secrets). */
const SUPPORTED_TOP_KEYS = ["services", "secrets"];

/** The container path of a `volumes` item that mounts a host path; named volumes and tmpfs are not. */
function bindTarget(item: unknown): string[] {
  if (typeof item === "string") {
    const [source, target] = item.split(":");
    return target !== undefined && source !== undefined && /^[./~]/.test(source) ? [target] : [];
  }
  if (item && typeof item === "object") {
    const v = item as { type?: unknown; target?: unknown };
    return v.type === "bind" && typeof v.target === "string" ? [v.target] : [];
  }
  return [];
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
const validateSpec = ajv.compile(specSchema);

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

/**
 * The one place a compose file's YAML is parsed and turned into data, through
 * the shared reader (alias bombs and over-deep documents are ConfigErrors with
 * a line). Merge keys (`<<: *x`) are on, as in compose's YAML 1.1 loaders.
 * `interpolateDoc` runs between parsing and conversion so that its errors
 * carry the line of the value.
 */
function readComposeYaml(
  text: string,
  file: string,
  interpolateDoc: (doc: Document, lc: LineCounter) => void,
): { data: unknown; doc: Document; lc: LineCounter } {
  const { doc, lineCounter, data } = readYaml(text, file, {
    invalid: `${file}: not valid YAML`,
    merge: true,
    transform: interpolateDoc,
  });
  return { data, doc, lc: lineCounter };
}

type Env = Record<string, string | undefined>;

/** Names (with or without a value) from a list or map, as compose writes them; null = no value given. */
function envEntries(value: unknown): [string, string | null][] {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const s = String(item);
      const eq = s.indexOf("=");
      return eq < 0 ? [s, null] : [s.slice(0, eq), s.slice(eq + 1)];
    });
  }
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      v === null || v === undefined ? null : String(v),
    ]);
  }
  return [];
}

function applyEnv(out: Record<string, string>, entries: [string, string | null][], env: Env): void {
  for (const [k, v] of entries) {
    if (v !== null) out[k] = v;
    else {
      const h = env[k];
      if (h !== undefined) out[k] = h;
      else delete out[k];
    }
  }
}

/** `"8080:5000"`, `"127.0.0.1:8080:5000/tcp"`, `5000` -> [5000]; a range `"3000-3001"` -> [3000, 3001]. */
export function containerPortsOf(spec: string | number): number[] {
  const s = String(spec).replace(/\/(tcp|udp|sctp)$/, "");
  const last = s.split(":").at(-1) ?? "";
  const [from, to = from] = last.split("-").map(Number);
  const ok = (n: number | undefined): n is number =>
    Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536;
  if (!ok(from) || !ok(to) || to < from || to - from > 1000) return [];
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function portsOf(item: unknown): number[] {
  if (item && typeof item === "object")
    return containerPortsOf(String((item as { target?: unknown }).target));
  return containerPortsOf(item as string | number);
}

function activeProfiles(opts: ComposeOptions, env: Env): string[] {
  const fromEnv = (env.COMPOSE_PROFILES ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return [...new Set([...(opts.profiles ?? []), ...fromEnv])];
}

/** Parses, resolves and validates a compose file (see the module comment). */
export function parseCompose(text: string, file: string, opts: ComposeOptions = {}): ComposeFile {
  const env: Env = opts.env ?? process.env;
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  const at = (line: number) => ({
    location: { file, line, column: Math.max(1, (lines[line - 1] ?? "").search(/\S/) + 1) },
  });
  const unsetSeen = new Set<string>();
  const { data, doc, lc } = readComposeYaml(text, file, (d, counter) => {
    visit(d, {
      Scalar(key, node) {
        if (key === "key" || typeof node.value !== "string") return;
        const line = node.range ? counter.linePos(node.range[0]).line : 1;
        try {
          const r = interpolate(node.value, (name) => env[name]);
          node.value = r.value;
          for (const name of r.unset) {
            if (unsetSeen.has(name)) continue;
            unsetSeen.add(name);
            warnings.push(`variable ${name} is not set: using an empty string (line ${line})`);
          }
        } catch (e) {
          if (e instanceof InterpolationError) throw new ConfigError(`${file}: ${e.message}`, at(line));
          throw e;
        }
      },
    });
  });
  const place = (path: readonly string[]) => at(keyLine(doc.contents, path, lc));

  if (!validateSpec(data)) throw specError(validateSpec.errors ?? [], file, place);
  const top = data as { services?: Record<string, RawService> } & Record<string, unknown>;
  checkSubset(
    top,
    file,
    place,
    opts.unsupported === "warn"
      ? (e) => warnings.push(`${e.message} (line ${e.location?.line ?? "?"})`)
      : undefined,
  );
  for (const k of IGNORED_TOP_KEYS)
    if (k in top && k !== "version" && k !== "name") warnings.push(`top-level "${k}" is ignored`);

  const base = dirname(resolve(file));
  const profiles = activeProfiles(opts, env);
  const raws = resolveExtends(
    top.services ?? {},
    (message, path) =>
      new ConfigError(`${file}: ${message}`, {
        key: path.join("."),
        ...place(path),
      }),
  );
  const readEnvFile = opts.readEnvFile ?? ((p: string) => readFileSync(p, "utf8"));
  const services: Record<string, ComposeService> = {};
  for (const [name, raw] of Object.entries(raws)) {
    for (const k of IGNORED_SERVICE_KEYS)
      if (k in raw)
        warnings.push(
          `services.${name}.${k} is ignored (line ${keyLine(doc.contents, ["services", name, k], lc)})`,
        );
    const environment: Record<string, string> = {};
    const envFiles =
      raw.env_file === undefined ? [] : Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
    for (const ef of envFiles) {
      const spec =
        typeof ef === "string" ? { path: ef, required: true } : (ef as { path: string; required?: boolean });
      const path = resolve(base, spec.path);
      let content: string;
      try {
        content = readEnvFile(path);
      } catch {
        if (spec.required === false) continue;
        throw new ConfigError(`${file}: env_file ${spec.path} of service "${name}" cannot be read`, {
          key: `services.${name}.env_file`,
          ...place(["services", name, "env_file"]),
        });
      }
      Object.assign(environment, parseDotenv(content));
    }
    applyEnv(environment, envEntries(raw.environment), env);
    const svcProfiles = ((raw.profiles as unknown[] | undefined) ?? []).map(String);
    const svc: ComposeService = {
      name,
      environment,
      ports: ((raw.ports as unknown[] | undefined) ?? [])
        .flatMap(portsOf)
        .filter((p, i, all) => all.indexOf(p) === i),
      dependsOn: [],
      bindMounts: ((raw.volumes as unknown[] | undefined) ?? []).flatMap(bindTarget),
      secrets: secretsOf(raw.secrets, name, top.secrets, { base, env, file, place }),
      profiles: svcProfiles,
      enabled:
        svcProfiles.length === 0 || profiles.includes("*") || svcProfiles.some((p) => profiles.includes(p)),
      line: keyLine(doc.contents, ["services", name], lc),
    };
    if (typeof raw.image === "string")
      svc.image = checkedImage(raw.image, name, file, place(["services", name, "image"]));
    if (raw.build !== undefined) {
      const b =
        typeof raw.build === "string" ? { context: raw.build } : (raw.build as Record<string, unknown>);
      // A build arg named without a value and not set anywhere is passed empty, as docker-compose 1.29 does.
      const args: Record<string, string> = {};
      for (const [k, v] of envEntries(b.args)) args[k] = v ?? env[k] ?? "";
      svc.build = {
        context: resolve(base, typeof b.context === "string" ? b.context : "."),
        ...(typeof b.dockerfile === "string" ? { dockerfile: b.dockerfile } : {}),
        ...(typeof b.target === "string" ? { target: b.target } : {}),
        args,
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
      svc.dependsOn = dep.map((s) => ({ service: String(s), condition: "service_started", required: true }));
    else if (dep && typeof dep === "object") {
      svc.dependsOn = Object.entries(
        dep as Record<string, { condition?: DependsCondition; required?: boolean }>,
      ).map(([s, v]) => ({
        service: s,
        condition: v.condition ?? "service_started",
        required: v.required !== false,
      }));
    }
    if (raw.healthcheck) {
      const hc = healthcheckOf(raw.healthcheck as Record<string, unknown>, `services.${name}.healthcheck`);
      if (hc) svc.healthcheck = hc;
    }
    if (typeof raw.command === "string") svc.command = shlexSplit(raw.command);
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
  return { file, services, profiles, warnings };
}

type Place = (path: readonly string[]) => { location: { file: string; line: number; column: number } };

/**
 * A service's `secrets`, resolved against the top-level ones as docker compose resolves them
 * outside a swarm: a `file:` secret is the host file (relative to the compose file), an
 * `environment:` secret the variable's value, each at /run/secrets/NAME (or its `target`).
 * Refused with the line: a secret not defined at the top level, an `external` one (a swarm's),
 * a missing file or an unset variable.
 */
function secretsOf(
  raw: unknown,
  service: string,
  defined: unknown,
  ctx: { base: string; env: Env; file: string; place: Place },
): ComposeSecret[] {
  if (!Array.isArray(raw)) return [];
  const top = (defined ?? {}) as Record<string, Record<string, unknown> | null>;
  return raw.map((item, i) => {
    const spec = typeof item === "string" ? { source: item } : (item as { source: string; target?: string });
    const where = ["services", service, "secrets", String(i)];
    const error = (message: string, path = where) =>
      new ConfigError(message, { key: path.join("."), ...ctx.place(path) });
    const def = top[spec.source];
    if (!def)
      throw error(
        `service "${service}" uses secret "${spec.source}", which the top-level secrets do not define`,
      );
    const target = spec.target?.startsWith("/") ? spec.target : `/run/secrets/${spec.target ?? spec.source}`;
    const at = ["secrets", spec.source];
    if (typeof def.file === "string") {
      const path = resolve(ctx.base, def.file);
      if (!existsSync(path))
        throw error(`secret "${spec.source}": its file ${def.file} does not exist (${path})`, [
          ...at,
          "file",
        ]);
      return { name: spec.source, target, file: path };
    }
    if (typeof def.environment === "string") {
      const value = ctx.env[def.environment];
      if (value === undefined)
        throw error(`secret "${spec.source}": the variable ${def.environment} is not set`, [
          ...at,
          "environment",
        ]);
      return { name: spec.source, target, value };
    }
    throw error(
      `secret "${spec.source}" is neither a file: nor an environment: secret (an external secret lives in a swarm, which verification does not run)`,
      at,
    );
  });
}

function jsonPath(instancePath: string): string[] {
  return instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The error of the compose specification's schema that names the real problem, with its line. */
function specError(errors: ErrorObject[], file: string, place: Place): ConfigError {
  // With anyOf/oneOf, the deepest error is the one that names the real problem.
  const err = [...errors].sort(
    (a, b) =>
      b.instancePath.split("/").length - a.instancePath.split("/").length ||
      Number(b.keyword === "additionalProperties") - Number(a.keyword === "additionalProperties"),
  )[0] as ErrorObject;
  const path = jsonPath(err.instancePath);
  if (err.keyword === "additionalProperties") {
    const key = [...path, String((err.params as { additionalProperty: string }).additionalProperty)];
    return new ConfigError(`${file}: "${key.join(".")}" is not allowed by the compose specification`, {
      key: key.join("."),
      ...place(key),
    });
  }
  const where = path.join(".") || "(top level)";
  return new ConfigError(`${file}: ${where} ${err.message ?? "is not valid"} (compose specification)`, {
    key: where,
    ...place(path),
  });
}

/** Valid compose that verification would not apply is refused by name (or ignored with a warning). */
function checkSubset(
  top: Record<string, unknown>,
  file: string,
  place: Place,
  warn?: (e: ConfigError) => void,
): void {
  const refusal = (path: string[], hint: string) =>
    new ConfigError(`"${path.join(".")}" is not supported by slimstage's verification`, {
      key: path.join("."),
      ...place(path),
      hint,
    });
  // Thrown by default, all of them in one error (a user fixes them in one go); with `warn`, reported and skipped.
  const refused: ConfigError[] = [];
  const refuse = (path: string[], hint: string): void => {
    const e = refusal(path, hint);
    if (warn) warn(e);
    else refused.push(e);
  };
  for (const k of Object.keys(top)) {
    if (SUPPORTED_TOP_KEYS.includes(k) || k.startsWith("x-") || IGNORED_TOP_KEYS.includes(k)) continue;
    refuse(
      [k],
      `supported at the top level: ${SUPPORTED_TOP_KEYS.join(", ")} (ignored: ${IGNORED_TOP_KEYS.join(", ")})`,
    );
  }
  if (!top.services || Object.keys(top.services).length === 0)
    throw new ConfigError(`${file}: no services`, { key: "services", ...place(["services"]) });
  for (const [name, raw] of Object.entries(top.services as Record<string, Record<string, unknown>>)) {
    for (const k of Object.keys(raw ?? {})) {
      if (SUPPORTED_SERVICE_KEYS.includes(k) || IGNORED_SERVICE_KEYS.includes(k) || k.startsWith("x-"))
        continue;
      refuse(
        ["services", name, k],
        `supported: ${SUPPORTED_SERVICE_KEYS.join(", ")} (ignored: ${IGNORED_SERVICE_KEYS.join(", ")})`,
      );
    }
    const b = raw?.build;
    if (b && typeof b === "object") {
      for (const k of Object.keys(b))
        if (!SUPPORTED_BUILD_KEYS.includes(k) && !k.startsWith("x-")) {
          refuse(["services", name, "build", k], `supported in build: ${SUPPORTED_BUILD_KEYS.join(", ")}`);
        }
    }
  }
  const [first, ...more] = refused;
  if (!first) return;
  if (more.length === 0) throw first;
  throw new ConfigError(
    `${first.message}; nor ${more.map((e) => `"${e.key}" (line ${e.location?.line ?? "?"})`).join(", ")}`,
    {
      ...(first.key ? { key: first.key } : {}),
      ...(first.location ? { location: first.location } : {}),
      hint: [...new Set(refused.map((e) => e.hint))].join("; "),
    },
  );
}

/**
 * Reads a compose file with the `.env` file beside it (the process
 * environment wins over it, as in compose).
 */
export async function loadCompose(
  file: string,
  opts: Omit<ComposeOptions, "env"> & { env?: Env } = {},
): Promise<ComposeFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(`compose file ${file} cannot be read`);
  }
  const dotEnvPath = resolve(dirname(resolve(file)), ".env");
  let dotEnv: Record<string, string> = {};
  if (existsSync(dotEnvPath)) {
    try {
      dotEnv = parseDotenv(await readFile(dotEnvPath, "utf8"));
    } catch {
      throw new InputError(`${dotEnvPath} cannot be read`);
    }
  }
  return parseCompose(text, file, { ...opts, env: { ...dotEnv, ...(opts.env ?? process.env) } });
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
  const walk = (name: string, path: string[]) => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting")
      throw new ConfigError(`${compose.file}: depends_on cycle: ${[...path, name].join(" -> ")}`);
    state.set(name, "visiting");
    const svc = compose.services[name];
    for (const d of svc?.dependsOn ?? []) {
      const dep = compose.services[d.service];
      // As compose: naming a service enables its profiles, not its dependencies'.
      if (dep && !dep.enabled) {
        if (!d.required) continue;
        throw new ConfigError(
          `${compose.file}: service "${name}" depends on "${d.service}", whose profiles (${dep.profiles.join(", ")}) are not active`,
          {
            key: `services.${name}.depends_on`,
            location: { file: compose.file, line: dep.line, column: 1 },
            hint: `enable one with --profile ${dep.profiles[0]} (or COMPOSE_PROFILES)`,
          },
        );
      }
      walk(d.service, [...path, name]);
    }
    state.set(name, "done");
    if (svc && name !== service) order.push(svc);
  };
  walk(service, []);
  return order;
}
