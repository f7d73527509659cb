/**
 * requirements.txt reading: enough of pip's format to know the names of the
 * dependencies and the files a Dockerfile must copy before `pip install -r`.
 */

/** PEP 503 normalisation: lower case, runs of -_. become one dash. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export interface RequirementLine {
  /** Normalised project name, when the line names one. */
  name?: string;
  /** The line as written, without its comment. */
  text: string;
  line: number;
}

export interface ParsedRequirements {
  requirements: RequirementLine[];
  /** Files included with -r / -c, relative to the including file's folder. */
  includes: string[];
  /** Local paths installed (`.`, `-e .`, `./pkg`): the project is a package. */
  localPaths: string[];
}

const NAME = /^([A-Za-z0-9][A-Za-z0-9._-]*)/;

export function parseRequirements(text: string): ParsedRequirements {
  const out: ParsedRequirements = { requirements: [], includes: [], localPaths: [] };
  // pip joins backslash continuations before anything else.
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const inc = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (inc?.[1]) {
      out.includes.push(inc[1]);
      return;
    }
    const editable = /^(?:-e|--editable)\s+(\S+)/.exec(line);
    const target = editable?.[1] ?? line;
    if (target.startsWith(".") || target.startsWith("/") || target.startsWith("file:")) {
      out.localPaths.push(target);
      return;
    }
    if (line.startsWith("-")) return; // --index-url, --find-links, --hash-only options
    const named = /^\S+\s*@\s*\S+/.test(line) ? line.split("@")[0]?.trim() : line;
    const m = NAME.exec(named ?? "");
    const entry: RequirementLine = { text: line, line: i + 1 };
    if (m?.[1] && !/^[a-z+]+:\/\//i.test(line)) entry.name = normalizeName(m[1]);
    out.requirements.push(entry);
  });
  return out;
}

/** The name of a PEP 508 requirement string ("flask[async]>=3; python_version>'3.8'"). */
export function pep508Name(req: string): string | undefined {
  const m = NAME.exec(req.trim());
  return m?.[1] ? normalizeName(m[1]) : undefined;
}

/** Packages that only tests and tooling use: kept out of the runtime prefix. */
const TEST_ONLY = [
  /^pytest(-.*)?$/,
  /^coverage$/,
  /^mock$/,
  /^tox$/,
  /^nox$/,
  /^hypothesis$/,
  /^flake8(-.*)?$/,
  /^black$/,
  /^ruff$/,
  /^mypy$/,
  /^pylint$/,
  /^isort$/,
  /^pre-commit$/,
  /^types-.*$/,
  /^fakeredis$/,
  /^responses$/,
  /^freezegun$/,
];

export function isTestOnly(name: string): boolean {
  return TEST_ONLY.some((re) => re.test(name));
}
