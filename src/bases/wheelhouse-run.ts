/**
 * A wheelhouse for one run (#15 item 6): the project's own requirements
 * resolved by the host's pip (binary wheels for CPython 3.11, like the
 * Python base) into a fresh folder, instead of a fixed list. What the host's
 * index lacks is named at once, before any build.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { BuildError } from "../errors.js";
import { pipDownload } from "./wheelhouse.js";

/** What a build will pip install: requirement files of the project and extra requirement lines. */
export interface RunRequirements {
  /** Absolute paths of requirement files (their `-r` includes are followed). */
  files: string[];
  /** Extra requirement lines (pinned exports, test packages, build backends). */
  lines: string[];
}

/** Requirement lines of a file with its `-r` includes inlined; local paths and options left out. */
async function flatten(file: string, seen: Set<string>): Promise<string[]> {
  if (seen.has(file) || seen.size > 50) return [];
  seen.add(file);
  const text = await readFile(file, "utf8").catch(() => "");
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const l = raw.replace(/(^|\s)#.*/, "").trim();
    if (!l) continue;
    const inc = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(l);
    if (inc?.[1]) {
      out.push(...(await flatten(path.resolve(path.dirname(file), inc[1]), seen)));
      continue;
    }
    // Local folders (built in the image from the context) and pip options are not downloads.
    if (/^(-|\.|\/|file:)/.test(l)) continue;
    out.push(l);
  }
  return out;
}

/** The requirement lines a build needs, deduplicated, with setuptools and wheel for local builds. */
export async function requirementLines(req: RunRequirements): Promise<string[]> {
  const lines: string[] = [];
  for (const f of req.files) lines.push(...(await flatten(f, new Set())));
  lines.push(...req.lines, "setuptools", "wheel");
  return lines.filter((l, i) => lines.indexOf(l) === i);
}

export interface RunWheelhouse {
  dir: string;
  lines: string[];
  remove(): Promise<void>;
}

/** Downloads the requirements into a new temp folder; a BuildError names what the host cannot provide. */
export async function fillRunWheelhouse(req: RunRequirements, signal: AbortSignal): Promise<RunWheelhouse> {
  const dir = await mkdtemp(path.join(tmpdir(), "slimstage-wheels-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const lines = await requirementLines(req);
    const listFile = path.join(dir, ".requirements.txt");
    await writeFile(listFile, `${lines.join("\n")}\n`);
    const res = await pipDownload(dir, ["-r", listFile], signal);
    if (res.code !== 0) {
      const missing = /No matching distribution found for (\S+)/.exec(res.stderr)?.[1];
      throw new BuildError(
        missing
          ? `the host's pip index has no CPython 3.11 binary or pure-Python wheel for ${missing}`
          : `pip download on the host failed for the project's requirements:\n${res.stderr.trim().slice(-1200)}`,
        {
          hint: missing
            ? `pin a version the index has (check with \`pip download --no-deps -d /tmp/x ${missing.replace(/[<>=!~].*/, "")}\`), or drop the requirement`
            : "check the host's pip configuration (`pip config list`)",
        },
      );
    }
    await rm(listFile, { force: true });
    return { dir, lines, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
