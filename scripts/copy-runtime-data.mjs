#!/usr/bin/env node
// Copies the data files that compiled code reads at run time from src/ into
// dist/, beside the module that reads them (tsc copies only imported JSON).
// Each module locates its file relative to itself (`new URL("./x", import.meta.url)`),
// so the same code works from src/ (tsx) and from dist/ (the npm package).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Paths under src/ that are read at run time, not imported. */
export const RUNTIME_DATA = ["bases/wheelhouse.txt", "bases/wheel-markers.py"];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const rel of RUNTIME_DATA) {
  const to = join(root, "dist", rel);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(root, "src", rel), to);
}
