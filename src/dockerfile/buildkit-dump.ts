import type { Dockerfile } from "./model.js";

export function dumpBuildkit(_df: Dockerfile): string {
  throw new Error("not implemented yet");
}
