/**
 * `npm run bench -- shell [rounds]`: the shell parser against mvdan-sh (the
 * GopherJS build of mvdan/sh it replaced, kept as the tests' reference), same
 * run. Start-up: whole processes, CPU from /proc, median of alternating rounds
 * (>= 9): mvdan-sh by `require` and by `import`, slimstage's parser from
 * dist/ (built with tsc first), `node -e 0`. Throughput and fidelity: every RUN
 * script of the BuildKit and hadolint corpora, seeds, examples and
 * bench/corpus/long, in this process. sh-syntax and tree-sitter-bash were
 * measured once outside the project (see src/dockerfile/shell-parse.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseShellCommands } from "../src/dockerfile/shell-parse.js";
import { loadReference, mvdanCommands } from "../src/dockerfile/test-helpers/mvdan-reference.js";
import { runScripts, shellCorpusDockerfiles } from "../src/dockerfile/test-helpers/shell-corpus.js";
import { childrenCpu } from "./lib/child-cpu.js";

const root = new URL("..", import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export default async function bench(args: string[]): Promise<void> {
  const rounds = Math.max(9, Number(args[0] ?? 9));
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  const script = "apt-get update && apt-get install -y curl; rm -rf /var/lib/apt/lists/*";
  const cases: Record<string, string[]> = {
    nodeBare: ["-e", "0"],
    mvdanRequire: ["-e", `require("mvdan-sh").syntax.NewParser().Parse(${JSON.stringify(script)}, "")`],
    mvdanImport: [
      "--input-type=module",
      "-e",
      `import sh from "mvdan-sh"; sh.syntax.NewParser().Parse(${JSON.stringify(script)}, "");`,
    ],
    own: [
      "--input-type=module",
      "-e",
      `import { parseShellCommands } from "./dist/dockerfile/shell-parse.js"; parseShellCommands(${JSON.stringify(script)});`,
    ],
  };
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, a] of Object.entries(cases)) {
      const c0 = childrenCpu();
      const r = spawnSync(process.execPath, a, { cwd: root });
      if (r.status !== 0) throw new Error(`node ${a.join(" ")} failed: ${r.stderr}`);
      cpu[name]?.push(childrenCpu() - c0);
    }
  }
  const start = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(median(v).toFixed(3))]));

  const scripts = shellCorpusDockerfiles(root).flatMap((d) => runScripts(d.text));
  const long = join(root, "bench", "corpus", "long");
  for (const f of readdirSync(long)) scripts.push(...runScripts(readFileSync(join(long, f), "utf8")));
  loadReference();
  let same = 0;
  for (const s of scripts) {
    const a = parseShellCommands(s);
    const b = mvdanCommands(s);
    if (JSON.stringify(a.commands) === JSON.stringify(b.commands) && !a.error === !b.error) same++;
  }
  const pass = (fn: (s: string) => unknown) => {
    const c0 = process.cpuUsage();
    for (const s of scripts) fn(s);
    const c = process.cpuUsage(c0);
    return scripts.length / ((c.user + c.system) / 1e6);
  };
  const own: number[] = [];
  const ref: number[] = [];
  for (let i = 0; i < 7; i++) {
    own.push(pass(parseShellCommands));
    ref.push(pass(mvdanCommands));
  }
  const result = {
    bench: "shell",
    rounds,
    startCpuSeconds: start,
    scripts: scripts.length,
    identicalToMvdan: same,
    scriptsPerCpuSecond: { own: Math.round(median(own)), mvdan: Math.round(median(ref)) },
    throughputRatio: Number((median(own) / median(ref)).toFixed(1)),
  };
  process.stdout.write(
    `start-up, whole processes, CPU s (median of ${rounds}): node -e 0 ${start.nodeBare}, own parser ${start.own}, mvdan-sh by require ${start.mvdanRequire}, by import ${start.mvdanImport}\n` +
      `fidelity: ${same} of ${scripts.length} RUN scripts give mvdan/sh's commands, ranges and error status\n` +
      `throughput: ${result.scriptsPerCpuSecond.own} scripts per CPU-second against mvdan-sh's ${result.scriptsPerCpuSecond.mvdan} (${result.throughputRatio}x)\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
