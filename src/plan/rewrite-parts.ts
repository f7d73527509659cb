/**
 * Pieces of the rewrite that read an old Dockerfile's steps: which stages a
 * target needs, which apt packages its final stage installs and whether the
 * kept commands use them, and heredoc RUNs turned into plain RUNs for the
 * frontend built into the engine.
 */
import type { Instruction, RunInstruction, Stage } from "../dockerfile/model.js";
import type { ExistingDockerfile } from "./detect/existing.js";
import { sq } from "./templates/text.js";

/** The language family of a base image (by its repository name), when it has one. */
export function imageFamily(image: string): "python" | "node" | undefined {
  const repo = (image.split("@")[0] ?? image).split(":")[0]?.split("/").pop() ?? "";
  if (/^(python|pypy)/.test(repo)) return "python";
  if (/^(node|bun)/.test(repo)) return "node";
  return undefined;
}

/** The base image a stage is finally built on (through FROM <stage>). */
export function rootImage(existing: ExistingDockerfile, stage: Stage): string {
  let s: Stage | undefined = stage;
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    const base: { stage: number } | { image: string } | undefined = existing.graph.stages[s.index]?.base;
    if (!base || !("stage" in base)) return s.from.image;
    s = existing.model.stages[base.stage];
  }
  return stage.from.image;
}

export interface AptInstall {
  packages: string[];
}

/** Packages of `apt-get install` / `apt install` in a RUN text (flags left out). */
export function aptPackages(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bapt(?:-get)?\s+(?:-\S+\s+)*install\b([^;&|]*)/g)) {
    for (const w of (m[1] ?? "").split(/\s+/)) {
      if (!w || w.startsWith("-") || w === "\\") continue;
      out.push(w);
    }
  }
  return out;
}

/** Packages a Debian release renamed or made virtual: the one to install instead. */
const RENAMED: Record<string, string> = {
  netcat: "netcat-openbsd",
  "mysql-client": "default-mysql-client",
  "libmysqlclient-dev": "default-libmysqlclient-dev",
};

/** Commands a runtime package provides (enough to tell whether a script uses it). */
const COMMANDS: Record<string, string[]> = {
  "netcat-openbsd": ["nc", "netcat"],
  "netcat-traditional": ["nc", "netcat"],
  curl: ["curl"],
  wget: ["wget"],
  "postgresql-client": ["psql", "pg_isready", "pg_dump"],
  "default-mysql-client": ["mysql", "mysqladmin"],
  "mariadb-client": ["mysql", "mariadb", "mysqladmin"],
  "gettext-base": ["envsubst"],
  jq: ["jq"],
  gosu: ["gosu"],
  git: ["git"],
  bash: ["bash"],
  procps: ["ps", "pkill", "pgrep"],
  "redis-tools": ["redis-cli"],
  ffmpeg: ["ffmpeg"],
  imagemagick: ["convert", "magick"],
};

/** A package whose programs slimstage knows (curl, jq, bash): named the same on Alpine and Debian. */
export function isKnownProgramPackage(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

/** Packages that build code: the generated builder has its own. */
const TOOLCHAIN =
  /^(build-essential|gcc|g\+\+|make|cmake|pkg-config|autoconf|automake|libtool|.*-dev|python3?-dev)$/;

export interface PackageVerdict {
  name: string;
  keep: boolean;
  why: string;
}

/** Decides for each package of the final stage whether the runtime keeps it. */
export function judgePackages(packages: string[], usedText: string): PackageVerdict[] {
  return packages.map((raw) => {
    const name = RENAMED[raw] ?? raw;
    const renamed = name !== raw ? ` (${raw} is ${name} on Debian bookworm)` : "";
    if (TOOLCHAIN.test(name))
      return { name, keep: false, why: "a build tool: the generated builder compiles what needs compiling" };
    if (/^lib/.test(name))
      return {
        name,
        keep: false,
        why: "a library: the generated runtime installs the libraries the built code links (ELF needs)",
      };
    if (name === "ca-certificates" || name === "tzdata")
      return { name, keep: true, why: `data the app may read at run time${renamed}` };
    const cmds = COMMANDS[name];
    if (cmds) {
      const used = cmds.find((c) =>
        new RegExp(`(^|[\\s;|&(\`"'/])${c}(\\s|$|;|\\)|"|')`, "m").test(usedText),
      );
      return used
        ? {
            name,
            keep: true,
            why: `\`${used}\` is used by the kept steps, the entrypoint, the command or the compose healthcheck${renamed}`,
          }
        : {
            name,
            keep: false,
            why: `none of ${cmds.join(", ")} is used by the kept steps, the entrypoint, the command or the compose healthcheck`,
          };
    }
    return { name, keep: true, why: `slimstage cannot tell whether the app uses it, so it stays${renamed}` };
  });
}

/** The body lines of a RUN's heredocs, when its command is just the heredoc (`RUN <<EOF`). */
function heredocScript(ins: RunInstruction): string[] | undefined {
  if (ins.heredocs.length !== 1 || ins.command.form !== "shell") return undefined;
  const h = ins.heredocs[0];
  // Only `RUN <<EOF` itself: a heredoc fed to a named program (`RUN python3 <<EOF`) is left as it is.
  if (!h || !/^<<-?["']?\w+["']?\s*$/.test(ins.command.command.trim())) return undefined;
  const body = h.chomp ? h.content.replace(/^\t+/gm, "") : h.content;
  return body.replace(/\n$/, "").split("\n");
}

/**
 * A heredoc RUN as a plain RUN: the frontend built into the engine has no
 * heredocs, and the `# syntax=` frontend that has them cannot be pulled. The
 * body is fed to sh on stdin, as BuildKit runs a heredoc script. Undefined
 * when the RUN is not a plain `RUN <<EOF` script.
 */
export function plainRun(ins: Instruction): string | undefined {
  if (ins.keyword !== "RUN" || ins.heredocs.length === 0) return undefined;
  const lines = heredocScript(ins);
  if (!lines) return undefined;
  const mounts = ins.flags.map((f) => f.raw).join(" ");
  return `RUN ${mounts ? `${mounts} ` : ""}printf '%s\\n' \\\n    ${lines.map((l) => sq(l)).join(" \\\n    ")} \\\n    | sh`;
}
