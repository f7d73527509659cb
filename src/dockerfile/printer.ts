import type { Dockerfile, Instruction } from "./model.js";

export function printDockerfile(_df: Dockerfile): string {
  throw new Error("not implemented yet");
}

export function printInstruction(_ins: Instruction): string {
  throw new Error("not implemented yet");
}
