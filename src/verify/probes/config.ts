/**
 * The one translation from a probe written in YAML (lab.yaml's `probe`, a
 * probes file's entries) to verify's probes, and the JSON Schema both files
 * validate it with. lab, optimize and minify all go through here.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors.js";
import type { Probe } from "../types.js";

/** An HTTP probe as written in YAML. */
export interface HttpProbeConfig {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** The request body: text, a file (relative to the YAML file), or a JSON value (sets content-type). */
  send?: { text?: string; file?: string; json?: unknown };
  /** Expected status (default: any below 400). */
  status?: number;
  /** Text the body must contain; a list: one entry per request, in order (a counter that goes up). */
  body?: string | string[];
  /** The Content-Type must start with this. */
  contentType?: string;
  /** JSON fields the body must have: dot path to value. */
  json?: Record<string, string | number | boolean | null>;
  /** Per-request limit in seconds (default 5). */
  timeout?: number;
}

/** A command run inside the image (for apps that print and exit, like lab-004's). */
export interface CommandProbeConfig {
  /** Shell command; default: the image's own CMD. */
  run?: string | string[];
  /** Text the output must contain. */
  output?: string;
  exitCode?: number;
}

export interface ProbeConfig {
  http?: HttpProbeConfig;
  command?: CommandProbeConfig;
  tcp?: { port: number };
}

const stringList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } as const;
const port = { type: "integer", minimum: 1, maximum: 65535 } as const;

/** JSON Schema of one probe (closed objects: a misspelt key is reported by name). */
export const PROBE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    http: {
      type: "object",
      additionalProperties: false,
      required: ["port", "path"],
      properties: {
        port,
        path: { type: "string", pattern: "^/" },
        method: { type: "string", pattern: "^[A-Za-z]+$" },
        headers: { type: "object", additionalProperties: { type: "string" } },
        send: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: { text: { type: "string" }, file: { type: "string", minLength: 1 }, json: {} },
        },
        status: { type: "integer", minimum: 100, maximum: 599 },
        body: { oneOf: [{ type: "string", minLength: 1 }, { ...stringList }] },
        contentType: { type: "string", minLength: 1 },
        json: { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } },
        timeout: { type: "number", exclusiveMinimum: 0, maximum: 600 },
      },
    },
    command: {
      type: "object",
      additionalProperties: false,
      properties: {
        run: { oneOf: [{ type: "string", minLength: 1 }, { ...stringList }] },
        output: { type: "string", minLength: 1 },
        exitCode: { type: "integer", minimum: 0, maximum: 255 },
      },
    },
    tcp: { type: "object", additionalProperties: false, required: ["port"], properties: { port } },
  },
} as const;

/** A word quoted for sh when it needs it. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

/**
 * A probe config as verify's probes, plus the command override a one-shot
 * app needs (a command probe keeps the container up with `sleep infinity`
 * and runs the app's command in it). `baseDir` resolves `send.file`.
 */
export function probesFromConfig(
  p: ProbeConfig,
  imageCmd: readonly string[] | null,
  baseDir = ".",
): { probes: Probe[]; command?: string[] } {
  if (p.http) {
    const h = p.http;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h.headers ?? {})) headers[k.toLowerCase()] = v;
    let body: string | undefined;
    if (h.send?.text !== undefined) body = h.send.text;
    else if (h.send?.file !== undefined) {
      const file = resolve(baseDir, h.send.file);
      try {
        body = readFileSync(file, "utf8");
      } catch (e) {
        throw new InputError(`probe body file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    } else if (h.send && "json" in h.send) {
      body = JSON.stringify(h.send.json);
      headers["content-type"] ??= "application/json";
    }
    const probe: Probe = {
      kind: "http",
      port: h.port,
      path: h.path,
      ...(h.method ? { method: h.method.toUpperCase() } : body !== undefined ? { method: "POST" } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(h.status !== undefined ? { expectStatus: h.status } : {}),
      ...(typeof h.body === "string" ? { expectBody: h.body } : {}),
      ...(Array.isArray(h.body) ? { expectSequence: [...h.body], repeat: h.body.length } : {}),
      ...(h.contentType ? { expectContentType: h.contentType } : {}),
      ...(h.json
        ? {
            expectJson: Object.entries(h.json).map(([path, v]) => ({
              path,
              value: typeof v === "string" ? v : JSON.stringify(v),
            })),
          }
        : {}),
      ...(h.timeout !== undefined ? { requestTimeoutMs: Math.round(h.timeout * 1000) } : {}),
    };
    return { probes: [probe] };
  }
  if (p.tcp) return { probes: [{ kind: "tcp", port: p.tcp.port }] };
  const c = p.command ?? {};
  const run = c.run ?? imageCmd ?? [];
  const command = typeof run === "string" ? run : run.map(shellWord).join(" ");
  return {
    probes: [
      {
        kind: "cmd",
        command,
        ...(c.output !== undefined ? { expectOutput: c.output } : {}),
        expectExitCode: c.exitCode ?? 0,
      },
    ],
    // The app prints and exits: keep the container up and run the app's command in it.
    command: ["sleep", "infinity"],
  };
}

/** The default probe for a port when none was given: HTTP GET /, TCP only as a stated fallback. */
export function defaultProbe(port: number): Probe {
  return { kind: "http", port, path: "/", fallbackToTcp: true };
}
