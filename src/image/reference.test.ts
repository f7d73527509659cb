import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseImageSource } from "./reference.js";

describe("parseImageSource", () => {
  it("defaults to the engine and keeps image tags and digests whole", () => {
    expect(parseImageSource("python:3.11-slim")).toMatchObject({
      scheme: "docker",
      target: "python:3.11-slim",
    });
    expect(parseImageSource("docker://localhost:5000/a/b:1")).toMatchObject({
      scheme: "docker",
      target: "localhost:5000/a/b:1",
    });
  });

  it("splits a :TAG off paths that do not exist as given", async () => {
    expect(parseImageSource("oci-layout:///tmp/nope-layout:v2")).toMatchObject({
      scheme: "oci-layout",
      target: "/tmp/nope-layout",
      tag: "v2",
    });
    const dir = await mkdtemp(join(tmpdir(), "ref:colon-"));
    expect(parseImageSource(`oci-layout://${dir}`)).toMatchObject({ target: dir });
    expect(parseImageSource(`oci-layout://${dir}`).tag).toBeUndefined();
    await rm(dir, { recursive: true });
    expect(parseImageSource("docker-archive://./x.tar")).toMatchObject({
      scheme: "docker-archive",
      target: "./x.tar",
    });
  });

  it("rejects unknown schemes and empty references", () => {
    expect(() => parseImageSource("s3://bucket/x")).toThrow(InputError);
    expect(() => parseImageSource("s3://bucket/x")).toThrow(/unknown image source scheme "s3:\/\/"/);
    expect(() => parseImageSource("")).toThrow(/empty/);
    expect(() => parseImageSource("oci-layout://")).toThrow(/needs a path/);
  });
});
