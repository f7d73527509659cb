/**
 * `npm run bench -- minify [--rounds N]`: what minifying costs and gives, for
 * the Flask hello + Redis counter (src/verify/testdata/flask-counter), side
 * by side in one run, alternating order each round:
 *
 * - tracing overhead: time to the first successful probe of the image run
 *   under minify's tracer, divided by the same image run plainly;
 * - the minified images (--level safe and --level tight) against their
 *   source: size ratio, and time to the first successful probe, all verified
 *   with the same probe.
 *
 * Last line: one JSON object with the medians and the ratios.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { removeByLabel } from "../src/engine/cleanup.js";
import { connectEngine } from "../src/engine/connect.js";
import { copyToContainer } from "../src/engine/container-files.js";
import { minifyImage } from "../src/minify/minify.js";
import { tracedArgv, tracerArchive } from "../src/minify/tracer.js";
import type { Probe, VerifyResult } from "../src/verify/types.js";
import { verifyImage, verifyInstrumented } from "../src/verify/verify.js";
import { buildFlaskImage, median, roundsArg } from "./lib/flask-bench.js";

const _root = fileURLToPath(new URL("..", import.meta.url));
const LABELS = { "org.slimstage.bench": "minify" };
const SOURCE = "slimstage-bench/flask-hello:minify-source";
const MINIFIED = "slimstage-bench/flask-hello:minified";
const TIGHT = "slimstage-bench/flask-hello:minified-tight";
const PROBES: Probe[] = [{ kind: "http", port: 5000, path: "/", expectBody: "Hello from Python!" }];

function startup(r: VerifyResult, what: string): number {
  if (!r.ok || r.startupMs === undefined)
    throw new Error(`${what} did not pass its probe: ${r.error ?? "?"}`);
  return r.startupMs;
}

export default async function bench(args: string[]): Promise<void> {
  const rounds = roundsArg(args);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const engine = await connectEngine();
  const out = await mkdtemp(join(tmpdir(), "slimstage-bench-minify-"));
  try {
    log(`building ${SOURCE} from src/verify/testdata/flask-counter ...`);
    await buildFlaskImage(SOURCE, LABELS);
    log("minifying it at --level safe and at --level tight ...");
    const m = await minifyImage({
      image: SOURCE,
      probes: PROBES,
      outDir: join(out, "safe"),
      tag: MINIFIED,
      labels: LABELS,
      level: "safe",
    });
    if (!m.ok) throw new Error(`the minified image failed its probe: ${m.verify.error ?? "?"}`);
    const mt = await minifyImage({
      image: SOURCE,
      probes: PROBES,
      outDir: join(out, "tight"),
      tag: TIGHT,
      labels: LABELS,
      level: "tight",
    });
    if (!mt.ok) throw new Error(`the tight minified image failed its probe: ${mt.verify.error ?? "?"}`);

    const tracer = await tracerArchive({ engine, labels: LABELS });
    const plain = () =>
      verifyImage({ image: SOURCE, probes: PROBES, labels: LABELS }).then((r) => startup(r, "source"));
    const traced = () =>
      verifyInstrumented(
        { image: SOURCE, probes: PROBES, labels: LABELS },
        {
          init: true,
          capAdd: ["SYS_PTRACE"],
          entrypoint: () => tracedArgv(["python", "app.py"]),
          prepare: (eng, id) => copyToContainer(eng, id, "/", tracer),
          collect: async () => {},
        },
      ).then((r) => startup(r, "traced source"));
    const minified = () =>
      verifyImage({ image: MINIFIED, probes: PROBES, labels: LABELS }).then((r) => startup(r, "minified"));

    const tight = () =>
      verifyImage({ image: TIGHT, probes: PROBES, labels: LABELS }).then((r) => startup(r, "minified tight"));

    const runs = {
      plain: [] as number[],
      traced: [] as number[],
      minified: [] as number[],
      tight: [] as number[],
    };
    await plain();
    await traced();
    await minified();
    await tight(); // warm-up, unmeasured
    for (let k = 0; k < rounds; k++) {
      const order: Array<keyof typeof runs> =
        k % 2 === 0 ? ["plain", "traced", "minified", "tight"] : ["tight", "minified", "traced", "plain"];
      for (const o of order) runs[o].push(await { plain, traced, minified, tight }[o]());
      log(
        `round ${k + 1}/${rounds}: plain ${runs.plain.at(-1)} ms, traced ${runs.traced.at(-1)} ms, safe ${runs.minified.at(-1)} ms, tight ${runs.tight.at(-1)} ms`,
      );
    }
    const p = median(runs.plain);
    const t = median(runs.traced);
    const mm = median(runs.minified);
    const mtt = median(runs.tight);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    log(
      `source ${mb(m.source.bytes)}, --level safe ${mb(m.minified.bytes)} (${r2(m.minified.bytes / m.source.bytes)}x), --level tight ${mb(mt.minified.bytes)} (${r2(mt.minified.bytes / m.source.bytes)}x); ` +
        `first probe: plain ${p} ms, traced ${t} ms (${r2(t / p)}x), safe ${mm} ms (${r2(mm / p)}x), tight ${mtt} ms (${r2(mtt / p)}x)`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: "minify",
        image: "flask hello + redis counter (python:3.11-slim + flask)",
        rounds,
        sourceBytes: m.source.bytes,
        minifiedBytes: m.minified.bytes,
        sizeRatio: r2(m.minified.bytes / m.source.bytes),
        tightBytes: mt.minified.bytes,
        tightSizeRatio: r2(mt.minified.bytes / m.source.bytes),
        keptFiles: m.closure.files,
        tightKeptFiles: mt.closure.files,
        sourceFiles: m.source.files,
        firstProbeMs: {
          plain: { median: p, all: runs.plain },
          traced: { median: t, all: runs.traced },
          minified: { median: mm, all: runs.minified },
          tight: { median: mtt, all: runs.tight },
        },
        tracingOverhead: r2(t / p),
        minifiedStartupRatio: r2(mm / p),
        tightStartupRatio: r2(mtt / p),
      })}\n`,
    );
  } finally {
    await rm(out, { recursive: true, force: true });
    await removeByLabel(engine, LABELS, { images: true });
  }
}
