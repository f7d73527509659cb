/** Validation of BuildKit's instruction flags (`--from=`, `--link`, ...). */
import type { Flag } from "./model.js";

export type FlagKind = "string" | "bool" | "multi";

/** Flags each instruction accepts, as BuildKit's instructions package defines them. */
export const ALLOWED_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagKind>>>> = {
  FROM: { platform: "string" },
  RUN: { mount: "multi", network: "string", security: "string", device: "multi" },
  COPY: { from: "string", chown: "string", chmod: "string", link: "bool", parents: "bool", exclude: "multi" },
  ADD: {
    chown: "string",
    chmod: "string",
    link: "bool",
    "keep-git-dir": "bool",
    checksum: "string",
    exclude: "multi",
    unpack: "bool",
  },
  HEALTHCHECK: {
    interval: "string",
    timeout: "string",
    "start-period": "string",
    "start-interval": "string",
    retries: "string",
  },
};

export interface FlagProblem {
  message: string;
  flag: Flag;
}

/** Checks flags of one instruction; returns the problems (unknown, duplicate, bad boolean, missing value). */
export function checkFlags(keyword: string, flags: readonly Flag[]): FlagProblem[] {
  const allowed = ALLOWED_FLAGS[keyword] ?? {};
  const seen = new Set<string>();
  const problems: FlagProblem[] = [];
  for (const f of flags) {
    const kind = allowed[f.name];
    if (!kind) {
      problems.push({ message: `unknown flag: ${f.name}`, flag: f });
      continue;
    }
    if (kind !== "multi" && seen.has(f.name)) {
      problems.push({ message: `Duplicate flag specified: ${f.name}`, flag: f });
    }
    seen.add(f.name);
    if (kind === "bool") {
      if (f.value !== null && !/^(true|false)$/i.test(f.value)) {
        problems.push({ message: `expecting boolean value for flag ${f.name}, not: ${f.value}`, flag: f });
      }
    } else if (f.value === null) {
      problems.push({ message: `missing a value on flag: ${f.name}`, flag: f });
    }
  }
  return problems;
}

export function flagString(flags: readonly Flag[], name: string): string | undefined {
  let v: string | undefined;
  for (const f of flags) if (f.name === name && f.value !== null) v = f.value;
  return v;
}

export function flagBool(flags: readonly Flag[], name: string): boolean {
  let v = false;
  for (const f of flags) if (f.name === name) v = f.value === null || f.value.toLowerCase() === "true";
  return v;
}

export function flagAll(flags: readonly Flag[], name: string): string[] {
  return flags.filter((f) => f.name === name && f.value !== null).map((f) => f.value as string);
}
