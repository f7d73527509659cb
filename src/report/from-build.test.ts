import { describe, expect, it } from "vitest";
import type { VariantBuildResult } from "../engine/build/variants.js";
import { ConfigError, ParseError } from "../errors.js";
import { imagesFromBuildOutput, imagesFromBuilds } from "./from-build.js";

const id = (c: string) => `sha256:${c.repeat(64)}`;

describe("imagesFromBuildOutput", () => {
  it("names images after their variant, else their first tag, else the short id", () => {
    const text = JSON.stringify({
      images: [
        { variant: "single", imageId: id("a"), tags: ["lab:single"], durationMs: 1 },
        { imageId: id("b"), tags: ["lab:multi"] },
        { imageId: id("c"), tags: [] },
      ],
    });
    expect(imagesFromBuildOutput(text)).toEqual([
      { name: "single", ref: id("a") },
      { name: "lab:multi", ref: id("b") },
      { name: "cccccccccccc", ref: id("c") },
    ]);
  });

  it("rejects what is not build output, with the place of the problem", () => {
    expect(() => imagesFromBuildOutput("{")).toThrow(ParseError);
    expect(() => imagesFromBuildOutput(JSON.stringify({ images: [] }))).toThrow(ConfigError);
    expect(() => imagesFromBuildOutput(JSON.stringify({ images: [{ imageId: "abc" }] }), "b.json")).toThrow(
      /b\.json: \/images\/0\/imageId must match pattern/,
    );
  });

  it("takes buildVariants' results as they are", () => {
    const built: VariantBuildResult = {
      variant: "multi",
      imageId: id("d"),
      tags: ["lab:multi"],
      steps: [],
      durationMs: 1,
      log: "",
    };
    expect(imagesFromBuilds([built])).toEqual([{ name: "multi", ref: id("d") }]);
  });
});
