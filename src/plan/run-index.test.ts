import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { runIndexPort } from "./run-index.js";

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
