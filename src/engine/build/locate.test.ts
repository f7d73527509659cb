import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { locateStep, scanDockerfile } from "./locate.js";

const multi = readFileSync(new URL("./testdata/Dockerfile.multi", import.meta.url), "utf8");

describe("locateStep", () => {
  it("finds steps of named and unnamed stages by position", () => {
    expect(
      locateStep(multi, {
        stage: "builder",
        index: 1,
        total: 1,
        instruction: "RUN echo building && sleep 1 && echo hello > /out.txt",
      })?.line,
    ).toBe(6);
    expect(
      locateStep(multi, { stage: "stage-2", index: 2, total: 2, instruction: "RUN echo final" })?.line,
    ).toBe(10);
    // FROM scratch makes no step: COPY is 1/2 of stage "base".
    expect(
      locateStep(multi, { stage: "base", index: 1, total: 2, instruction: "COPY busybox /bin/busybox" })
        ?.line,
    ).toBe(2);
  });

  it("matches variable-expanded and continued instructions", () => {
    const text = [
      "FROM debian AS a",
      "ENV X=1",
      "WORKDIR /app",
      "RUN echo \\",
      "   continued  $X \\",
      "   && false",
      "",
    ].join("\n");
    const hit = locateStep(text, { index: 3, total: 3, instruction: "RUN echo    continued  1    && false" });
    expect(hit?.line).toBe(4);
    expect(hit?.endLine).toBe(6);
    expect(hit?.sourceLine).toBe("RUN echo \\");
  });

  it("falls back to the text when the step count differs", () => {
    const text = ["FROM a", "ONBUILD RUN x", "RUN apt-get update", "RUN make"].join("\n");
    expect(locateStep(text, { index: 9, total: 9, instruction: "RUN make" })?.line).toBe(4);
    expect(locateStep(text, { index: 9, total: 9, instruction: "RUN nothing-like-it" })).toBeUndefined();
  });

  it("honours the escape directive and skips comments inside continuations", () => {
    const text = ["# escape=`", "FROM a", "RUN one `", "# a comment", "  two", "RUN three"].join("\n");
    const stages = scanDockerfile(text);
    expect(stages[0]?.instructions.map((i) => [i.keyword, i.line, i.text])).toEqual([
      ["FROM", 2, "FROM a"],
      ["RUN", 3, "RUN one two"],
      ["RUN", 6, "RUN three"],
    ]);
  });
});
