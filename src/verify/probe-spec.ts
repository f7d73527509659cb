import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import type { CmdProbe, HttpProbe, Probe, TcpProbe } from "./types.js";

function parsePort(text: string, spec: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) {
    throw new InputError(`probe "${spec}": "${text}" is not a port number (1-65535)`);
  }
  return n;
}

/**
 * Parses one probe string:
 * `http://:5000/path` (host part empty or localhost: the app container),
 * `tcp:6379` (or `tcp://:6379`), `cmd:python -c "..."`.
 */
export function parseProbeSpec(spec: string): Probe {
  const s = spec.trim();
  if (s.startsWith("cmd:")) {
    const command = s.slice(4).trim();
    if (command === "") throw new InputError(`probe "${spec}": empty command after "cmd:"`);
    return { kind: "cmd", command } satisfies CmdProbe;
  }
  if (s.startsWith("tcp:")) {
    const port = s.slice(4).replace(/^\/\/(localhost|127\.0\.0\.1)?:?/, "");
    return { kind: "tcp", port: parsePort(port, spec) } satisfies TcpProbe;
  }
  const http = /^http:\/\/(localhost|127\.0\.0\.1|app)?:(\d+)(\/.*)?$/.exec(s);
  if (http) {
    return { kind: "http", port: parsePort(http[2] ?? "", spec), path: http[3] ?? "/" } satisfies HttpProbe;
  }
  if (s.startsWith("https://")) {
    throw new InputError(`probe "${spec}": https probes are not supported`, {
      hint: "probe the plain HTTP port, e.g. http://:8080/",
    });
  }
  if (s.startsWith("http://")) {
    throw new InputError(`probe "${spec}": give the container port as http://:PORT/PATH`, {
      hint: "e.g. --probe http://:5000/",
    });
  }
  throw new InputError(`probe "${spec}" is not understood`, {
    hint: "use http://:PORT/PATH, tcp:PORT or cmd:COMMAND",
  });
}

/** `path=value` for --expect-json. */
export function parseJsonExpectation(text: string): { path: string; value: string } {
  const eq = text.indexOf("=");
  if (eq <= 0)
    throw new InputError(`--expect-json "${text}" must look like PATH=VALUE (e.g. hits=3 or data.0.id=7)`);
  return { path: text.slice(0, eq), value: text.slice(eq + 1) };
}

const PROBE_OPTIONS = new Set([
  "--probe",
  "--expect-status",
  "--expect-body",
  "--expect-json",
  "--expect-output",
  "--expect-exit",
  "--repeat",
  "--expect-sequence",
  "--method",
  "--header",
  "--body",
  "--body-file",
  "--json",
  "--expect-content-type",
  "--request-timeout",
]);

/**
 * Reads the probe options in the order they were given: each `--expect-*` and
 * `--repeat` belongs to the `--probe` before it (or, before any probe, to the
 * first one). Commander keeps options apart, so the order comes from argv.
 */
export function parseProbeArgs(argv: readonly string[]): Probe[] {
  const probes: Probe[] = [];
  const pending: Array<[string, string]> = [];
  const tokens: Array<[string, string]> = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--") break;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    if (!PROBE_OPTIONS.has(name)) continue;
    let value: string | undefined;
    if (name !== a) value = a.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new InputError(`${name} needs a value`);
    tokens.push([name, value]);
  }
  for (const [name, value] of tokens) {
    if (name === "--probe") {
      probes.push(parseProbeSpec(value));
      if (probes.length === 1) for (const [n, v] of pending.splice(0)) applyOption(probes[0] as Probe, n, v);
      continue;
    }
    const last = probes.at(-1);
    if (last) applyOption(last, name, value);
    else pending.push([name, value]);
  }
  if (pending.length > 0) {
    throw new InputError(`${pending[0]?.[0]} is given without a --probe to apply to`, {
      hint: "e.g. --probe http://:5000/ --expect-status 200",
    });
  }
  return probes;
}

function applyOption(probe: Probe, name: string, value: string): void {
  const wrong = (kinds: string) =>
    new InputError(`${name} applies to ${kinds} probes, not to the ${probe.kind} probe before it`);
  switch (name) {
    case "--expect-status": {
      if (probe.kind !== "http") throw wrong("http");
      const n = Number(value);
      if (!/^\d{3}$/.test(value) || n < 100 || n > 599)
        throw new InputError(`--expect-status "${value}" is not an HTTP status`);
      probe.expectStatus = n;
      return;
    }
    case "--expect-body":
      if (probe.kind !== "http") throw wrong("http");
      probe.expectBody = value;
      return;
    case "--expect-json":
      if (probe.kind !== "http") throw wrong("http");
      probe.expectJson = [...(probe.expectJson ?? []), parseJsonExpectation(value)];
      return;
    case "--method":
      if (probe.kind !== "http") throw wrong("http");
      if (!/^[A-Z]+$/.test(value.toUpperCase()))
        throw new InputError(`--method "${value}" is not an HTTP method`);
      probe.method = value.toUpperCase();
      return;
    case "--header": {
      if (probe.kind !== "http") throw wrong("http");
      const colon = value.indexOf(":");
      if (colon <= 0) throw new InputError(`--header "${value}" must look like 'Name: value'`);
      probe.headers = {
        ...probe.headers,
        [value.slice(0, colon).trim().toLowerCase()]: value.slice(colon + 1).trim(),
      };
      return;
    }
    case "--body":
      if (probe.kind !== "http") throw wrong("http");
      probe.body = value;
      return;
    case "--body-file": {
      if (probe.kind !== "http") throw wrong("http");
      try {
        probe.body = readFileSync(value, "utf8");
      } catch (e) {
        throw new InputError(
          `--body-file ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      return;
    }
    case "--json": {
      if (probe.kind !== "http") throw wrong("http");
      try {
        JSON.parse(value);
      } catch (e) {
        throw new InputError(`--json is not valid JSON: ${(e as Error).message}`, {
          hint: `e.g. --json '{"text": "hi"}'`,
        });
      }
      probe.body = value;
      probe.headers = { "content-type": "application/json", ...probe.headers };
      probe.method ??= "POST";
      return;
    }
    case "--expect-content-type":
      if (probe.kind !== "http") throw wrong("http");
      probe.expectContentType = value;
      return;
    case "--request-timeout": {
      if (probe.kind !== "http") throw wrong("http");
      const t = Number(value);
      if (!Number.isFinite(t) || t <= 0)
        throw new InputError(`--request-timeout "${value}" must be a positive number of seconds`);
      probe.requestTimeoutMs = Math.round(t * 1000);
      return;
    }
    case "--repeat": {
      if (probe.kind !== "http") throw wrong("http");
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 1000)
        throw new InputError(`--repeat "${value}" must be 1..1000`);
      probe.repeat = n;
      return;
    }
    case "--expect-sequence":
      if (probe.kind !== "http") throw wrong("http");
      probe.expectSequence = value.split(",").map((x) => x.trim());
      return;
    case "--expect-output":
      if (probe.kind !== "cmd") throw wrong("cmd");
      probe.expectOutput = value;
      return;
    case "--expect-exit": {
      if (probe.kind !== "cmd") throw wrong("cmd");
      const n = Number(value);
      if (!/^\d+$/.test(value) || n > 255) throw new InputError(`--expect-exit "${value}" must be 0..255`);
      probe.expectExitCode = n;
      return;
    }
  }
}

/** A short human name for a probe: `http :5000/ x3`, `tcp :6379`, `cmd python -c ...`. */
export function describeProbe(p: Probe): string {
  if (p.kind === "http") {
    const n = Math.max(p.repeat ?? 1, p.expectSequence?.length ?? 1);
    return `${p.method && p.method !== "GET" ? `${p.method} ` : ""}http :${p.port}${p.path}${n > 1 ? ` x${n}` : ""}`;
  }
  if (p.kind === "tcp") return `tcp :${p.port}`;
  return `cmd ${p.command.length > 40 ? `${p.command.slice(0, 37)}...` : p.command}`;
}
