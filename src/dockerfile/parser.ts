import type { Dockerfile, Instruction, Node, ParseOptions } from "./model.js";

export function parseDockerfile(_text: string, _opts: ParseOptions = {}): Dockerfile {
  throw new Error("not implemented yet");
}

export function parseInstruction(_text: string, _opts: ParseOptions = {}): Instruction {
  throw new Error("not implemented yet");
}

export function dockerfileFromNodes(_nodes: Node[], _opts: { file?: string } = {}): Dockerfile {
  throw new Error("not implemented yet");
}
