import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { pythonVersionOf, runIndexPort } from "./run-index.js";

describe("the per-run package index port", () => {
  it("is a free port (0) unless SLIMSTAGE_RUN_INDEX_PORT pins one", () => {
    expect(runIndexPort({})).toBe(0);
    expect(runIndexPort({ SLIMSTAGE_RUN_INDEX_PORT: "" })).toBe(0);
    expect(runIndexPort({ SLIMSTAGE_RUN_INDEX_PORT: "3142" })).toBe(3142);
  });

  it("refuses a value that is not a port", () => {
    for (const bad of ["x", "0", "70000", "31.5"]) {
      expect(() => runIndexPort({ SLIMSTAGE_RUN_INDEX_PORT: bad })).toThrow(InputError);
    }
  });
});

describe("the base image's interpreter", () => {
  it("is its PYTHON_VERSION when that is a full release version", () => {
    expect(pythonVersionOf(["PATH=/usr/bin", "PYTHON_VERSION=3.11.2"])).toBe("3.11.2");
    expect(pythonVersionOf(["PYTHON_VERSION=3.13.0rc1"])).toBeUndefined();
    expect(pythonVersionOf(["LANG=C.UTF-8"])).toBeUndefined();
  });
});
