/**
 * `npm run bench -- cli [rounds]`: what a user waits for, as whole processes.
 * Each round runs, alternating so that all see the same machine load:
 * `slimstage --version`, `slimstage lint FILE`, dockerfile-utils' `lint FILE`
 * and `--version` (the linter behind VS Code's Docker support, a fresh Node
 * process too), and `node -e 0` (Node's own start). CPU time (user + system)
 * of each child is read from /proc/self/stat (cutime + cstime: Node has no
 * getrusage for children), 10 ms resolution, median of `rounds` (>= 9).
 * Targets (issue #20): lint <= 0.3 CPU-s, --version <= 0.15 CPU-s.
 *
 * Runs the CLI as installed (bin/slimstage.js: lint from the bundle
 * dist/cli-bundle.js, see scripts/bundle-cli.mjs; everything else from the tsc
 * output), built first with `npm run build`. Before timing, it checks that the
 * bundle prints what the tsc output prints for the same file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { childrenCpu } from "./lib/child-cpu.js";

const root = new URL("..", import.meta.url).pathname;

interface Sample {
  cpu: number;
  wall: number;
}

function run(cmd: string, args: readonly string[]): Sample {
  const c0 = childrenCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  // lint exits 1 when it has findings: that is an answer, not a failure.
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { cpu: childrenCpu() - c0, wall };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export default async function bench(args: string[]): Promise<void> {
  const rounds = Math.max(9, Number(args[0] ?? 11));
  process.stderr.write("building dist/ (npm run build: tsc, then the lint/inspect bundle)...\n");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  const file = join(root, "examples", "lab-003", "Dockerfile");
  const lines = readFileSync(file, "utf8").split("\n").length - 1;
  const node = process.execPath;
  const slimstage = join(root, "bin", "slimstage.js");
  const peer = join(root, "node_modules", "dockerfile-utils", "bin", "dockerfile-utils");
  const cases = {
    nodeBare: [node, ["-e", "0"]],
    slimstageVersion: [node, [slimstage, "--version"]],
    peerVersion: [node, [peer, "--version"]],
    slimstageLint: [node, [slimstage, "lint", file]],
    peerLint: [node, [peer, "lint", file]],
  } as const;
  const samples: Record<keyof typeof cases, Sample[]> = {
    nodeBare: [],
    slimstageVersion: [],
    peerVersion: [],
    slimstageLint: [],
    peerLint: [],
  };
  // The bundle is the code users run: it must answer as the unbundled modules do.
  const out = (script: string) =>
    spawnSync(node, [script, "lint", file], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, SLIMSTAGE_MAIN: "1" },
    }).stdout;
  if (out(slimstage) !== out(join(root, "dist", "cli", "main.js")))
    throw new Error("bin/slimstage.js lint (the bundle) and dist/cli/main.js lint print different findings");
  // One warm-up round (file cache, V8's code cache of node itself), not counted.
  for (const [cmd, a] of Object.values(cases)) run(cmd, a);
  for (let i = 0; i < rounds; i++) {
    for (const [name, [cmd, a]] of Object.entries(cases))
      samples[name as keyof typeof cases].push(run(cmd, a));
  }
  const cpu = (k: keyof typeof cases) => median(samples[k].map((s) => s.cpu));
  const wall = (k: keyof typeof cases) => median(samples[k].map((s) => s.wall));
  const r = (x: number) => Number(x.toFixed(3));
  const result = {
    bench: "cli",
    rounds,
    file: `examples/lab-003/Dockerfile (${lines} lines)`,
    cpuSeconds: {
      nodeBare: r(cpu("nodeBare")),
      slimstageVersion: r(cpu("slimstageVersion")),
      dockerfileUtilsVersion: r(cpu("peerVersion")),
      slimstageLint: r(cpu("slimstageLint")),
      dockerfileUtilsLint: r(cpu("peerLint")),
    },
    wallSeconds: {
      nodeBare: r(wall("nodeBare")),
      slimstageVersion: r(wall("slimstageVersion")),
      slimstageLint: r(wall("slimstageLint")),
      dockerfileUtilsLint: r(wall("peerLint")),
    },
    lintRatioToDockerfileUtils: r(cpu("slimstageLint") / cpu("peerLint")),
    versionRatioToDockerfileUtils: r(cpu("slimstageVersion") / cpu("peerVersion")),
    lintTarget: 0.3,
    versionTarget: 0.15,
    lintMeetsTarget: cpu("slimstageLint") <= 0.3,
    versionMeetsTarget: cpu("slimstageVersion") <= 0.15,
  };
  const c = result.cpuSeconds;
  process.stdout.write(
    `whole processes, median of ${rounds} alternating rounds, CPU seconds (user + system):\n` +
      `  node -e 0 (Node's own start)          ${c.nodeBare.toFixed(3)}\n` +
      `  slimstage --version                   ${c.slimstageVersion.toFixed(3)}  (target <= 0.15; dockerfile-utils --version ${c.dockerfileUtilsVersion.toFixed(3)}: ${result.versionRatioToDockerfileUtils.toFixed(2)}x)\n` +
      `  slimstage lint ${result.file}  ${c.slimstageLint.toFixed(3)}  (target <= 0.3)\n` +
      `  dockerfile-utils lint, same file      ${c.dockerfileUtilsLint.toFixed(3)}\n` +
      `  slimstage lint / dockerfile-utils lint: ${result.lintRatioToDockerfileUtils.toFixed(2)}x\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
