import { type Cmd, commands, instructionsOf } from "../facts.js";
import { defineRule } from "../rule.js";

/** `scheme://user:password@host`; the password part is what must not be literal. */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/:@'"]+):([^\s/@'"]+)@[^\s/'"]/i;
const PASSWORD_FLAGS = new Set([
  "--password",
  "--passwd",
  "--http-password",
  "--ftp-password",
  "--proxy-password",
  "--registry-password",
]);
const USER_FLAGS = new Set(["-u", "--user", "--proxy-user", "-U"]);
/** curl/wget style tools where `-u user:pass` is a credential. */
const USER_TOOLS = new Set(["curl", "wget", "git", "helm", "svn"]);
/** Writes to a credential file: redirection, tee, cp/mv/install onto it. */
const CRED_FILE = /(^|\/)(\.netrc|_netrc|\.git-credentials|\.pgpass|\.my\.cnf)$/;
const NETRC_TEXT = /\bmachine\s+\S+\s+(login\s+\S+\s+)?password\s+\S+/;

/** A value given as a variable (`$TOKEN`, `${TOKEN}`) is SS303's concern (ARG/ENV secrets), not a literal. */
function literal(value: string, cmd: Cmd, argIndex: number): boolean {
  if (value === "" || value.startsWith("$")) return false;
  return !(cmd.raw.dynamicWords ?? []).includes(argIndex + 1) || !/^\$/.test(value);
}

/** A redirection onto a credential file anywhere in the script (redirections are not part of a command's words). */
function redirectedCredentialFile(script: string): string | undefined {
  for (const m of script.matchAll(/(^|[^<])>>?\s*("?)([^\s"';&|)]+)\2/g)) {
    if (CRED_FILE.test(m[3] as string)) return m[3];
  }
  return undefined;
}

function findCredential(cmd: Cmd): string | undefined {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    // The pattern needs "://": most words have none, and the test is the rule's main cost on long scripts.
    const url = a.includes("://") ? URL_CREDENTIALS.exec(a) : null;
    if (url && !(url[2] as string).startsWith("$")) return `a URL with a password (${url[1]}:***@...)`;
    const eq = a.indexOf("=");
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (PASSWORD_FLAGS.has(flag)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[i + 1];
      if (value !== undefined && literal(value, cmd, eq > 0 ? i : i + 1))
        return `${flag} with a literal password`;
    }
    if (USER_TOOLS.has(cmd.name) && USER_FLAGS.has(flag)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[i + 1];
      const colon = value?.indexOf(":") ?? -1;
      if (
        value !== undefined &&
        colon > 0 &&
        colon < value.length - 1 &&
        !value.slice(colon + 1).startsWith("$")
      )
        return `${cmd.name} ${flag} user:password`;
    }
    if (cmd.name === "docker" && (a === "-p" || a.startsWith("-p=")) && args.includes("login")) {
      const value = a === "-p" ? args[i + 1] : a.slice(3);
      if (value !== undefined && literal(value, cmd, i + 1)) return "docker login -p with a literal password";
    }
  }
  if (cmd.raw.raw.includes("password") && NETRC_TEXT.test(cmd.raw.raw))
    return "netrc text (machine ... password ...)";
  if (cmd.name === "tee" || cmd.name === "cp" || cmd.name === "mv" || cmd.name === "install") {
    const target = args.filter((x) => !x.startsWith("-")).at(-1);
    if (target !== undefined && CRED_FILE.test(target)) return `a write to ${target}`;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "SS314",
    slug: "credentials-in-run",
    severity: "error",
    category: "security",
    description:
      "Credentials written into a RUN line: a URL with `user:password@`, `curl -u user:pass`, `--password X`, `docker login -p X`, or a `.netrc` (or `.git-credentials`) written by the step.",
    rationale:
      "The RUN line is stored verbatim in the image history (`docker history`) and in the build cache, and a credential file it writes stays in the layer: anyone who pulls the image reads the password.",
    fix: "Pass the credential as a build secret (`RUN --mount=type=secret,id=netrc,target=/root/.netrc ...`) so it is neither in the command nor in a layer.",
    stages: "all",
    stagesNote:
      "Fires in every stage: a builder stage's command line is in its history and the build cache even when the final image does not build on it.",
    bad: "RUN curl -u admin:s3cr3t -o /tmp/pkg.tgz https://repo.example.com/pkg.tgz",
    good: "RUN --mount=type=secret,id=netrc,target=/root/.netrc curl --netrc -o /tmp/pkg.tgz https://repo.example.com/pkg.tgz",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      let found = false;
      for (const cmd of commands(ins)) {
        const what = findCredential(cmd);
        // The message never repeats the password itself: findings end up in CI logs.
        if (what === undefined) continue;
        found = true;
        ctx.report({ node: cmd.raw, stage, message: `the RUN line holds ${what}` });
      }
      const file = found ? undefined : redirectedCredentialFile(ins.shell.script);
      if (file !== undefined)
        ctx.report({ node: ins, stage, message: `the RUN step writes ${file}, which stays in the layer` });
    }
  },
});
