/**
 * Loads an example's lab.yaml: YAML with positions (yaml), the schema (ajv),
 * then the cross-checks a schema cannot express (names that refer to
 * variants, regular expressions that compile, files that exist). Every
 * problem is a ConfigError naming the key and, where it has one, the line.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { type Document, isMap, isSeq, type LineCounter, type Node } from "yaml";
import { ConfigError, InputError, type SourceLocation } from "../errors.js";
import { readYaml } from "../yaml-input.js";
import { claimVariants, type Lab, type LabConfig } from "./lab-config.js";
import { LAB_SCHEMA } from "./lab-schema.js";

export const LAB_FILE = "lab.yaml";

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(LAB_SCHEMA);

type PathSeg = string | number;

/** `variants[1].expect.diagnosis` from ["variants", 1, "expect", "diagnosis"]. */
export function keyPath(segs: readonly PathSeg[]): string {
  let out = "";
  for (const s of segs) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out || "(top level)";
}

function pointerSegs(pointer: string): PathSeg[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

interface Located {
  location?: SourceLocation;
  sourceLine?: string;
}

/** Finds the node at `segs`; with `keyOf`, the key node of that entry (for unknown keys). */
function locate(
  doc: Document.Parsed,
  lc: LineCounter,
  text: string,
  file: string,
  segs: readonly PathSeg[],
  keyOf?: string,
): Located {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  const all = keyOf === undefined ? segs : [...segs, keyOf];
  for (const [i, seg] of all.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) break;
      const last = i === all.length - 1;
      const target = (last && keyOf !== undefined ? pair.key : pair.value) as Node | null;
      if (target && (target as { range?: unknown }).range) best = target;
      else if ((pair.key as Node | null)?.range) best = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      if (item.range) best = item;
      node = item;
    } else break;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return {};
  const pos = lc.linePos(offset);
  return {
    location: { file, line: pos.line, column: pos.col },
    sourceLine: text.split(/\r?\n/)[pos.line - 1] ?? "",
  };
}

/** The most telling ajv error: unknown/missing keys and wrong types before oneOf/if summaries. */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) =>
    ["additionalProperties", "required", "enum", "const", "type", "pattern"].includes(e.keyword) ? 0 : 1;
  const first = [...errors].sort(
    (a, b) => rank(a) - rank(b) || b.instancePath.split("/").length - a.instancePath.split("/").length,
  )[0];
  if (first === undefined) throw new Error("internal: a failed validation with no errors");
  return first;
}

function describe(e: ErrorObject): { segs: PathSeg[]; keyOf?: string; message: string } {
  const segs = pointerSegs(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(schemaAt(segs)?.properties ?? {});
      return {
        segs,
        keyOf: key,
        message: `unknown key "${keyPath([...segs, key])}"${allowed.length ? ` (allowed here: ${allowed.join(", ")})` : ""}`,
      };
    }
    case "required":
      return { segs, message: `"${keyPath([...segs, String(p.missingProperty)])}" is required` };
    case "enum":
    case "const": {
      const allowed = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
      return {
        segs,
        message: `"${keyPath(segs)}" must be one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    }
    default:
      return { segs, message: `"${keyPath(segs)}" ${e.message ?? "is invalid"}` };
  }
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  allOf?: Array<{ then?: SchemaNode; if?: { properties?: { kind?: { const?: string } } } }>;
}

/** The schema node for a data path (best effort, for listing the allowed keys). */
function schemaAt(segs: readonly PathSeg[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = LAB_SCHEMA as unknown as SchemaNode;
  for (const seg of segs) {
    if (!node) return undefined;
    if (typeof seg === "number") node = node.items;
    else {
      const next: SchemaNode | undefined =
        node.properties?.[seg] ?? node.oneOf?.find((o) => o.properties?.[seg])?.properties?.[seg];
      node = next?.oneOf?.find((o) => o.properties) ?? next;
    }
  }
  return node;
}

/** Parses and checks lab.yaml text. `dir` is where relative paths in it are resolved. */
export function parseLab(text: string, file: string, dir: string): LabConfig {
  const {
    doc,
    lineCounter: lc,
    data,
  } = readYaml(text, file, {
    invalid: `${LAB_FILE} is not valid YAML`,
    uniqueKeys: true,
  });
  const fail = (segs: readonly PathSeg[], message: string, keyOf?: string, hint?: string): never => {
    const at = locate(doc, lc, text, file, segs, keyOf);
    const key = keyPath(keyOf === undefined ? segs : [...segs, keyOf]);
    throw new ConfigError(message, {
      key,
      location: at.location ?? { file, line: 1, column: 1 },
      ...(at.sourceLine !== undefined ? { sourceLine: at.sourceLine } : {}),
      ...(hint ? { hint } : {}),
    });
  };

  if (!validate(data)) {
    const e = describe(pickError(validate.errors ?? []));
    return fail(e.segs, e.message, e.keyOf);
  }
  const cfg = data as unknown as LabConfig;
  const optDir = cfg.optimize?.dir;
  if (
    optDir !== undefined &&
    !(existsSync(resolve(dir, optDir)) && statSync(resolve(dir, optDir)).isDirectory())
  ) {
    fail(["optimize", "dir"], `optimize dir "${optDir}" is not a directory in ${dir}`);
  }
  const names = new Map<string, number>();
  cfg.variants.forEach((v, i) => {
    if (v.name.startsWith("optimized-")) {
      fail(
        ["variants", i, "name"],
        `variant names starting with "optimized-" are slimstage's own optimize variants`,
      );
    }
    if (names.has(v.name)) fail(["variants", i, "name"], `variant name "${v.name}" is used twice`);
    names.set(v.name, i);
    if ((v.dockerfile === undefined) === (v.image === undefined)) {
      fail(
        ["variants", i],
        `variant "${v.name}" needs exactly one of "dockerfile" (to build) or "image" (used as it is)`,
      );
    }
    if (v.image !== undefined && (v.target || v.context || v.buildArgs)) {
      fail(
        ["variants", i],
        `variant "${v.name}" uses an image as it is: target, context and buildArgs do not apply`,
      );
    }
    if (v.image !== undefined && typeof v.expect === "object" && v.expect.fails === "build") {
      fail(
        ["variants", i, "expect"],
        `variant "${v.name}" is not built, so it cannot be expected to fail its build`,
      );
    }
    for (const key of ["dockerfile", "context"] as const) {
      const rel = v[key];
      if (rel !== undefined && !existsSync(resolve(dir, rel))) {
        fail(["variants", i, key], `${key} "${rel}" of variant "${v.name}" does not exist in ${dir}`);
      }
    }
    if (v.compose && !existsSync(resolve(dir, v.compose.file))) {
      fail(["variants", i, "compose", "file"], `compose file "${v.compose.file}" does not exist in ${dir}`);
    }
    const probe = v.probe === undefined ? cfg.probe : v.probe;
    if (probe?.http && probe.command) {
      fail(["variants", i, "probe"], "a probe is either http or command, not both");
    }
    if (typeof v.expect === "object") {
      const d = v.expect.diagnosis;
      for (const key of ["build", "logs"] as const) {
        const src = d[key];
        if (src !== undefined)
          checkRegex(src, () =>
            fail(["variants", i, "expect", "diagnosis", key], `not a valid regular expression: ${src}`),
          );
      }
      if (v.expect.fails === "build" && d.build === undefined && d.lint === undefined) {
        fail(
          ["variants", i, "expect", "diagnosis"],
          `a build failure needs a diagnosis to check: "build" (regex) and/or "lint" (rule ids)`,
        );
      }
      if (v.expect.fails === "verify" && d.logs === undefined) {
        fail(
          ["variants", i, "expect", "diagnosis"],
          `a verify failure needs "logs": the regex its logs must match`,
        );
      }
      if (v.expect.fails === "verify" && !probe) {
        fail(
          ["variants", i, "expect"],
          `variant "${v.name}" is expected to fail verification but has no probe`,
        );
      }
    } else if (v.expect === "works" && probe === undefined) {
      fail(["variants", i], `variant "${v.name}" is expected to work but neither it nor the lab has a probe`);
    }
  });
  for (const [i, rel] of (cfg.original ?? []).entries()) {
    if (!existsSync(resolve(dir, rel)))
      fail(["original", i], `original file "${rel}" does not exist in ${dir}`);
  }
  if (cfg.probe?.http && cfg.probe.command) fail(["probe"], "a probe is either http or command, not both");
  if (cfg.baseline !== undefined && !names.has(cfg.baseline)) {
    fail(
      ["baseline"],
      `baseline "${cfg.baseline}" is not a variant`,
      undefined,
      `variants: ${[...names.keys()].join(", ")}`,
    );
  }
  const ids = new Set<string>();
  cfg.claims.forEach((c, i) => {
    if (ids.has(c.id)) fail(["claims", i, "id"], `claim id "${c.id}" is used twice`);
    ids.add(c.id);
    const m = c.measure;
    for (const [key, value] of Object.entries(m)) {
      const refs =
        key === "smallestFirst"
          ? (value as string[])
          : ["subject", "than", "variant"].includes(key)
            ? [value as string]
            : [];
      refs.forEach((ref, j) => {
        if (!names.has(ref)) {
          const segs: PathSeg[] =
            key === "smallestFirst" ? ["claims", i, "measure", key, j] : ["claims", i, "measure", key];
          fail(
            segs,
            `claim "${c.id}" refers to "${ref}", which is not a variant`,
            undefined,
            `variants: ${[...names.keys()].join(", ")}`,
          );
        }
      });
    }
    if (new Set(claimVariants(m)).size !== claimVariants(m).length) {
      fail(["claims", i, "measure"], `claim "${c.id}" compares a variant with itself`);
    }
    if ((m.kind === "contains" || m.kind === "lacks") && !m.packages && !m.categories) {
      fail(["claims", i, "measure"], `claim "${c.id}" needs "packages" and/or "categories" to look for`);
    }
    if (m.kind === "build-step") {
      const vi = names.get(m.variant);
      const v = vi === undefined ? undefined : cfg.variants[vi];
      if (v === undefined) throw new Error(`internal: claim variant "${m.variant}" passed the name check`);
      if (!v.dockerfile)
        fail(["claims", i, "measure", "variant"], `claim "${c.id}": variant "${m.variant}" is not built`);
      checkRegex(m.step, () =>
        fail(["claims", i, "measure", "step"], `not a valid regular expression: ${m.step}`),
      );
      if (m.output !== undefined) {
        const out = m.output;
        checkRegex(out, () =>
          fail(["claims", i, "measure", "output"], `not a valid regular expression: ${out}`),
        );
      }
    }
  });
  return cfg;
}

function checkRegex(src: string, onBad: () => never): void {
  try {
    new RegExp(src);
  } catch {
    onBad();
  }
}

/** Loads `<dir>/lab.yaml`. */
export async function loadLab(dir: string): Promise<Lab> {
  const abs = resolve(dir);
  const file = join(abs, LAB_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(`no ${LAB_FILE} in ${dir}`, {
      hint: "a lab is a directory with a lab.yaml (see docs/labs.md)",
    });
  }
  const shown = relative(process.cwd(), file) || file;
  return { dir: abs, file, config: parseLab(text, shown, abs) };
}

/** The labs under an examples directory: every direct subdirectory with a lab.yaml. */
export function listLabDirs(examplesDir: string): string[] {
  if (!existsSync(examplesDir)) return [];
  return (
    readdirSync(examplesDir)
      .filter(
        (n) => statSync(join(examplesDir, n)).isDirectory() && existsSync(join(examplesDir, n, LAB_FILE)),
      )
      // The seed labs in their order first, then the other examples.
      .sort((a, b) => Number(b.startsWith("lab-")) - Number(a.startsWith("lab-")) || a.localeCompare(b))
      .map((n) => join(examplesDir, n))
  );
}

/**
 * Resolves what the user typed: a directory holding a lab.yaml, or the name
 * of an example under `examplesDir`; "all" is every example.
 */
export function resolveLabDirs(nameOrPath: string, examplesDir: string): string[] {
  const all = listLabDirs(examplesDir);
  if (nameOrPath === "all") {
    if (all.length === 0) throw new InputError(`no labs found under ${examplesDir}`);
    return all;
  }
  const asPath = resolve(nameOrPath);
  if (existsSync(join(asPath, LAB_FILE))) return [asPath];
  const named = join(examplesDir, nameOrPath);
  if (existsSync(join(named, LAB_FILE))) return [named];
  throw new InputError(`no lab named "${nameOrPath}"`, {
    hint: `labs: ${all.map((d) => d.split("/").pop()).join(", ") || "(none)"}, or a directory with a ${LAB_FILE}`,
  });
}
