// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dockerfile/shell syntax, not templates
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors.js";
import { parseDockerfile } from "./parser.js";
import { buildStageGraph } from "./stage-graph.js";

const text = `FROM python:3.11 AS base
FROM base AS deps
RUN pip wheel -w /w flask
FROM node:22 AS assets
RUN npm ci
FROM base AS test
COPY --from=deps /w /w
FROM alpine AS unused
FROM base AS final
COPY --from=deps /w /w
COPY --from=2 /dist /static
RUN --mount=type=bind,from=assets,target=/a true
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
`;

describe("buildStageGraph", () => {
  const df = parseDockerfile(text);

  it("indexes stages by name and finds dependencies", () => {
    const g = buildStageGraph(df);
    expect(g.byName).toEqual({ base: 0, deps: 1, assets: 2, test: 3, unused: 4, final: 5 });
    expect(g.target).toBe(5);
    expect(g.stages[5]?.deps.map((d) => [d.kind, d.to])).toEqual([
      ["from", 0],
      ["copy", 1],
      ["copy", 2],
      ["mount", 2],
    ]);
    expect(g.stages[5]?.externalImages).toEqual(["nginx:1.27"]);
  });

  it("marks what reaches the final image and what only contributes files", () => {
    const g = buildStageGraph(df);
    const role = g.stages.map((s) =>
      s.reachesFinalImage ? "image" : s.contributesFiles ? "files" : s.reachable ? "?" : "-",
    );
    expect(role).toEqual(["image", "files", "files", "-", "-", "image"]);
    expect(g.order.indexOf(0)).toBeLessThan(g.order.indexOf(5));
    expect(new Set(g.order)).toEqual(new Set([0, 1, 2, 5]));
  });

  it("computes reachability from another target", () => {
    const g = buildStageGraph(df, { target: "TEST" });
    expect(g.target).toBe(3);
    expect(g.stages.filter((s) => s.reachable).map((s) => s.index)).toEqual([0, 1, 3]);
    expect(g.stages[1]?.contributesFiles).toBe(true);
  });

  it("rejects an unknown target with the stage names as a hint", () => {
    try {
      buildStageGraph(df, { target: "nope" });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).message).toBe('target stage "nope" could not be found');
      expect((e as ParseError).hint).toMatch(/base, deps/);
    }
  });

  it("rejects cycles, bad indexes, variables in --from and duplicate names with locations", () => {
    const bad = (t: string) => {
      try {
        buildStageGraph(parseDockerfile(t));
      } catch (e) {
        return e as ParseError;
      }
      throw new Error("no error");
    };
    expect(bad("FROM a AS x\nCOPY --from=y / /\nFROM a AS y\nCOPY --from=x / /\n").message).toMatch(
      /circular dependency/,
    );
    expect(bad("FROM a AS x\nCOPY --from=x / /\n").message).toMatch(
      /circular dependency detected on stage: x/,
    );
    const idx = bad("FROM a\nCOPY --from=3 / /\n");
    expect(idx.message).toMatch(/invalid stage index 3/);
    expect(idx.location).toMatchObject({ line: 2, column: 6 });
    expect(idx.sourceLine).toBe("COPY --from=3 / /");
    expect(bad("FROM a AS x\nARG S=x\nCOPY --from=$S / /\n").message).toMatch(
      /variable expansion is not supported/,
    );
    expect(bad("FROM a AS x\nFROM b AS X\n").message).toMatch(/duplicate stage name/);
  });

  it("FROM only refers to earlier stages; a later name is an image", () => {
    const g = buildStageGraph(parseDockerfile("FROM later AS first\nFROM alpine AS later\n"));
    expect(g.stages[0]?.base).toEqual({ image: "later" });
  });

  it("expands global ARGs in FROM before matching stage names", () => {
    const g = buildStageGraph(parseDockerfile("ARG B=base\nFROM alpine AS base\nFROM ${B}\n"));
    expect(g.stages[1]?.base).toEqual({ stage: 0 });
    expect(g.stages.map((s) => s.reachesFinalImage)).toEqual([true, true]);
  });
});
