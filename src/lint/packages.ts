/**
 * What RUN commands install, by package manager. Reads the parser's shell
 * commands (already split on &&, ;, pipes and heredocs).
 */
import type { RunInstruction } from "../dockerfile/model.js";
import { type Cmd, commands, subcommand } from "./facts.js";

export type Manager = "apt" | "apk" | "dnf" | "yum" | "pip" | "npm" | "yarn" | "pnpm" | "poetry";

export interface Install {
  manager: Manager;
  cmd: Cmd;
  /** Positional package arguments (flags and their values removed). */
  packages: string[];
}

const APT = new Set(["apt-get", "apt", "aptitude"]);
/** apt-get options that take a value as the next word. */
const APT_VALUE_OPTS = new Set(["-o", "-t", "-c", "--option", "--target-release", "--config-file"]);

export function isPip(c: Cmd): boolean {
  if (/^pip(\d+(\.\d+)?)?$/.test(c.name)) return true;
  // python -m pip install ...
  return /^python(\d+(\.\d+)?)?$/.test(c.name) && c.args[0] === "-m" && c.args[1] === "pip";
}

/** Arguments after `pip` for both `pip ...` and `python -m pip ...`. */
export function pipArgs(c: Cmd): string[] {
  return c.name.startsWith("python") ? c.args.slice(2) : c.args;
}

function positional(args: readonly string[], valueOpts: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined) break; // i < args.length
    if (valueOpts.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    out.push(a);
  }
  return out;
}

export function installsIn(run: RunInstruction): Install[] {
  const out: Install[] = [];
  for (const c of commands(run)) {
    const i = installOf(c);
    if (i) out.push(i);
  }
  return out;
}

export function installOf(c: Cmd): Install | undefined {
  if (APT.has(c.name)) {
    const pos = positional(c.args, APT_VALUE_OPTS);
    if (pos[0] === "install") return { manager: "apt", cmd: c, packages: pos.slice(1) };
    return undefined;
  }
  if (c.name === "apk") {
    const pos = positional(c.args, new Set(["-t", "--virtual", "-X", "--repository", "-p", "--root"]));
    if (pos[0] === "add") return { manager: "apk", cmd: c, packages: pos.slice(1) };
    return undefined;
  }
  if (c.name === "dnf" || c.name === "microdnf" || c.name === "yum") {
    const pos = positional(c.args, new Set(["--setopt", "--enablerepo", "--disablerepo"]));
    if (pos[0] === "install" || pos[0] === "in")
      return { manager: c.name === "yum" ? "yum" : "dnf", cmd: c, packages: pos.slice(1) };
    return undefined;
  }
  if (isPip(c)) {
    const args = pipArgs(c);
    if (subcommand(args) === "install") {
      const pos = positional(
        args,
        new Set([
          "-r",
          "--requirement",
          "-c",
          "--constraint",
          "-i",
          "--index-url",
          "-t",
          "--target",
          "--extra-index-url",
          "-f",
          "--find-links",
        ]),
      );
      return { manager: "pip", cmd: c, packages: pos.slice(1) };
    }
    return undefined;
  }
  if (c.name === "npm") {
    const sub = subcommand(c.args);
    if (sub === "install" || sub === "i" || sub === "ci" || sub === "add")
      return { manager: "npm", cmd: c, packages: positional(c.args, new Set()).slice(1) };
    return undefined;
  }
  if (c.name === "yarn") {
    const sub = subcommand(c.args);
    // Bare `yarn` installs; `yarn --version`, `yarn -v` and `yarn --help` do not.
    const info = c.args.some((a) => /^(--version|-v|--help|-h)$/.test(a));
    if ((sub === undefined && !info) || sub === "install" || sub === "add")
      return { manager: "yarn", cmd: c, packages: positional(c.args, new Set()).slice(1) };
    return undefined;
  }
  if (c.name === "pnpm") {
    const sub = subcommand(c.args);
    if (sub === "install" || sub === "i" || sub === "add")
      return { manager: "pnpm", cmd: c, packages: positional(c.args, new Set()).slice(1) };
    return undefined;
  }
  if (c.name === "poetry" && subcommand(c.args) === "install")
    return { manager: "poetry", cmd: c, packages: [] };
  return undefined;
}

/** Packages that make a build toolchain: compilers, make, headers. */
export function isToolchainPackage(p: string): boolean {
  const [first = ""] = p.split(/[=<>~]/);
  const name = first.toLowerCase();
  if (
    /^(build-essential|build-base|gcc|g\+\+|clang|cmake|make|autoconf|automake|libtool|cargo|rustc|golang|gcc-c\+\+|musl-dev|linux-headers|libc6-dev|libc-dev)(-\d+(\.\d+)*)?$/.test(
      name,
    )
  )
    return true;
  if (/^gcc-\d+$/.test(name)) return true;
  return /-(dev|devel)$/.test(name);
}

/**
 * Whether the same RUN removes what it installed: `apk del`, `apt-get purge`
 * of the packages, or the official images' build-and-purge, which marks
 * every package automatic (`apt-mark auto '.*'`, or `apt-mark showmanual |
 * xargs apt-mark auto`), re-marks what it keeps, then purges with
 * `--auto-remove`.
 */
export function removesPackages(run: RunInstruction, packages: readonly string[]): boolean {
  const cmds = commands(run);
  const marksAuto = cmds.some((c) => c.name === "apt-mark" && c.args.includes("auto"));
  if (
    marksAuto &&
    cmds.some(
      (c) =>
        APT.has(c.name) &&
        (subcommand(c.args) === "autoremove" ||
          (["purge", "remove"].includes(subcommand(c.args) ?? "") && c.args.includes("--auto-remove"))),
    )
  )
    return true;
  for (const c of cmds) {
    if (c.name === "apk" && subcommand(c.args) === "del") {
      // `apk add --virtual .build-deps ... && apk del .build-deps`
      return true;
    }
    if (APT.has(c.name) || c.name === "dnf" || c.name === "yum") {
      const pos = positional(c.args, APT_VALUE_OPTS);
      if (["purge", "remove", "autoremove", "erase"].includes(pos[0] ?? "")) {
        if (pos.slice(1).some((p) => packages.includes(p))) return true;
      }
    }
  }
  return false;
}

/**
 * Toolchain packages a RUN installs with a system package manager and does not
 * remove again in the same RUN (SS107 and SS111 differ only in where they look).
 */
export function toolchainInstalls(run: RunInstruction): Array<{ install: Install; tools: string[] }> {
  const out: Array<{ install: Install; tools: string[] }> = [];
  for (const install of installsIn(run)) {
    if (!["apt", "apk", "dnf", "yum"].includes(install.manager)) continue;
    const tools = install.packages.filter(isToolchainPackage);
    if (tools.length === 0 || removesPackages(run, tools)) continue;
    out.push({ install, tools });
  }
  return out;
}

/** Python packages used for testing, linting and development, never at run time. */
export const PY_DEV_PACKAGES = new Set([
  "pytest",
  "pytest-cov",
  "pytest-mock",
  "pytest-asyncio",
  "coverage",
  "tox",
  "nox",
  "black",
  "flake8",
  "pylint",
  "mypy",
  "ruff",
  "isort",
  "ipython",
  "ipdb",
  "pre-commit",
  "hypothesis",
]);
