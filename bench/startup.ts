/**
 * `npm run bench -- startup [--rounds N] [--only NAME]`: time to the first
 * HTTP answer and `docker stop` time of the images `slimstage optimize` makes
 * (slim and distroless tiers), next to the example's own production image,
 * for lab-000, lab-001 and hit-counter-ts (#20 item 5). Every image is built
 * in this run; rounds alternate the order of the images; medians of N rounds
 * (default 5). The Redis the apps need runs beside them on a network of this
 * run. Last line: one JSON object with the medians and the ratios to the
 * original (targets: start-up <= 1.0x, docker stop <= 1.5 s), and the median of the
 * per-round ratios ("paired", see pairedRatio).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { withPackageIndex } from "../src/bases/package-index.js";
import { buildImage } from "../src/engine/build/build.js";
import { removeByLabel } from "../src/engine/cleanup.js";
import { connectEngine } from "../src/engine/connect.js";
import { fetchAlive } from "../src/fetch-alive.js";
import { findLabOptimizeDefaults } from "../src/lab/optimize-defaults.js";
import { optimizeProject } from "../src/plan/optimize.js";
import { median, roundsArg } from "./lib/flask-bench.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const RUN = Math.random().toString(36).slice(2, 8);
const LABELS = { "org.slimstage.bench": `startup-${RUN}` };
const log = (s: string) => process.stderr.write(`${s}\n`);
let lastEvent = "";
let finished = false;
// Exit 13 (a top-level await left unsettled) ended this bench silently once (src/fetch-alive.ts says why): say where.
process.on("beforeExit", () => {
  if (!finished)
    log(`startup bench: the event loop emptied before the end; last optimize event: ${lastEvent}`);
});

interface Example {
  name: string;
  /** Context and Dockerfile of the example's own production image. */
  context: string;
  dockerfile: string;
  /** The folder optimize reads. */
  optimizeDir: string;
  port: number;
  python: boolean;
}

const EXAMPLES: Example[] = [
  {
    name: "lab-000",
    context: "lab-000",
    dockerfile: "Dockerfile.multi",
    optimizeDir: "lab-000",
    port: 5000,
    python: true,
  },
  {
    name: "lab-001",
    context: "lab-001",
    dockerfile: "Dockerfile.prod",
    optimizeDir: "lab-001/app",
    port: 5000,
    python: true,
  },
  {
    name: "hit-counter-ts",
    context: "hit-counter-ts",
    dockerfile: "Dockerfile.prod",
    optimizeDir: "hit-counter-ts",
    port: 3000,
    python: false,
  },
];

async function docker(...args: string[]): Promise<string> {
  return (await run("docker", args, { maxBuffer: 1 << 24 })).stdout.trim();
}

/** First HTTP answer (any status) on the published port, polled every 20 ms. */
async function firstAnswer(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetchAlive(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error("no answer within 60 s");
}

/** docker run -> first answer, then docker stop (10 s grace period); both in ms. */
async function round(image: string, port: number, network: string): Promise<{ start: number; stop: number }> {
  const t0 = performance.now();
  const id = await docker(
    "run",
    "-d",
    "--network",
    network,
    "-p",
    `127.0.0.1::${port}`,
    ...Object.entries(LABELS).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    image,
  );
  try {
    const published = Number((await docker("port", id, `${port}/tcp`)).split("\n")[0]?.split(":").pop());
    await firstAnswer(published, Date.now() + 60_000);
    const start = performance.now() - t0;
    const t1 = performance.now();
    await docker("stop", "-t", "10", id);
    return { start, stop: performance.now() - t1 };
  } finally {
    await docker("rm", "-f", id).catch(() => "");
  }
}

/**
 * #20 item 5 for Node: would Node 22's module compile cache (NODE_COMPILE_CACHE), prepared at
 * build time, start the app faster? Measured inside the slim tier's image: a fresh `node` that
 * imports the app's dependencies (package.json) without starting it, 15 rounds alternating
 * without and with a cache filled by one earlier run; medians in ms, and `node -e 0` as the floor.
 */
async function compileCache(image: string): Promise<Record<string, number>> {
  const load =
    "const p=JSON.parse(require('fs').readFileSync('package.json','utf8'));" +
    "(async()=>{for(const d of Object.keys(p.dependencies??{}))await import(d)})()";
  const script = `
t() { s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e-s)/1000 )); }
NODE_COMPILE_CACHE=/tmp/cc node -e "$LOAD"
echo "files $(find /tmp/cc -type f | wc -l)"
for i in $(seq 15); do
  echo "bare $(t node -e 0)"
  echo "plain $(t node -e "$LOAD")"
  echo "cached $(t env NODE_COMPILE_CACHE=/tmp/cc node -e "$LOAD")"
done`;
  const out = await docker(
    "run",
    "--rm",
    "--user",
    "root",
    "--entrypoint",
    "sh",
    "-e",
    `LOAD=${load}`,
    ...Object.entries(LABELS).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    image,
    "-c",
    script,
  );
  const of = (kind: string) =>
    median(
      out
        .split("\n")
        .filter((l) => l.startsWith(`${kind} `))
        .map((l) => Number(l.split(" ")[1]) / 1000),
    );
  const r = {
    cachedFiles: Number(/^files (\d+)$/m.exec(out)?.[1] ?? Number.NaN),
    bareMs: Math.round(of("bare")),
    plainMs: Math.round(of("plain")),
    cachedMs: Math.round(of("cached")),
    ratio: Math.round((of("cached") / of("plain")) * 100) / 100,
  };
  log(
    `${image}: importing the app's dependencies ${r.plainMs} ms, with a prepared compile cache (${r.cachedFiles} files) ${r.cachedMs} ms: ${r.ratio}x (node -e 0 ${r.bareMs} ms); kept only if it helps`,
  );
  return r;
}

/**
 * The median of the per-round ratios to the original: each round runs every image within
 * seconds, so a drift in the machine's load between rounds (single rounds of one image
 * spread 1.2-1.9 s) cancels within a pair, where a ratio of the two medians keeps it.
 */
function pairedRatio(xs: number[] | undefined, originals: number[] | undefined): number {
  const ratios = (xs ?? []).map((x, i) => x / (originals?.[i] ?? Number.NaN));
  return Math.round(median(ratios) * 100) / 100;
}

export default async function bench(args: string[]): Promise<void> {
  const rounds = Math.max(5, roundsArg(args));
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
  const engine = await connectEngine();
  const network = `slimstage-bench-startup-${RUN}`;
  const results: Record<string, unknown> = {};
  await docker("network", "create", "--label", `org.slimstage.bench=startup-${RUN}`, network);
  await docker(
    "run",
    "-d",
    "--name",
    `slimstage-bench-redis-${RUN}`,
    "--network",
    network,
    "--network-alias",
    "redis",
    ...Object.entries(LABELS).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    "redis:7",
  );
  try {
    for (const ex of EXAMPLES.filter((e) => !only || e.name === only)) {
      const dir = path.join(root, "examples", ex.context);
      const original = `slimstage-bench/startup-${ex.name}-${RUN}:original`;
      log(`${ex.name}: building the example's own ${ex.dockerfile} ...`);
      await withPackageIndex(ex.python ? { engine } : undefined, (index) =>
        buildImage({
          context: dir,
          dockerfile: path.join(dir, ex.dockerfile),
          tags: [original],
          labels: LABELS,
          ...index?.reach,
          engine,
        }),
      );
      log(`${ex.name}: slimstage optimize --all-tiers (built and verified) ...`);
      const optimizeDir = path.join(root, "examples", ex.optimizeDir);
      // The lab's probe and Redis sidecar, as the CLI hands them to optimize (lab-001 needs its Redis).
      const defaults = await findLabOptimizeDefaults(optimizeDir);
      const r = await optimizeProject(optimizeDir, {
        ...(defaults ? { defaults } : {}),
        allTiers: true,
        labels: LABELS,
        repository: `slimstage-bench/startup-${ex.name}-${RUN}`,
        onProgress: (e) => {
          lastEvent = JSON.stringify(e).slice(0, 240);
        },
      });
      const images: Record<string, string> = { original };
      for (const a of r.attempts) {
        if (a.status !== "verified" || !a.image)
          throw new Error(`${ex.name} ${a.tier}: ${a.status} ${a.reason ?? ""}`);
        images[a.tier] = a.image;
      }
      if (!ex.python && images.slim) results[`${ex.name} compile cache`] = await compileCache(images.slim);
      const names = Object.keys(images);
      const start: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      const stop: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
      // One unmeasured round each: page cache and engine warm for every image alike.
      for (const n of names) await round(images[n] as string, ex.port, network);
      for (let k = 0; k < rounds; k++) {
        // Rotate the order every round so no image always goes first.
        const order = names.map((_, i) => names[(i + k) % names.length] as string);
        for (const n of order) {
          const m = await round(images[n] as string, ex.port, network);
          start[n]?.push(m.start);
          stop[n]?.push(m.stop);
        }
        log(
          `${ex.name} round ${k + 1}/${rounds}: ${order.map((n) => `${n} ${start[n]?.at(-1)?.toFixed(0)}/${stop[n]?.at(-1)?.toFixed(0)} ms`).join(", ")}`,
        );
      }
      const med = (xs: number[] | undefined) => Math.round(median(xs ?? []));
      const base = med(start.original);
      const row: Record<string, unknown> = {};
      for (const n of names)
        row[n] = {
          startMs: med(start[n]),
          stopMs: med(stop[n]),
          startRatio: Math.round((med(start[n]) / base) * 100) / 100,
          pairedRatio: pairedRatio(start[n], start.original),
        };
      results[ex.name] = row;
      log(
        `${ex.name}: median start-up ${names.map((n) => `${n} ${med(start[n])} ms (${(med(start[n]) / base).toFixed(2)}x; paired ${pairedRatio(start[n], start.original).toFixed(2)}x)`).join(", ")}; median docker stop ${names.map((n) => `${n} ${med(stop[n])} ms`).join(", ")} (targets: <= 1.0x, <= 1500 ms)`,
      );
    }
  } finally {
    await docker("rm", "-f", `slimstage-bench-redis-${RUN}`).catch(() => "");
    await docker("network", "rm", network).catch(() => "");
    await removeByLabel(engine, LABELS, { images: true });
  }
  process.stdout.write(`${JSON.stringify({ bench: "startup", rounds, results })}\n`);
  finished = true;
}
