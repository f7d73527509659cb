/**
 * `npm run bench -- verify [--rounds N]`: for a Flask hello image, the time
 * from starting `slimstage verify` to its first successful probe, next to a
 * shell script that does `docker run -d` plus a curl loop, same image, same
 * run, alternating order each round. Last line: one JSON object with the
 * medians and their ratio (target: at most 1.5).
 *
 * slimstage runs as the built CLI (`node bin/slimstage.js`, after
 * `npm run build`), the way a user runs it; it reports the wall-clock time of
 * its first successful probe (`firstProbeOkAt`), the script prints its own.
 *
 * Also, whole processes, CPU: what loading dockerode costs (`require`) against
 * the way slimstage loads it (src/engine/dockerode-load.ts, ssh2 and the gRPC
 * session deferred), each minus `node -e 0`.
 */

import { execFile, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { removeByLabel } from "../src/engine/cleanup.js";
import { connectEngine } from "../src/engine/connect.js";
import { childrenCpu } from "./lib/child-cpu.js";
import { buildFlaskImage, median, roundsArg } from "./lib/flask-bench.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const LABELS = { "org.slimstage.bench": "verify" };
const IMAGE = "slimstage-bench/flask-hello:verify";

function spawnCollect(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

/** slimstage verify: start of the process -> its first successful probe. */
async function slimstageRound(): Promise<number> {
  const t0 = Date.now();
  const r = await spawnCollect(process.execPath, [
    "bin/slimstage.js",
    "--json",
    "verify",
    IMAGE,
    "--probe",
    "http://:5000/",
    "--expect-status",
    "200",
    "--label",
    "org.slimstage.bench=verify",
  ]);
  if (r.code !== 0) throw new Error(`slimstage verify failed (exit ${r.code}): ${r.err}${r.out}`);
  const res = JSON.parse(r.out) as { firstProbeOkAt?: number };
  if (res.firstProbeOkAt === undefined)
    throw new Error("slimstage verify reported no first successful probe");
  return res.firstProbeOkAt - t0;
}

// The baseline a lab would write: run detached, publish the port, poll with curl.
const SCRIPT = `
set -eu
cid=$(docker run -d --label org.slimstage.managed=true --label org.slimstage.bench=verify -p 127.0.0.1::5000 "$1")
port=$(docker port "$cid" 5000/tcp | head -n1 | sed 's/.*://')
until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done
date +%s%3N
docker rm -f "$cid" >/dev/null
`;

/** docker run -d + curl loop: start of the script -> its first successful curl. */
async function shellRound(): Promise<number> {
  const t0 = Date.now();
  const r = await spawnCollect("bash", ["-c", SCRIPT, "bench", IMAGE]);
  if (r.code !== 0) throw new Error(`baseline script failed (exit ${r.code}): ${r.err}`);
  const at = Number(r.out.trim().split("\n")[0]);
  if (!Number.isFinite(at)) throw new Error(`baseline script printed no time: ${r.out}`);
  return at - t0;
}

/** Median CPU seconds of `node ARGS` as a whole process, for each case, alternating. */
function loadCosts(rounds: number): { bare: number; require: number; deferred: number } {
  const cases = {
    bare: ["-e", "0"],
    require: ["-e", 'require("dockerode")'],
    deferred: [
      "--input-type=module",
      "-e",
      'import { loadDockerode } from "./dist/engine/dockerode-load.js"; loadDockerode();',
    ],
  };
  const out: Record<keyof typeof cases, number[]> = { bare: [], require: [], deferred: [] };
  for (let k = 0; k < rounds; k++) {
    for (const [name, a] of Object.entries(cases)) {
      const c0 = childrenCpu();
      const r = spawnSync(process.execPath, a, { cwd: root });
      if (r.status !== 0) throw new Error(`node ${a.join(" ")} failed: ${r.stderr}`);
      out[name as keyof typeof cases].push(childrenCpu() - c0);
    }
  }
  return { bare: median(out.bare), require: median(out.require), deferred: median(out.deferred) };
}

export default async function bench(args: string[]): Promise<void> {
  const rounds = roundsArg(args);
  const log = (s: string) => process.stderr.write(`${s}\n`);

  log("building the CLI (npm run build) ...");
  await run("npm", ["run", "--silent", "build"], { cwd: root });
  const load = loadCosts(Math.max(9, rounds));
  const penalty = (x: number) => Math.round((x - load.bare) * 1000);
  log(
    `loading dockerode (CPU, whole process minus node -e 0): require ${penalty(load.require)} ms, deferred ssh2 + gRPC ${penalty(load.deferred)} ms`,
  );
  log(`building ${IMAGE} from src/verify/testdata/flask-counter ...`);
  await buildFlaskImage(IMAGE, LABELS);

  const slim: number[] = [];
  const shell: number[] = [];
  try {
    // One unmeasured round each: page cache and engine warm for both sides alike.
    await slimstageRound();
    await shellRound();
    for (let k = 0; k < rounds; k++) {
      const first = k % 2 === 0;
      if (first) slim.push(await slimstageRound());
      shell.push(await shellRound());
      if (!first) slim.push(await slimstageRound());
      log(`round ${k + 1}/${rounds}: slimstage ${slim.at(-1)} ms, docker run + curl ${shell.at(-1)} ms`);
    }
  } finally {
    const engine = await connectEngine();
    await removeByLabel(engine, LABELS, { images: true });
  }
  const s = median(slim);
  const b = median(shell);
  const ratio = Math.round((s / b) * 100) / 100;
  log(
    `median time to first successful probe: slimstage ${s} ms, docker run + curl ${b} ms, ratio ${ratio} (target <= 1.5)`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: "verify",
      image: "flask hello (python:3.11-slim + flask)",
      rounds,
      slimstageMs: { median: s, all: slim },
      dockerRunCurlMs: { median: b, all: shell },
      ratio,
      target: 1.5,
      pass: ratio <= 1.5,
      dockerodeLoadCpuMs: { require: penalty(load.require), deferred: penalty(load.deferred) },
    })}\n`,
  );
}
