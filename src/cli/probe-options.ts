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
    .option("--expect-output <text>", "text a cmd probe's output must contain", inOrder("--expect-output"))
    .option(
      "--expect-exit <code>",
      "exit code a cmd probe must return (default 0)",
      inOrder("--expect-exit"),
    );
  return ordered;
}

/** The sidecar and environment flags of `verify` and `minify`: --compose, --service, --env. */
export function addRunOptions(cmd: Command): void {
  cmd
    .option("--compose <file>", "compose file with the service and its sidecars (depends_on)")
    .option("--service <name>", "the compose service this image stands for")
    .option("--profile <name>", "enable a compose profile (repeatable)", collect)
    .option("--env <k=v>", "environment variable for the app (repeatable)", collect);
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
