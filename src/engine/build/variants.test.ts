import { describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { buildVariants, parseVariantSpec } from "./variants.js";

describe("parseVariantSpec", () => {
  it("reads NAME=FILE and NAME=FILE:TARGET relative to the context", () => {
    expect(parseVariantSpec("single=Dockerfile.single", "examples/lab-000")).toEqual({
      name: "single",
      context: "examples/lab-000",
      dockerfile: "examples/lab-000/Dockerfile.single",
    });
    expect(parseVariantSpec("multi=/abs/Dockerfile:runtime", "app/")).toEqual({
      name: "multi",
      context: "app/",
      dockerfile: "/abs/Dockerfile",
      target: "runtime",
    });
  });

  it("rejects malformed specs", () => {
    expect(() => parseVariantSpec("Dockerfile", ".")).toThrow(/NAME=FILE/);
    expect(() => parseVariantSpec("=Dockerfile", ".")).toThrow(/NAME=FILE/);
    expect(() => parseVariantSpec("a=", ".")).toThrow(/NAME=FILE/);
    expect(() => parseVariantSpec("a=Dockerfile:", ".")).toThrow(/empty target/);
  });
});

describe("buildVariants input checks (before any build starts)", () => {
  it("rejects bad and duplicate names", async () => {
    await expect(
      buildVariants([{ name: "bad name", context: ".", dockerfile: "Dockerfile" }]),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      buildVariants([
        { name: "a", context: ".", dockerfile: "x" },
        { name: "a", context: ".", dockerfile: "y" },
      ]),
    ).rejects.toThrow(/given twice/);
  });
});
