import type { Instruction } from "../../dockerfile/model.js";
import {
  absolutePath,
  ancestry,
  basename,
  type Cmd,
  commands,
  instructionsOf,
  isReachable,
  isUnder,
  normalizePath,
  resolveFrom,
  unquote,
  workdirAt,
} from "../facts.js";
import { isPip, pipArgs } from "../packages.js";
import { defineRule } from "../rule.js";

/** Directories that base images ship; a path under them may come from the base, so it is never reported. */
const SYSTEM = [
  "/usr",
  "/etc",
  "/var",
  "/opt",
  "/root",
  "/home",
  "/tmp",
  "/bin",
  "/sbin",
  "/lib",
  "/lib64",
  "/srv",
  "/run",
  "/proc",
  "/sys",
  "/dev",
  "/mnt",
  "/media",
  "/go",
  "/usr/local",
];

/** Commands that write nothing into the current directory (installs into system paths, user management). */
const SYSTEM_ONLY = new Set([
  "apt-get",
  "apt",
  "apk",
  "dnf",
  "yum",
  "microdnf",
  "useradd",
  "adduser",
  "groupadd",
  "addgroup",
  "chmod",
  "chown",
  "echo",
  "true",
  "rm",
  "export",
  "set",
  "update-ca-certificates",
]);

function keepsWorkdir(c: Cmd): boolean {
  if (SYSTEM_ONLY.has(c.name)) return true;
  if (isPip(c)) {
    const args = pipArgs(c);
    // Installs into site-packages, unless it targets a directory or installs the project in place.
    return (
      args[0] === "install" &&
      !args.some((a) => /^(-t|--target|--prefix|--root|-e|--editable|--src)(=|$)/.test(a))
    );
  }
  return false;
}

function dest(ctx: Parameters<typeof workdirAt>, d: string): string {
  const [df, graph, ins] = ctx;
  const p = unquote(d);
  return absolutePath(p, workdirAt(df, graph, ins));
}

export default defineRule({
  meta: {
    id: "SS403",
    slug: "copy-from-missing-path",
    severity: "error",
    category: "correctness",
    description:
      "`COPY --from=<stage>` of an application path that no instruction of that stage creates: the build fails.",
    rationale:
      'BuildKit fails with "not found" when the source path does not exist in the stage. The seed lab copies /app/venv from a builder that never creates a venv.',
    fix: "Create the path in the source stage (`python -m venv /app/venv`) or copy what the stage does produce.",
    stages: "reachable",
    stagesNote:
      "Checks COPY --from in every stage needed for the target. Only paths under a WORKDIR of the source stage outside the system directories are judged (base images cannot have put them there); a RUN in that directory with any command that may write there (npm ci, a build script) counts as creating it, while package-manager installs into system paths (apt-get, apk, pip install) do not.",
    bad: "FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY app.py .\nFROM python:3.12-slim\nCOPY --from=builder /app/venv /app/venv",
    good: "FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN python -m venv /app/venv\nFROM python:3.12-slim\nCOPY --from=builder /app/venv /app/venv",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "COPY")) {
      if (!isReachable(ctx.graph, stage)) continue;
      const src = resolveFrom(ctx.df, ctx.graph, ins);
      if (src === undefined) continue;
      const chain = ancestry(ctx.df, ctx.graph, src);
      const all: Instruction[] = chain.reverse().flatMap((s) => s.instructions);
      const workdirs = all
        .filter((i) => i.keyword === "WORKDIR")
        .map((i) => dest([ctx.df, ctx.graph, i], i.keyword === "WORKDIR" ? i.path : "/"));
      for (const raw of ins.sources) {
        const s = unquote(raw);
        if (s.includes("$") || /[*?[]/.test(s)) continue;
        const p = normalizePath(s);
        if (SYSTEM.some((d) => isUnder(p, d)) || p === "/") continue;
        if (!workdirs.some((w) => isUnder(p, w) && w !== "/")) continue;
        if (workdirs.some((w) => isUnder(w, p))) continue;
        const provided = all.some((i) => {
          if (i.keyword === "COPY" || i.keyword === "ADD") {
            const d = dest([ctx.df, ctx.graph, i], i.dest);
            if (isUnder(d, p)) return true;
            if (!isUnder(p, d)) return false;
            // A directory copy may bring anything under its destination; named files bring only themselves.
            const names = i.sources.map((x) => basename(unquote(x).replace(/\/+$/, "")));
            const rel = p.slice(d.length + 1).split("/")[0];
            return (
              names.some(
                (n) => n === "." || n === "" || /[*?[]/.test(n) || !/\.[A-Za-z0-9]+$/.test(n) || n === rel,
              ) || i.keyword === "ADD"
            );
          }
          if (i.keyword === "RUN") {
            const text = i.shell.script;
            // A command that may write into its working directory (npm ci, a build script) may create p there.
            if (isUnder(p, workdirAt(ctx.df, ctx.graph, i)) && commands(i).some((c) => !keepsWorkdir(c)))
              return true;
            return (
              text.includes(p) ||
              new RegExp(
                `(^|[\\s/="'])${basename(p).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s/"';&|])`,
              ).test(text)
            );
          }
          return false;
        });
        if (!provided)
          ctx.report({
            node: ins,
            message: `stage ${ctx.df.stages[src]?.name ?? src} never creates ${p}: COPY --from fails with "not found"`,
          });
      }
    }
  },
});
