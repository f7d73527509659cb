import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { parseReference } from "./reference.js";

describe("parseReference", () => {
  it("defaults to the engine and keeps image tags and digests whole", () => {
    expect(parseReference("python:3.11-slim")).toMatchObject({
      scheme: "docker",
      target: "python:3.11-slim",
    });
    expect(parseReference("docker://localhost:5000/a/b:1")).toMatchObject({
      scheme: "docker",
      target: "localhost:5000/a/b:1",
    });
  });

  it("splits a :TAG off paths that do not exist as given", async () => {
    expect(parseReference("oci-layout:///tmp/nope-layout:v2")).toMatchObject({
      scheme: "oci-layout",
      target: "/tmp/nope-layout",
      tag: "v2",
    });
    const dir = await mkdtemp(join(tmpdir(), "ref:colon-"));
    expect(parseReference(`oci-layout://${dir}`)).toMatchObject({ target: dir });
    expect(parseReference(`oci-layout://${dir}`).tag).toBeUndefined();
    await rm(dir, { recursive: true });
    expect(parseReference("docker-archive://./x.tar")).toMatchObject({
      scheme: "docker-archive",
      target: "./x.tar",
    });
  });

  it("rejects unknown schemes and empty references", () => {
    expect(() => parseReference("s3://bucket/x")).toThrow(InputError);
    expect(() => parseReference("s3://bucket/x")).toThrow(/unknown image source scheme "s3:\/\/"/);
    expect(() => parseReference("")).toThrow(/empty/);
    expect(() => parseReference("oci-layout://")).toThrow(/needs a path/);
  });
});
