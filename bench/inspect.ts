/**
 * `npm run bench -- inspect [--runs N (default 5)] [--remove-big] [--python-only]`: how long `inspect`
 * takes on a docker-archive of the local Python base and of two images of at
 * least 1 GB, next to `tar -tvf` over the same layer tars, measured
 * alternately in the same run (medians). Also: the gzip -6 compressed-size
 * estimate next to `gzip -6 -c | wc -c` over the same layers, and
 * slimstage's peak RSS.
 *
 * The two big images are 1 GiB of random data in 8 files (the fewest files
 * per byte; it does not compress) and the Python base with toolchains and
 * headers from Debian's mirror (1.4 GB, tens of thousands of files). They are
 * built once with the labels org.slimstage.managed=true /
 * org.slimstage.bench=inspect and kept between runs; `--remove-big` removes
 * them afterwards.
 *
 * Each slimstage measurement runs in a fresh child process (this file with
 * SLIMSTAGE_BENCH_WORKER=1) so that its peak RSS is its own; its time is
 * taken inside the child around openImage + analyzeImage (node start-up excluded:
 * the "in-process" figure). What a user waits for is the whole process: the
 * built CLI (`node bin/slimstage.js inspect --json docker-archive://...`,
 * dist/ built with tsc first) is timed from spawn to exit against the tar
 * processes, run one after another by one shell (the "whole-process" figure,
 * target <= 1.5x, issue #20). Beside it, "the floor": a Node process that
 * does only what tar -tvf does, with slimstage's header walker
 * (bench/lib/tar-listing.ts), and `node -e 0`, with and without this
 * machine's NODE_EXTRA_CA_CERTS.
 * `--python-only` skips the two big images.
 */
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

const root = new URL("..", import.meta.url).pathname;
// SLIMSTAGE_BENCH_BASE picks another base image (e.g. before the Python base is built).
const PYTHON = process.env.SLIMSTAGE_BENCH_BASE ?? "slimstage/python:3.11-slim";
const DEBIAN = "slimstage/debian:bookworm-slim";
const BIG = "slimstage-bench/inspect-1g:v1";
const TOOLCHAIN = "slimstage-bench/inspect-toolchain:v1";
const TOOLCHAIN_PACKAGES =
  "build-essential gfortran clang llvm-dev cmake libpq-dev libssl-dev libxml2-dev libboost-dev git";

interface WorkerResult {
  ms: number;
  /** The fifth run of the same work in the same process (--warm): V8 has compiled and optimized the code by then. */
  warmMs?: number;
  maxRssMB: number;
  compressedBytes: number | null;
  finalBytes: number;
  files: number;
}

/** Runs after the first, in the same worker, before the warm figure is taken (the last of them). */
const WARM_RUNS = 4;

async function worker(): Promise<void> {
  const { openImage } = await import("../src/image/open.js");
  const { analyzeImage } = await import("../src/image/analysis/analyze.js");
  const ref = process.argv[2] ?? "";
  const estimate = process.argv.includes("--estimate");
  const verifyDigests = !process.argv.includes("--no-verify");
  const t0 = performance.now();
  const image = await openImage(ref, { estimateCompressed: estimate, verifyDigests });
  const a = analyzeImage(image);
  const ms = performance.now() - t0;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  let warmMs: number | undefined;
  if (process.argv.includes("--warm")) {
    // V8 needs several runs to compile and optimize the hot code: the fifth run is the warm figure.
    for (let i = 0; i < WARM_RUNS; i++) {
      const t1 = performance.now();
      analyzeImage(await openImage(ref, { estimateCompressed: estimate, verifyDigests }));
      warmMs = performance.now() - t1;
    }
  }
  const out: WorkerResult = {
    ms,
    ...(warmMs !== undefined ? { warmMs } : {}),
    maxRssMB,
    compressedBytes: a.compressedBytes,
    finalBytes: a.finalBytes,
    files: a.fileCount,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function sh(
  cmd: string,
  args: string[],
  opts: { shell?: boolean } = {},
): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], shell: opts.shell === true });
    let stdout = "";
    let bytes = 0;
    child.stdout.on("data", (c: Buffer) => {
      // tar -tv output is consumed (counted), as a terminal would; not kept.
      bytes += c.length;
      if (stdout.length < 4096) stdout += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`));
      else resolve({ ms: performance.now() - t0, stdout: bytes > 0 ? stdout : "" });
    });
  });
}

async function runWorker(ref: string, estimate: boolean, verify = true, warm = false): Promise<WorkerResult> {
  const args = [
    "--import",
    "tsx",
    new URL(import.meta.url).pathname,
    ref,
    ...(estimate ? ["--estimate"] : []),
    ...(verify ? [] : ["--no-verify"]),
    ...(warm ? ["--warm"] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, SLIMSTAGE_BENCH_WORKER: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench worker for ${ref} exited ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as WorkerResult);
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** The two images of at least 1 GB, built once with the bench label and kept between runs. */
const BIG_IMAGES: ReadonlyArray<{ tag: string; what: string; dockerfile: string }> = [
  {
    tag: BIG,
    what: "1 GiB of random data, which neither gzip nor zstd can shrink",
    // 8 x 128 MiB in one layer: the fewest files per byte, where slimstage's fixed costs weigh most.
    dockerfile: `FROM ${DEBIAN}\nRUN mkdir /data && for i in 1 2 3 4 5 6 7 8; do head -c 134217728 /dev/urandom > /data/rand$i; done\n`,
  },
  {
    tag: TOOLCHAIN,
    what: "the Python base with C, C++ and Fortran toolchains, LLVM and Boost headers, from Debian's mirror",
    // What a careless single-stage build image looks like: tens of thousands of files.
    dockerfile: `FROM ${PYTHON}\nRUN apt-get update && apt-get install -y --no-install-recommends ${TOOLCHAIN_PACKAGES} && rm -rf /var/lib/apt/lists/*\n`,
  },
];

async function ensureBigImages(): Promise<void> {
  const { inspectEngineImage } = await import("../src/engine/images.js");
  const { buildImage } = await import("../src/engine/build/build.js");
  for (const big of BIG_IMAGES) {
    const exists = await inspectEngineImage(big.tag).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    const ctx = await mkdtemp(join(tmpdir(), "slimstage-bench-big-"));
    try {
      await writeFile(join(ctx, "Dockerfile"), big.dockerfile);
      process.stderr.write(`building ${big.tag} (${big.what}; kept for later runs) …\n`);
      await buildImage({ context: ctx, tags: [big.tag], labels: { "org.slimstage.bench": "inspect" } });
    } finally {
      await rm(ctx, { recursive: true, force: true });
    }
  }
}

interface Case {
  image: string;
  archive: string;
  layerTars: string[];
  archiveBytes: number;
}

async function prepare(image: string, dir: string): Promise<Case> {
  const { exportImage } = await import("../src/engine/images.js");
  const safe = image.replace(/[^a-z0-9]+/gi, "_");
  const archive = join(dir, `${safe}.tar`);
  await pipeline(await exportImage(image), createWriteStream(archive));
  const extracted = join(dir, safe);
  await sh("mkdir", ["-p", extracted]);
  await sh("tar", ["-xf", archive, "-C", extracted]);
  const manifest = JSON.parse(readFileSync(join(extracted, "manifest.json"), "utf8")) as Array<{
    Layers: string[];
  }>;
  const layerTars = (manifest[0]?.Layers ?? []).map((l) => join(extracted, l));
  return { image, archive, layerTars, archiveBytes: (await stat(archive)).size };
}

interface CaseResult {
  image: string;
  /** Whole process: `node bin/slimstage.js inspect --no-verify --json` from spawn to exit (a listing, as tar -tvf's). */
  wholeProcessMs: number;
  /** The issue #20 target: whole process / tar -tvf over the layers (also whole processes). */
  wholeProcessRatio: number;
  /** Whole process with the digests verified (the default: every layer byte read and hashed). */
  wholeVerifiedMs: number;
  /**
   * The floor of a Node inspect: a whole Node process that only lists the layers' headers with
   * slimstage's walker (bench/lib/tar-listing.ts, bundled), no analysis.
   */
  floorMs: number;
  /** floorMs / tar -tvf: no Node inspect can do better than this ratio here. */
  floorRatio: number;
  /** The floor without NODE_EXTRA_CA_CERTS, when it is set; else null. */
  floorNoExtraCaMs: number | null;
  /** `node -e 0`: what any Node CLI pays before its first line runs. */
  nodeBareMs: number;
  /** `node -e 0` without NODE_EXTRA_CA_CERTS, when it is set (Node 20 loads the named bundle at start-up); else null. */
  nodeBareNoExtraCaMs: number | null;
  /** inspect --no-verify, its fifth run in the same process: the first run's excess over it is V8 warming up. */
  warmMs: number;
  archiveMB: number;
  layers: number;
  files: number;
  /** inspect --no-verify: plain layers read by seeking, like tar -tvf. */
  noVerifyMs: number;
  /** inspect (default): every layer byte read and hashed to check the digests. */
  verifiedMs: number;
  tarTvfMs: number;
  /** The target: inspect --no-verify / tar -tvf. */
  ratio: number;
  /** `cat layer.tar | tar -tvf -`: tar made to read every byte, as verification must. */
  tarStreamMs: number;
  ratioVerifiedVsStream: number;
  ratioVerifiedVsTvf: number;
  estimateMs: number;
  gzipMs: number;
  estimateRatio: number;
  estimatedBytes: number | null;
  gzipBytes: number;
  peakRssMB: number;
}

/** One shell command that runs `each` for every layer tar in turn, stopping at the first failure. */
const layerCommands = (c: Case, each: (quotedPath: string) => string): string =>
  c.layerTars.map((l) => each(`'${l.replaceAll("'", "'\\''")}'`)).join(" && ");

async function measure(c: Case, runs: number, estimateRuns: number, listing: string): Promise<CaseResult> {
  const fast: number[] = [];
  const floor: number[] = [];
  const floorNoCa: number[] = [];
  const whole: number[] = [];
  const wholeVerified: number[] = [];
  const bare: number[] = [];
  const bareNoCa: number[] = [];
  const warm: number[] = [];
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const verified: number[] = [];
  const tars: number[] = [];
  const streams: number[] = [];
  const rss: number[] = [];
  let last: WorkerResult | undefined;
  const ref = `docker-archive://${c.archive}`;
  // The bundle is the code users run: it must answer as the unbundled modules do.
  const answer = (script: string) =>
    execFileSync(process.execPath, [script, "inspect", "--no-verify", "--json", ref], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, SLIMSTAGE_MAIN: "1" },
    });
  if (answer(join(root, "bin", "slimstage.js")) !== answer(join(root, "dist", "cli", "main.js")))
    throw new Error(
      "bin/slimstage.js inspect (the bundle) and dist/cli/main.js inspect print different analyses",
    );
  for (let i = 0; i < runs; i++) {
    // Alternate, so that load from the other engineers on the machine hits every side alike.
    const f = await runWorker(ref, false, false, true);
    fast.push(f.ms);
    if (f.warmMs !== undefined) warm.push(f.warmMs);
    const bin = join(root, "bin", "slimstage.js");
    whole.push((await sh(process.execPath, [bin, "inspect", "--no-verify", "--json", ref])).ms);
    wholeVerified.push((await sh(process.execPath, [bin, "inspect", "--json", ref])).ms);
    bare.push((await sh(process.execPath, ["-e", "0"])).ms);
    floor.push((await sh(process.execPath, [listing, ...c.layerTars])).ms);
    if (extraCa) {
      bareNoCa.push((await sh("env", ["-u", "NODE_EXTRA_CA_CERTS", process.execPath, "-e", "0"])).ms);
      floorNoCa.push(
        (await sh("env", ["-u", "NODE_EXTRA_CA_CERTS", process.execPath, listing, ...c.layerTars])).ms,
      );
    }
    rss.push(f.maxRssMB);
    // One shell runs the tars one after another: each side is one process spawned from here.
    // Spawning each tar from this process added about 10 ms per layer that tar never pays
    // (measured 2026-12-07: six spawns of `true` took 57 ms), and flattered inspect.
    tars.push(
      (
        await sh(
          layerCommands(c, (l) => `tar -tvf ${l}`),
          [],
          { shell: true },
        )
      ).ms,
    );
    const v = await runWorker(ref, false, true);
    verified.push(v.ms);
    rss.push(v.maxRssMB);
    last = v;
    streams.push(
      (
        await sh(
          layerCommands(c, (l) => `cat ${l} | tar -tvf -`),
          [],
          { shell: true },
        )
      ).ms,
    );
  }
  const est: number[] = [];
  const gz: number[] = [];
  let estimated: number | null = null;
  let gzipBytes = 0;
  for (let i = 0; i < estimateRuns; i++) {
    const w = await runWorker(ref, true, false);
    est.push(w.ms);
    rss.push(w.maxRssMB);
    estimated = w.compressedBytes;
    let t = 0;
    let bytes = 0;
    for (const l of c.layerTars) {
      const r = await sh(`gzip -6 -c '${l}' | wc -c`, [], { shell: true });
      t += r.ms;
      bytes += Number(r.stdout.trim());
    }
    gz.push(t);
    gzipBytes = bytes;
  }
  const noVerifyMs = median(fast);
  const verifiedMs = median(verified);
  const tarTvfMs = median(tars);
  const tarStreamMs = median(streams);
  return {
    image: c.image,
    wholeProcessMs: round(median(whole), 0),
    wholeProcessRatio: round(median(whole) / tarTvfMs),
    wholeVerifiedMs: round(median(wholeVerified), 0),
    floorMs: round(median(floor), 0),
    floorRatio: round(median(floor) / tarTvfMs),
    floorNoExtraCaMs: floorNoCa.length > 0 ? round(median(floorNoCa), 0) : null,
    nodeBareMs: round(median(bare), 0),
    nodeBareNoExtraCaMs: bareNoCa.length > 0 ? round(median(bareNoCa), 0) : null,
    warmMs: round(median(warm), 0),
    archiveMB: round(c.archiveBytes / 1e6, 1),
    layers: c.layerTars.length,
    files: last?.files ?? 0,
    noVerifyMs: round(noVerifyMs, 0),
    verifiedMs: round(verifiedMs, 0),
    tarTvfMs: round(tarTvfMs, 0),
    ratio: round(noVerifyMs / tarTvfMs),
    tarStreamMs: round(tarStreamMs, 0),
    ratioVerifiedVsStream: round(verifiedMs / tarStreamMs),
    ratioVerifiedVsTvf: round(verifiedMs / tarTvfMs),
    estimateMs: round(median(est), 0),
    gzipMs: round(median(gz), 0),
    estimateRatio: round(median(est) / median(gz)),
    estimatedBytes: estimated,
    gzipBytes,
    peakRssMB: round(Math.max(...rss), 0),
  };
}

export default async function main(args: string[]): Promise<void> {
  const runsArg = args.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
  const { inspectEngineImage, removeEngineImage } = await import("../src/engine/images.js");
  await inspectEngineImage(PYTHON); // a clear error when the local bases are not built yet
  const pythonOnly = args.includes("--python-only");
  if (!pythonOnly) await ensureBigImages();
  process.stderr.write("building dist/ (npm run build: tsc, then the lint/inspect bundle) …\n");
  await sh("npm", ["run", "--silent", "build"]);
  const dir = await mkdtemp(join(tmpdir(), "slimstage-bench-inspect-"));
  const results: CaseResult[] = [];
  try {
    // One module, as the CLI's bundle is: the floor pays what the CLI pays to load.
    const listing = join(dir, "tar-listing.mjs");
    const { build } = await import("esbuild");
    await build({
      entryPoints: [join(root, "bench", "lib", "tar-listing.ts")],
      outfile: listing,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
    const cases: Array<readonly [string, number]> = pythonOnly
      ? [[PYTHON, runs]]
      : [
          [PYTHON, runs],
          [BIG, 1],
          [TOOLCHAIN, 1],
        ];
    for (const [image, estimateRuns] of cases) {
      process.stderr.write(`exporting ${image} …\n`);
      const c = await prepare(image, dir);
      process.stderr.write(`measuring ${image} (${runs} alternating runs) …\n`);
      results.push(await measure(c, runs, estimateRuns, listing));
      await rm(c.archive, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (args.includes("--remove-big")) for (const big of BIG_IMAGES) await removeEngineImage(big.tag);
  }
  for (const r of results) {
    process.stdout.write(
      `${r.image}: ${r.archiveMB} MB, ${r.layers} layers, ${r.files} files\n` +
        `  whole process: node bin/slimstage.js inspect --no-verify --json ${r.wholeProcessMs} ms vs tar -tvf ${r.tarTvfMs} ms: ${r.wholeProcessRatio}x (target <= 1.5x); node -e 0 alone ${r.nodeBareMs} ms; with digests verified ${r.wholeVerifiedMs} ms\n` +
        `  the floor: a Node process that only lists the headers with slimstage's walker (bench/lib/tar-listing.ts, no analysis) ${r.floorMs} ms: ${r.floorRatio}x tar -tvf\n` +
        (r.nodeBareNoExtraCaMs !== null
          ? `  without NODE_EXTRA_CA_CERTS (set here; Node loads the bundle it names at every start): node -e 0 ${r.nodeBareNoExtraCaMs} ms, the floor ${r.floorNoExtraCaMs} ms (${round((r.floorNoExtraCaMs ?? 0) / r.tarTvfMs)}x tar -tvf)\n`
          : "") +
        `  in-process (openImage + analyze, node start-up excluded):\n` +
        `  inspect --no-verify ${r.noVerifyMs} ms vs tar -tvf ${r.tarTvfMs} ms: ${r.ratio}x (target <= 1.5x); its fifth run in the same process (V8 warmed up) ${r.warmMs} ms\n` +
        `  inspect (digests verified) ${r.verifiedMs} ms: ${r.ratioVerifiedVsTvf}x tar -tvf, ${r.ratioVerifiedVsStream}x cat|tar -tvf (${r.tarStreamMs} ms)\n` +
        `  estimate ${r.estimateMs} ms vs gzip -6 -c | wc -c ${r.gzipMs} ms: ${r.estimateRatio}x (target <= 1.2x); ${r.estimatedBytes} vs ${r.gzipBytes} bytes\n` +
        `  peak RSS ${r.peakRssMB} MB (target <= 256 MB)\n`,
    );
  }
  const summary = {
    bench: "inspect",
    runs,
    cases: results,
    pass: {
      wholeProcess: results.every((r) => r.wholeProcessRatio <= 1.5),
      ratio: results.every((r) => r.ratio <= 1.5),
      verifiedVsStream: results.every((r) => r.ratioVerifiedVsStream <= 1.5),
      estimate: results.every((r) => r.estimateRatio <= 1.2),
      rss: results.every((r) => r.peakRssMB <= 256),
    },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (process.env.SLIMSTAGE_BENCH_WORKER === "1") await worker();
