/** The cmd probe kind: a command run inside the container, checked by exit code and output. */
import type { CmdProbe, ProbeResult } from "../types.js";
import { type ProbeKind, type ProbeRunOptions, type ProbeTarget, quote } from "./kind.js";

/** Splits a command on spaces, honouring simple quotes, for images without a shell. */
export function splitCommand(cmd: string): string[] {
  // Hand-written: only quotes and backslashes matter here; a shell parser would be heavier than the job.
  const out: string[] = [];
  let cur = "";
  let q: '"' | "'" | undefined;
  let has = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i] as string;
    if (q) {
      if (c === q) q = undefined;
      else if (c === "\\" && q === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === "\\" && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

async function runCmd(
  p: CmdProbe,
  target: ProbeTarget,
  opts: ProbeRunOptions,
): Promise<Omit<ProbeResult, "durationMs">> {
  const gone = target.exited();
  if (gone) return { probe: p, ok: false, detail: gone, attempts: 0 };
  const timeout = Math.max(1000, opts.deadline - Date.now());
  let r = await target.exec(["/bin/sh", "-c", p.command], timeout);
  if (
    (r.exitCode === 126 || r.exitCode === 127) &&
    /executable file not found|no such file/i.test(r.output)
  ) {
    // No shell in the image (distroless, minified): run the words directly.
    r = await target.exec(splitCommand(p.command), timeout);
  }
  const want = p.expectExitCode ?? 0;
  const out = r.output.trim();
  if (r.exitCode !== want)
    return {
      probe: p,
      ok: false,
      detail: `exit code ${r.exitCode}, expected ${want}; output ${quote(out)}`,
      expected: `exit code ${want}`,
      got: `exit code ${r.exitCode}, output ${quote(out)}`,
      attempts: 1,
    };
  if (p.expectOutput !== undefined && !r.output.includes(p.expectOutput)) {
    return {
      probe: p,
      ok: false,
      detail: `output ${quote(out)} does not contain ${quote(p.expectOutput)}`,
      expected: `output containing ${quote(p.expectOutput)}`,
      got: `output ${quote(out)}`,
      attempts: 1,
    };
  }
  return {
    probe: p,
    ok: true,
    detail: `exit code ${r.exitCode}${out ? `, output ${quote(out)}` : ""}`,
    attempts: 1,
  };
}

export const cmdProbe: ProbeKind<CmdProbe> = { kind: "cmd", run: runCmd };
