import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { InputError } from "../../errors.js";
import { action, collect, examples } from "../runtime.js";

interface ParseCmdOptions {
  dump?: string;
  print?: boolean;
  stages?: boolean;
  target?: string;
  buildArg?: string[];
  strict?: boolean;
}

async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : String((e as Error).message)}`,
    );
  }
}

function buildArgs(list: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf("=");
    if (eq <= 0) {
      // Docker takes `--build-arg NAME` from the environment.
      const v = process.env[kv];
      if (eq === 0 || v === undefined) throw new InputError(`--build-arg ${kv}: expected NAME=VALUE`);
      out[kv] = v;
      continue;
    }
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export function define(program: Command): void {
  program
    .command("parse")
    .description("Parse a Dockerfile: JSON model, BuildKit AST dump, printer round trip, stage graph")
    .argument("<file>", "Dockerfile to parse (- for stdin)")
    .option("--dump <format>", "print the parser's AST in another tool's format (buildkit)")
    .option("--print", "print the Dockerfile back from the model (a lossless round trip)")
    .option(
      "--stages",
      "show the stage graph: dependencies, reachability from the target, what reaches the final image",
    )
    .option("--target <stage>", "target stage for --stages (default: the last stage)")
    .option("--build-arg <name=value>", "build argument for expansion (repeatable)", collect, [])
    .option("--no-strict", "accept unknown flags and bad flag values as warnings (BuildKit's parser does)")
    .addHelpText(
      "after",
      examples([
        ["slimstage parse Dockerfile", "instructions per stage, with lines"],
        ["slimstage parse --json Dockerfile", "the full typed model with source ranges"],
        ["slimstage parse --dump buildkit Dockerfile", "BuildKit's own AST dump format"],
        ["slimstage parse --stages --target builder Dockerfile", "which stages the builder target needs"],
        ["slimstage parse --print Dockerfile | diff - Dockerfile", "the printer reproduces the file exactly"],
      ]),
    )
    .action(
      action(async (rt, file: string, opts: ParseCmdOptions) => {
        const { parseDockerfile, dumpBuildkit, printDockerfile, buildStageGraph, expand } = await import(
          "../../dockerfile/public.js"
        );
        if (opts.dump !== undefined && opts.dump !== "buildkit") {
          throw new InputError(`--dump ${opts.dump}: unknown format (supported: buildkit)`);
        }
        const text = await readInput(file);
        const lenient = opts.dump !== undefined || opts.print === true || opts.strict === false;
        const df = parseDockerfile(text, {
          file,
          strict: !lenient,
          shell: rt.json && !opts.dump && !opts.print,
        });
        const args = buildArgs(opts.buildArg);
        if (opts.dump) {
          const out = dumpBuildkit(df);
          if (rt.json) rt.printJson({ file, format: "buildkit", dump: out });
          else process.stdout.write(out);
          return 0;
        }
        if (opts.print) {
          const out = printDockerfile(df);
          if (rt.json) rt.printJson({ file, text: out, identical: out === text });
          else process.stdout.write(out);
          return 0;
        }
        if (opts.stages || opts.target !== undefined) {
          const graph = buildStageGraph(df, {
            ...(opts.target ? { target: opts.target } : {}),
            buildArgs: args,
          });
          if (rt.json) {
            rt.printJson({ file, ...graph });
            return 0;
          }
          const lines = [
            `target: stage ${graph.target}${graph.stages[graph.target]?.name ? ` (${graph.stages[graph.target]?.name})` : ""}`,
          ];
          for (const s of graph.stages) {
            const role = s.reachesFinalImage
              ? "final image"
              : s.contributesFiles
                ? "contributes files"
                : s.reachable
                  ? "needed"
                  : "unused";
            const base = "stage" in s.base ? `stage ${s.base.stage}` : s.base.image;
            const deps = s.deps.filter((d) => d.kind !== "from").map((d) => `${d.kind} from ${d.to}`);
            lines.push(
              `  ${s.index} ${s.name ?? "-"}  FROM ${base}  [${role}]${deps.length ? `  ${deps.join(", ")}` : ""}${s.externalImages.length ? `  images: ${s.externalImages.join(", ")}` : ""}`,
            );
          }
          lines.push(`build order: ${graph.order.join(" -> ")}`);
          rt.print(lines.join("\n"));
          return 0;
        }
        if (rt.json) {
          const x = expand(df, { buildArgs: args });
          // Instructions are already in the model: refer to them by line instead of repeating them.
          const stages = x.stages.map((st) => ({
            ...st,
            instructions: st.instructions.map(({ instruction, ...rest }) => ({
              line: instruction.range.start.line,
              keyword: instruction.keyword,
              ...rest,
            })),
          }));
          rt.printJson({ ...df, expansion: { ...x, stages } });
          return 0;
        }
        const out: string[] = [];
        for (const d of df.directives) out.push(`directive ${d.name}=${d.value}`);
        for (const a of df.globalArgs) out.push(`${a.range.start.line}: ${a.keyword} ${a.args}`);
        for (const s of df.stages) {
          out.push(
            `stage ${s.index}${s.name ? ` ${s.name}` : ""} (lines ${s.range.start.line}-${s.range.end.line})`,
          );
          for (const ins of [s.from, ...s.instructions]) {
            const lines =
              ins.range.start.line === ins.range.end.line
                ? `${ins.range.start.line}`
                : `${ins.range.start.line}-${ins.range.end.line}`;
            const flags = ins.flags.map((f) => f.raw).join(" ");
            const summary = `${ins.keyword}${flags ? ` ${flags}` : ""} ${ins.args}`;
            out.push(`  ${lines}: ${summary.length > 100 ? `${summary.slice(0, 97)}...` : summary}`);
          }
        }
        for (const w of df.warnings) out.push(`warning: line ${w.range.start.line}: ${w.message}`);
        rt.print(out.join("\n"));
        return 0;
      }),
    );
}
