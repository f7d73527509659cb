/**
 * What the final image runs: the CMD and ENTRYPOINT in effect for the target
 * stage, as words, and what kind of image that makes it (an app, or a base
 * image whose command is an interpreter or nothing at all).
 */
import type { CmdInstruction, CommandForm, EntrypointInstruction, Instruction } from "../dockerfile/model.js";
import { ancestry, baseImageOf, basename, commands, located } from "./facts.js";
import type { RuleContext } from "./rule.js";

export interface FinalCommand {
  cmd?: CmdInstruction;
  entrypoint?: EntrypointInstruction;
}

/** The last CMD and ENTRYPOINT in the target's FROM ancestry (an ENTRYPOINT resets an inherited CMD, as in BuildKit). */
export function finalCommand(ctx: Pick<RuleContext, "df" | "graph">): FinalCommand {
  if (ctx.df.stages.length === 0) return {};
  const out: FinalCommand = {};
  for (const stage of ancestry(ctx.df, ctx.graph, ctx.graph.target).reverse()) {
    for (const ins of stage.instructions) {
      if (ins.keyword === "CMD") out.cmd = ins;
      if (ins.keyword === "ENTRYPOINT") {
        out.entrypoint = ins;
        delete out.cmd;
      }
    }
  }
  return out;
}

/** The words of a CMD/ENTRYPOINT: exec-form arguments, or the shell form split like sh would (quotes removed). */
export function commandWords(c: CommandForm): string[] {
  if (c.form === "json") return c.args;
  return splitWords(c.command);
}

/**
 * Splits a shell-form command into words, removing quotes. Only the first
 * words matter to the rules (which program runs, with which flags), so
 * expansions are kept as text rather than run through a shell parser.
 */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** ENTRYPOINT words followed by CMD words: the process the container starts. */
export function startedProcess(fc: FinalCommand): { words: string[]; node?: Instruction } {
  const words = [
    ...(fc.entrypoint ? commandWords(fc.entrypoint.command) : []),
    ...(fc.cmd ? commandWords(fc.cmd.command) : []),
  ];
  const node = fc.cmd ?? fc.entrypoint;
  return node ? { words, node } : { words };
}

/** Operating-system base images, which the official language and server images build on. */
const OS_IMAGES =
  /^(docker\.io\/)?(library\/)?(debian|ubuntu|alpine|fedora|centos|rockylinux|almalinux|amazonlinux|oraclelinux|buildpack-deps|busybox|opensuse\/leap)(:|@|$)/;

/** Interpreters and shells that, run alone, are a REPL: the command of a language base image. */
const REPLS =
  /^(python\d*(\.\d+)?|pypy\d*|node|nodejs|irb|ruby|bash|sh|ash|zsh|php|jshell|ghci|iex|erl|deno|bun|perl)$/;

/**
 * A base image rather than an app: the target runs no command of its own,
 * or only an interpreter's REPL (the official language images), or an
 * entrypoint script with an interpreter as CMD. Toolchains and root are what
 * such images are for; rules about a running app leave them alone.
 */
export function isBaseImage(ctx: Pick<RuleContext, "df" | "graph">): boolean {
  const fc = finalCommand(ctx);
  if (!fc.cmd && !fc.entrypoint) {
    // No command of its own on an OS base (golang, rust: SDKs built on debian). On a language
    // image it inherits that image's command and is an app like any other.
    const image = ctx.df.stages.length ? baseImageOf(ctx.df, ctx.graph, ctx.graph.target) : undefined;
    return image !== undefined && OS_IMAGES.test(image);
  }
  const cmdWords = fc.cmd ? commandWords(fc.cmd.command) : [];
  const only = cmdWords.length === 1 ? cmdWords[0] : undefined;
  if (only !== undefined && REPLS.test(basename(only))) return true;
  return false;
}

/**
 * Official server images whose own entrypoint or server drops root after
 * binding its port: postgres, redis, mysql, mariadb, mongo, rabbitmq (gosu in
 * their entrypoints), nginx, httpd and php's apache/fpm variants (workers
 * run as nginx / daemon / www-data).
 */
const PRIVILEGE_DROPPING_IMAGES =
  /^(docker\.io\/)?(library\/)?(postgres|redis|mysql|mariadb|mongo|rabbitmq|nginx|httpd|elasticsearch|cassandra)(:|@|$)|^(docker\.io\/)?(library\/)?php:[^@]*(apache|fpm)/;
const PRIVILEGE_DROPPING_COMMANDS =
  /^(nginx|httpd|httpd-foreground|apache2|apache2-foreground|php-fpm\d*(\.\d+)?)$/;

/** Whether the final container starts as root by design and drops privileges itself. */
export function dropsPrivileges(ctx: Pick<RuleContext, "df" | "graph">): boolean {
  if (ctx.df.stages.length === 0) return false;
  const image = baseImageOf(ctx.df, ctx.graph, ctx.graph.target);
  if (image && PRIVILEGE_DROPPING_IMAGES.test(image)) return true;
  const { words } = startedProcess(finalCommand(ctx));
  if (words.some((w) => PRIVILEGE_DROPPING_COMMANDS.test(basename(w)))) return true;
  // The image installs gosu or su-exec and starts through an entrypoint script: the official pattern.
  const fc = finalCommand(ctx);
  if (!fc.entrypoint) return false;
  return located(ctx.df).some(
    ({ ins }) =>
      ins.keyword === "RUN" && commands(ins).some((c) => c.name === "gosu" || c.name === "su-exec"),
  );
}
