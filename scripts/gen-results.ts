/**
 * Writes docs/results.md from a real `slimstage lab all --json` run: the
 * date, the machine, each lab's table, lint summary, layer history where the
 * lab asks for it, and a verdict on every claim. Never typed by hand.
 *
 *   npx tsx scripts/gen-results.ts                 # runs `slimstage lab all --json` (builds everything)
 *   npx tsx scripts/gen-results.ts --no-cache      # the same, every build step run again (no BuildKit cache)
 *   npx tsx scripts/gen-results.ts --from run.json # from a saved run
 *   npx tsx scripts/gen-results.ts --out FILE      # somewhere else than docs/results.md
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LAB_RUN_SCHEMA_ID, type LabRunDocument } from "../src/lab/lab-result.js";
import { renderResults } from "../src/lab/results-markdown.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs the CLI from source (tsx), streaming its progress to our stderr, and returns its stdout. */
function runLabAll(extra: string[]): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "lab", "all", "--json", ...extra],
      {
        cwd: ROOT,
        env: { ...process.env, SLIMSTAGE_MAIN: "1" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      stdout += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, code: code ?? 1 }));
  });
}

function parseDoc(text: string, where: string): LabRunDocument {
  const doc = JSON.parse(text) as Partial<LabRunDocument> & { error?: { message?: string } };
  if (doc.error) throw new Error(`${where}: slimstage lab failed: ${doc.error.message ?? "unknown error"}`);
  if (doc.schema !== LAB_RUN_SCHEMA_ID || !Array.isArray(doc.labs)) {
    throw new Error(`${where} is not a ${LAB_RUN_SCHEMA_ID} document`);
  }
  return doc as LabRunDocument;
}

async function main(): Promise<number> {
  const from = arg("--from");
  const target = arg("--out") ?? join(ROOT, "docs/results.md");
  let doc: LabRunDocument;
  let command: string;
  let code = 0;
  if (from) {
    doc = parseDoc(readFileSync(from, "utf8"), from);
    command = "`slimstage lab all --json`, saved";
  } else {
    // --no-cache: every build step runs again (what a fresh machine does), instead of BuildKit's cache.
    const extra = process.argv.includes("--no-cache") ? ["--no-cache"] : [];
    const r = await runLabAll(extra);
    code = r.code;
    doc = parseDoc(r.stdout, "slimstage lab all --json");
    command = `\`slimstage lab all --json${extra.length ? " --no-cache" : ""}\``;
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts/lab-all.json"), r.stdout);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, renderResults(doc, command, ROOT));
  process.stderr.write(
    `gen-results: wrote ${relative(process.cwd(), target)} (slimstage lab exit code ${code})\n`,
  );
  // The file is written either way; the exit code says whether every lab was OK.
  return doc.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gen-results: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
