import { describe, expect, it } from "vitest";
import { interpreterOfImage, readExistingDockerfile } from "./existing.js";

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

describe("the interpreter a base image names", () => {
  it("reads official, third-party and combined image names", () => {
    expect(interpreterOfImage("python:3.9-slim")).toEqual({ kind: "python", version: "3.9" });
    expect(interpreterOfImage("docker.io/library/python:3.12.4-bookworm")).toEqual({
      kind: "python",
      version: "3.12",
    });
    expect(interpreterOfImage("tiangolo/uvicorn-gunicorn-fastapi:python3.9")).toEqual({
      kind: "python",
      version: "3.9",
    });
    expect(interpreterOfImage("nikolaik/python-nodejs:python3.10-nodejs18")).toEqual({
      kind: "python",
      version: "3.10",
    });
    expect(interpreterOfImage("node:18-alpine")).toEqual({ kind: "node", version: "18" });
    expect(interpreterOfImage(`NODE:20@sha256:${"a".repeat(64)}`)).toEqual({ kind: "node", version: "20" });
    expect(interpreterOfImage("python")).toBeUndefined();
    expect(interpreterOfImage("debian:bookworm-slim")).toBeUndefined();
    expect(interpreterOfImage("nginx:1.25")).toBeUndefined();
  });
});
