/**
 * Folder set-up steps of an old final stage: RUNs made only of mkdir, chown
 * and chmod, there to give the old file's own user (removed by the rewrite)
 * a folder it writes to (`mkdir .next && chown nextjs:nodejs .next`). Kept
 * as they are, they would fail on the missing user; dropped without a
 * trace, the app could no longer write there. A folder the step both creates
 * and hands to a user becomes one of the runtime's writable folders.
 */
import type { ShellScript } from "../dockerfile/model.js";
import type { ExistingDockerfile } from "./detect/existing.js";

export interface OwnershipStep {
  /** Folders made by mkdir, as written (relative ones are below the WORKDIR). */
  created: string[];
  /** Paths chown hands to a user, as written. */
  owned: string[];
  /** The owned paths chown hands over with everything below them (-R). */
  recursive: string[];
  /** The user (and group) given, as written (`nextjs:nodejs`, `1000:1000`). */
  owners: string[];
}

/**
 * The step's parts, when every command of its script (slimstage's shell parser: across `&&`, `;`,
 * `||`, pipes, subshells and substitutions) is mkdir, chown or chmod; else undefined.
 */
export function ownershipStep(shell: ShellScript): OwnershipStep | undefined {
  if (shell.error || shell.commands.length === 0) return undefined;
  const out: OwnershipStep = { created: [], owned: [], recursive: [], owners: [] };
  for (const c of shell.commands) {
    const plain = c.args.filter((a) => !a.startsWith("-"));
    if (c.name === "mkdir") out.created.push(...plain);
    else if (c.name === "chown") {
      const [owner, ...paths] = plain;
      if (owner === undefined || paths.length === 0) return undefined;
      out.owners.push(owner);
      out.owned.push(...paths);
      if (c.args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === "--recursive")) out.recursive.push(...paths);
    } else if (c.name !== "chmod") return undefined;
  }
  return out;
}

/** Folders a set-up step creates and hands to a non-root user: the app writes there. */
export function handedFolders(step: OwnershipStep): string[] {
  if (step.owners.every((o) => /^(root|0)(:(root|0))?$/.test(o))) return [];
  const norm = (p: string) => p.replace(/^\.\//, "").replace(/\/+$/, "");
  const owned = new Set(step.owned.map(norm));
  // `mkdir -p .next/cache && chown -R nextjs .next` hands over the folder below too.
  const below = (p: string) => step.recursive.some((r) => norm(p).startsWith(`${norm(r)}/`));
  return step.created.filter((p) => (owned.has(norm(p)) || below(p)) && !p.includes("$"));
}

/** Folders any mkdir of a RUN script creates, as written (the RUN may do more: `mkdir -p /var/log/app && touch ...`). */
export function createdFolders(shell: ShellScript): string[] {
  return shell.commands
    .filter((c) => c.name === "mkdir")
    .flatMap((c) => c.args.filter((a) => !a.startsWith("-")));
}

/** A path COPY can name as written: literal, no spaces, globs, quotes or variables. */
const PLAIN_PATH = /^[A-Za-z0-9._/@+-]+$/;

/**
 * The folders of a step that only makes folders (`mkdir -p /srv/static logs`), or undefined when
 * its script does anything else, passes mkdir any option but -p/-v (a mode), or names a folder
 * that is not a literal path. Such a step needs no shell: COPY of an empty folder makes the same
 * root-owned folders, with their parents, relative ones below the WORKDIR as mkdir's are.
 */
export function foldersOnlyStep(shell: ShellScript): string[] | undefined {
  if (shell.error || shell.commands.length === 0) return undefined;
  const out: string[] = [];
  for (const c of shell.commands) {
    if (c.name !== "mkdir" || c.assigns.length > 0 || (c.dynamicWords?.length ?? 0) > 0) return undefined;
    for (const a of c.args) {
      if (a === "-p" || a === "--parents" || a === "-v" || a === "--verbose" || a === "-pv" || a === "-vp")
        continue;
      if (a.startsWith("-") || !PLAIN_PATH.test(a)) return undefined;
      out.push(a);
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The handed folders of the target's chain, with the line of their step: a
 * set-up step's own mkdir + chown, or a chown-only step of a folder an
 * earlier RUN made (`RUN mkdir -p /var/log/app && touch ...` then
 * `RUN chown -R nonroot /var/log/app`).
 */
export function handedFoldersOf(existing: ExistingDockerfile): Array<{ path: string; line: number }> {
  const out: Array<{ path: string; line: number }> = [];
  const earlier: string[] = [];
  for (const st of existing.chain)
    for (const ins of st.instructions) {
      if (ins.keyword !== "RUN" || ins.command.form !== "shell" || ins.heredocs.length > 0) continue;
      const step = ownershipStep(ins.shell);
      if (step) {
        const withEarlier = { ...step, created: [...step.created, ...earlier] };
        for (const p of handedFolders(withEarlier)) out.push({ path: p, line: ins.range.start.line });
      }
      earlier.push(...createdFolders(ins.shell));
    }
  return out;
}
