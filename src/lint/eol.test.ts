import { describe, expect, it } from "vitest";
import { parseFromReference } from "../dockerfile/image-ref.js";
import { releasesInImage } from "./eol.js";

/** The Python or Node line an image reference names, through the parser's reading of the reference. */
function interpreterOf(text: string): Array<{ product: string; cycle: string }> {
  const ref = parseFromReference(text);
  return releasesInImage(ref.repository, ref.tag).filter(
    (r) => r.product === "python" || r.product === "node",
  );
}

describe("releasesInImage: the interpreter an image reference names", () => {
  it("reads official, third-party and combined image names", () => {
    expect(interpreterOf("python:3.9-slim")).toEqual([{ product: "python", cycle: "3.9" }]);
    expect(interpreterOf("docker.io/library/python:3.12.4-bookworm")).toEqual([
      { product: "python", cycle: "3.12" },
    ]);
    expect(interpreterOf("tiangolo/uvicorn-gunicorn-fastapi:python3.9")).toEqual([
      { product: "python", cycle: "3.9" },
    ]);
    expect(interpreterOf("nikolaik/python-nodejs:python3.10-nodejs18")).toEqual([
      { product: "python", cycle: "3.10" },
      { product: "node", cycle: "18" },
    ]);
    expect(interpreterOf("node:18-alpine")).toEqual([{ product: "node", cycle: "18" }]);
    expect(interpreterOf(`node:20@sha256:${"a".repeat(64)}`)).toEqual([{ product: "node", cycle: "20" }]);
    expect(interpreterOf("python")).toEqual([]);
    expect(interpreterOf("debian:bookworm-slim")).toEqual([]);
    expect(interpreterOf("nginx:1.25")).toEqual([]);
  });
});
