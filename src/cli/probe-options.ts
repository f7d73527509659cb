import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { collect } from "./runtime.js";

/**
 * The probe flags of `verify` and `minify`. A probe's options belong to the
 * --probe before them: commander calls option parsers in argv order, so each
 * one also records (flag, value) in the returned list, which
 * parseProbeArgs reads.
 */
export function addProbeOptions(cmd: Command): string[] {
  const ordered: string[] = [];
  const inOrder =
    (flag: string) =>
    (value: string, previous: string[] = []) => {
      ordered.push(flag, value);
      return [...previous, value];
    };
  cmd
    .option("--probe <spec>", "http://:PORT/PATH, tcp:PORT or cmd:COMMAND (repeatable)", inOrder("--probe"))
    .option("--expect-status <code>", "HTTP status the probe before must return", inOrder("--expect-status"))
    .option(
      "--expect-body <text>",
      "text the HTTP body must contain; {n} = request number",
      inOrder("--expect-body"),
    )
    .option(
      "--expect-json <path=value>",
      "JSON field the HTTP body must have (repeatable)",
      inOrder("--expect-json"),
    )
    .option("--repeat <n>", "send the HTTP request n times", inOrder("--repeat"))
    .option(
      "--expect-sequence <a,b,c>",
      "the i-th response must contain the i-th value",
      inOrder("--expect-sequence"),
    )
    .option("--method <verb>", "HTTP method of the probe before (default GET)", inOrder("--method"))
    .option(
      "--header <'Name: value'>",
      "request header of the HTTP probe before (repeatable)",
      inOrder("--header"),
    )
    .option("--body <text>", "request body of the HTTP probe before", inOrder("--body"))
    .option(
      "--body-file <file>",
      "request body of the HTTP probe before, read from a file",
      inOrder("--body-file"),
    )
    .option(
      "--json <json>",
      "JSON request body of the HTTP probe before (sets content-type; method POST unless --method)",
      inOrder("--json"),
    )
    .option(
      "--expect-content-type <type>",
      "Content-Type the HTTP answer must start with",
      inOrder("--expect-content-type"),
    )
    .option(
      "--request-timeout <seconds>",
      "limit for one request of the HTTP probe before (default 5; --timeout still bounds the run)",
      inOrder("--request-timeout"),
    )
    .option("--expect-output <text>", "text a cmd probe's output must contain", inOrder("--expect-output"))
    .option(
      "--expect-exit <code>",
      "exit code a cmd probe must return (default 0)",
      inOrder("--expect-exit"),
    );
  return ordered;
}

/** The sidecar and environment flags of the commands that run images: --compose, --service, --env, --env-file. */
export function addRunOptions(cmd: Command): void {
  cmd
    .option("--compose <file>", "compose file with the service and its sidecars (depends_on)")
    .option("--service <name>", "the compose service this image stands for")
    .option("--profile <name>", "enable a compose profile (repeatable)", collect)
    .option("--env <k=v>", "environment variable for the app (repeatable)", collect)
    .option(
      "--env-file <file>",
      "environment variables for the app, one KEY=VALUE a line (repeatable)",
      collect,
    );
}

/** The differential and liveness flags of the commands that verify images. */
export function addProofOptions(cmd: Command, opts: { against: boolean }): void {
  if (opts.against)
    cmd.option(
      "--against <image>",
      "differential verification: the candidate must answer the discovered request set like this original image",
    );
  cmd
    .option(
      "--liveness <seconds>",
      "the app must stay up this long after the last request (0: no check)",
      "3",
    )
    .option("--max-requests <n>", "bound on the discovered request set (differential verification)", "60");
}

/** `--liveness` in seconds, as milliseconds. */
export function livenessOption(value: string): number {
  const t = Number(value);
  if (!Number.isFinite(t) || t < 0 || t > 600)
    throw new InputError(`--liveness "${value}" must be a number of seconds from 0 to 600`);
  return Math.round(t * 1000);
}

/** `--max-requests`: 1..1000. */
export function maxRequestsOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InputError(`--max-requests "${value}" must be a whole number from 1 to 1000`);
  return n;
}

/**
 * `--env-file` files then `--env` values (later wins, as with docker run).
 * The file format is docker's: KEY=VALUE lines, `#` comments, blank lines,
 * a bare KEY takes the value from this process's environment.
 */
export function envOptions(envFiles: readonly string[], env: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of envFiles) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new InputError(
        `--env-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) return;
      const eq = line.indexOf("=");
      const key = eq < 0 ? line : line.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key))
        throw new InputError(`${file}:${i + 1}: "${raw}" is not KEY=VALUE`, {
          hint: "one KEY=VALUE a line; # starts a comment",
        });
      if (eq < 0) {
        const v = process.env[key];
        if (v !== undefined) out[key] = v;
      } else out[key] = line.slice(eq + 1);
    });
  }
  return { ...out, ...parseEnv(env) };
}

/** `--env K=V` values (a bare NAME takes the variable from this process's environment). */
export function parseEnv(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const eq = a.indexOf("=");
    if (eq <= 0) {
      const v = process.env[a];
      if (v === undefined)
        throw new InputError(`--env "${a}" must look like NAME=VALUE (or name a set variable)`);
      out[a] = v;
    } else out[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return out;
}

/** `--compose` and `--service` go together; `--profile` needs them. */
export function composeOption(
  compose: string | undefined,
  service: string | undefined,
  profiles: readonly string[] = [],
): { file: string; service: string; profiles?: string[] } | undefined {
  if ((compose === undefined) !== (service === undefined)) {
    throw new InputError("--compose and --service go together", {
      hint: "e.g. --compose docker-compose.yml --service web",
    });
  }
  if (profiles.length > 0 && compose === undefined)
    throw new InputError("--profile needs --compose and --service");
  return compose && service
    ? { file: compose, service, ...(profiles.length > 0 ? { profiles: [...profiles] } : {}) }
    : undefined;
}

/** `--timeout` in seconds, as milliseconds. */
export function timeoutOption(value: string): number {
  const t = Number(value);
  if (!Number.isFinite(t) || t <= 0)
    throw new InputError(`--timeout "${value}" must be a positive number of seconds`);
  return Math.round(t * 1000);
}
