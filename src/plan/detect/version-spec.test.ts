import { describe, expect, it } from "vitest";
import { satisfies } from "./version-spec.js";

describe("interpreter ranges", () => {
  it("reads requires-python specifiers", () => {
    expect(satisfies("3.11.2", ">=3.14")).toBe(false);
    expect(satisfies("3.11.2", ">=3.9,<3.13")).toBe(true);
    expect(satisfies("3.11.2", "~=3.10")).toBe(true);
    expect(satisfies("3.11.2", "~=3.12.1")).toBe(false);
    expect(satisfies("3.11.2", "==3.11.*")).toBe(true);
    expect(satisfies("3.11.2", ">=3.8, !=3.11.*")).toBe(false);
  });
  it("reads engines.node ranges", () => {
    expect(satisfies("22.23.3", ">=20")).toBe(true);
    expect(satisfies("22.23.3", "^24.0.0")).toBe(false);
    expect(satisfies("22.23.3", "18.x || 20.x || 22.x")).toBe(true);
    expect(satisfies("22.23.3", ">=18 <21")).toBe(false);
    expect(satisfies("22.23.3", "~22.23")).toBe(true);
    expect(satisfies("22.23.3", "~22.20")).toBe(false);
    expect(satisfies("22.23.3", "22")).toBe(true);
    expect(satisfies("22.23.3", "lts/*")).toBeUndefined();
  });
});

describe("projects whose interpreter the local bases cannot provide", () => {
  it("are refused with the range and the base's version", async () => {
    const { writeFixture } = await import("../testdata/fixtures.js");
    const { detectProject } = await import("./project.js");
    const py = await writeFixture({
      "pyproject.toml":
        '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.14"\ndependencies = ["flask"]\n',
      "app.py": "print(1)\n",
    });
    const node = await writeFixture({
      "package.json":
        '{ "name": "x", "version": "1.0.0", "main": "index.js", "engines": { "node": ">=24" } }\n',
      "index.js": "console.log(1)\n",
    });
    try {
      await expect(detectProject(py.dir)).rejects.toThrow(
        "pyproject.toml requires-python asks for Python >=3.14, but the local python:3.11-slim base has 3.11.2",
      );
      await expect(detectProject(node.dir)).rejects.toThrow("package.json engines.node asks for Node >=24");
    } finally {
      await py.cleanup();
      await node.cleanup();
    }
  });
});
