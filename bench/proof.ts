/**
 * `npm run bench -- proof [--rounds N]`: what differential verification
 * costs and finds. For each app (the Flask hello app the verify bench uses,
 * and the proof fixtures: an HTML site, a FastAPI app), side by side in one
 * run: a plain `verify` of a candidate (an identical image) with the app's
 * probe, and `verify --against` the original (three runs: the original twice,
 * the candidate once). Prints requests discovered, masked answers and the
 * time ratio differential / plain (medians over the rounds). Last line: JSON.
 */

import { buildImage } from "../src/engine/build/build.js";
import { removeByLabel } from "../src/engine/cleanup.js";
import { connectEngine } from "../src/engine/connect.js";
import { verifyAgainst } from "../src/verify/differential.js";
import { buildProofImages } from "../src/verify/testdata/proof-fixtures.js";
import type { Probe, VerifyResult } from "../src/verify/types.js";
import { verifyImage } from "../src/verify/verify.js";
import { buildFlaskImage, median, roundsArg } from "./lib/flask-bench.js";

const LABELS = { "org.slimstage.bench": "proof" };

interface App {
  name: string;
  original: string;
  candidate: string;
  probes: Probe[];
  command?: string[];
}

function check(r: VerifyResult, what: string): VerifyResult {
  if (!r.ok) throw new Error(`${what} failed: ${r.error}`);
  return r;
}

export default async function main(args: string[]): Promise<void> {
  const rounds = roundsArg(args);
  const engine = await connectEngine();
  try {
    process.stderr.write("building the fixture images...\n");
    await buildFlaskImage("slimstage-bench/flask-hello:proof", LABELS);
    // The candidate: the same app with one more layer (a different image that behaves alike).
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "slimstage-bench-proof-"));
    try {
      await writeFile(
        join(dir, "Dockerfile"),
        "FROM slimstage-bench/flask-hello:proof\nLABEL candidate=yes\n",
      );
      await buildImage({
        context: dir,
        tags: ["slimstage-bench/flask-hello:proof-candidate"],
        labels: LABELS,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const proof = await buildProofImages(LABELS, ["original", "same"]);
    const gunicorn = ["gunicorn", "-b", "0.0.0.0:8000", "-w", "1", "site_app:app"];
    const apps: App[] = [
      {
        name: "flask hello (verify bench's app)",
        original: "slimstage-bench/flask-hello:proof",
        candidate: "slimstage-bench/flask-hello:proof-candidate",
        probes: [{ kind: "http", port: 5000, path: "/" }],
      },
      {
        name: "HTML site (gunicorn)",
        original: proof.original,
        candidate: proof.same,
        probes: [],
        command: gunicorn,
      },
      {
        name: "FastAPI (uvicorn)",
        original: proof.original,
        candidate: proof.same,
        probes: [{ kind: "http", port: 8000, path: "/items" }],
        command: ["uvicorn", "api_app:app", "--host", "0.0.0.0", "--port", "8000"],
      },
    ];
    const rows = [];
    for (const app of apps) {
      const plain: number[] = [];
      const diff: number[] = [];
      let last: VerifyResult | undefined;
      for (let i = 0; i < rounds; i++) {
        const base = {
          image: app.candidate,
          probes: app.probes,
          labels: LABELS,
          timeoutMs: 60_000,
          ...(app.command ? { command: app.command } : {}),
        };
        // Alternate the order each round so neither always runs on a warmer engine.
        const runPlain = async () =>
          plain.push(check(await verifyImage(base), `${app.name} plain`).durationMs);
        const runDiff = async () => {
          last = check(await verifyAgainst({ ...base, against: app.original }), `${app.name} differential`);
          diff.push(last.durationMs);
        };
        if (i % 2 === 0) {
          await runPlain();
          await runDiff();
        } else {
          await runDiff();
          await runPlain();
        }
      }
      const d = (last as VerifyResult | undefined)?.differential;
      const row = {
        app: app.name,
        requests: d?.requests.length ?? 0,
        identical: d?.identical ?? 0,
        masked: d?.masked ?? [],
        plainMs: median(plain),
        differentialMs: median(diff),
        ratio: Number((median(diff) / median(plain)).toFixed(2)),
      };
      rows.push(row);
      process.stderr.write(
        `${row.app}: ${row.requests} requests (${row.identical} identical, ${row.masked.length} masked), plain ${row.plainMs} ms, differential ${row.differentialMs} ms, ratio ${row.ratio}\n`,
      );
      for (const m of row.masked) process.stderr.write(`  masked ${m.request}: ${m.what}\n`);
    }
    process.stdout.write(`${JSON.stringify({ bench: "proof", rounds, rows })}\n`);
  } finally {
    await removeByLabel(engine, LABELS, { images: true });
  }
}
