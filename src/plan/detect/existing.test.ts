import { describe, expect, it } from "vitest";
import { readExistingDockerfile } from "./existing.js";

describe("the project's own Dockerfile", () => {
  it("reads EXPOSE through ARG and ENV, and puts Node's inspector ports last", () => {
    // The react-express-mysql backend shape: the app's port is an ARG, the debugger's are literal.
    const d = readExistingDockerfile(
      'FROM node:22-slim\nARG PORT=80\nENV PORT $PORT\nEXPOSE $PORT 9229 9230\nCMD ["node", "index.js"]\n',
      "Dockerfile",
    );
    expect(d.ports).toEqual([80, 9229, 9230]);
    expect(
      readExistingDockerfile("FROM node:22-slim\nEXPOSE 9229 3000/tcp 8000-8002\n", "Dockerfile").ports,
    ).toEqual([3000, 8000, 9229]);
  });
});
