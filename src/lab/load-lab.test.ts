import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, InputError } from "../errors.js";
import { listLabDirs, loadLab, parseLab, resolveLabDirs } from "./load-lab.js";
import { packageRoot } from "./paths.js";

const EXAMPLES = join(packageRoot(), "examples");

describe("the examples' lab.yaml files", () => {
  it("all load and validate", async () => {
    const dirs = listLabDirs(EXAMPLES);
    expect(dirs.map((d) => d.split("/").pop())).toEqual([
      "lab-000",
      "lab-001",
      "lab-002",
      "lab-003",
      "lab-004",
      "hit-counter-ts",
    ]);
    for (const d of dirs) {
      const lab = await loadLab(d);
      expect(lab.config.name).toBe(d.split("/").pop());
      expect(lab.config.claims.length).toBeGreaterThan(0);
    }
  });

  it("state the verdict each claim is expected to get (lab-000's 'significantly smaller' is false)", async () => {
    for (const d of listLabDirs(EXAMPLES)) {
      const lab = await loadLab(d);
      for (const c of lab.config.claims) expect(typeof c.expect, `${d} ${c.id}`).toBe("boolean");
    }
    const lab000 = await loadLab(join(EXAMPLES, "lab-000"));
    expect(lab000.config.claims.find((c) => c.id === "multi-significantly-smaller")?.expect).toBe(false);
  });

  it("lab-002's lab Dockerfile is expected to fail its build with the linter's SS403", async () => {
    const lab = await loadLab(join(EXAMPLES, "lab-002"));
    const multi = lab.config.variants.find((v) => v.name === "multi")!;
    expect(multi.expect).toMatchObject({ fails: "build", diagnosis: { lint: ["SS403"] } });
  });

  it("resolves names, paths and all", () => {
    expect(resolveLabDirs("lab-000", EXAMPLES)).toEqual([join(EXAMPLES, "lab-000")]);
    expect(resolveLabDirs(join(EXAMPLES, "lab-001"), EXAMPLES)).toEqual([join(EXAMPLES, "lab-001")]);
    expect(resolveLabDirs("all", EXAMPLES)).toHaveLength(6);
    expect(() => resolveLabDirs("lab-999", EXAMPLES)).toThrow(InputError);
    expect(() => resolveLabDirs("lab-999", EXAMPLES)).toThrow(/no lab named "lab-999"/);
  });
});

describe("bad lab.yaml", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "slimstage-lab-test-"));
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
    writeFileSync(join(dir, "Dockerfile.multi"), "FROM scratch\n");
    mkdirSync(join(dir, "original"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good = `name: demo
title: A demo lab
probe:
  http: { port: 5000, path: /, status: 200, body: hello }
variants:
  - name: single
    dockerfile: Dockerfile
    expect: works
  - name: multi
    dockerfile: Dockerfile.multi
    expect: works
claims:
  - id: smaller
    text: multi is smaller
    measure: { kind: smaller, subject: multi, than: single, byAtLeast: 10% }
`;

  function error(text: string): ConfigError {
    try {
      parseLab(text, "lab.yaml", dir);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error("expected a ConfigError");
  }

  it("accepts the good one", () => {
    expect(parseLab(good, "lab.yaml", dir).variants).toHaveLength(2);
  });

  it("names a misspelt key, with its line and the keys allowed there", () => {
    const e = error(good.replace("    dockerfile: Dockerfile.multi", "    dockrfile: Dockerfile.multi"));
    expect(e.key).toBe("variants[1].dockrfile");
    expect(e.message).toMatch(/unknown key "variants\[1\]\.dockrfile"/);
    expect(e.message).toMatch(/allowed here: .*dockerfile/);
    expect(e.location).toMatchObject({ file: "lab.yaml", line: 10 });
    expect(e.sourceLine).toBe("    dockrfile: Dockerfile.multi");
  });

  it("names a missing required key", () => {
    const e = error(good.replace("    expect: works\n  - name: multi", "  - name: multi"));
    expect(e.key).toBe("variants[0]");
    expect(e.message).toMatch(/"variants\[0\]\.expect" is required/);
    expect(e.location?.line).toBe(6);
  });

  it("rejects an unknown expectation and an unknown claim kind", () => {
    expect(error(good.replace("expect: works\n  - name: multi", "expect: fine\n  - name: multi")).key).toBe(
      "variants[0].expect",
    );
    const e = error(good.replace("kind: smaller", "kind: tinier"));
    expect(e.key).toBe("claims[0].measure.kind");
    expect(e.message).toMatch(/must be one of: .*"smaller"/);
  });

  it("checks a measure's own keys by its kind", () => {
    const e = error(good.replace("subject: multi, than: single", "variant: multi, than: single"));
    expect(e.key).toMatch(/^claims\[0\]\.measure/);
  });

  it("rejects a claim about a variant that does not exist", () => {
    const e = error(good.replace("subject: multi", "subject: multii"));
    expect(e.key).toBe("claims[0].measure.subject");
    expect(e.message).toMatch(/"multii", which is not a variant/);
    expect(e.hint).toMatch(/single, multi/);
    expect(e.location?.line).toBe(15);
  });

  it("rejects a bad threshold", () => {
    expect(error(good.replace("byAtLeast: 10%", "byAtLeast: lots")).key).toBe("claims[0].measure.byAtLeast");
  });

  it("rejects duplicate variant names", () => {
    const e = error(good.replace("name: multi", "name: single"));
    expect(e.key).toBe("variants[1].name");
  });

  it("rejects a variant with both a Dockerfile and an image, or neither", () => {
    expect(
      error(
        good.replace(
          "    dockerfile: Dockerfile\n",
          "    dockerfile: Dockerfile\n    image: python:3.11-slim\n",
        ),
      ).message,
    ).toMatch(/exactly one of "dockerfile"/);
    expect(error(good.replace("    dockerfile: Dockerfile\n", "")).message).toMatch(
      /exactly one of "dockerfile"/,
    );
  });

  it("rejects a Dockerfile or compose file that does not exist", () => {
    expect(error(good.replace("dockerfile: Dockerfile.multi", "dockerfile: Dockerfile.nope")).key).toBe(
      "variants[1].dockerfile",
    );
    const e = error(
      good.replace(
        "    dockerfile: Dockerfile.multi\n",
        "    dockerfile: Dockerfile.multi\n    compose: { file: nope.yml, service: web }\n",
      ),
    );
    expect(e.key).toBe("variants[1].compose.file");
  });

  it("rejects an invalid regular expression in a diagnosis", () => {
    const e = error(
      good.replace(
        "    dockerfile: Dockerfile.multi\n    expect: works",
        "    dockerfile: Dockerfile.multi\n    expect:\n      fails: build\n      diagnosis: { build: 'a(b', explain: broken }",
      ),
    );
    expect(e.key).toBe("variants[1].expect.diagnosis.build");
    expect(e.message).toMatch(/not a valid regular expression/);
  });

  it("needs a diagnosis that can be checked", () => {
    const e = error(
      good.replace(
        "    dockerfile: Dockerfile.multi\n    expect: works",
        "    dockerfile: Dockerfile.multi\n    expect:\n      fails: verify\n      diagnosis: { explain: it breaks }",
      ),
    );
    expect(e.message).toMatch(/needs "logs"/);
  });

  it("needs a probe for a variant that must work", () => {
    const e = error(good.replace(/probe:\n {2}http: [^\n]*\n/, ""));
    expect(e.message).toMatch(/expected to work but neither it nor the lab has a probe/);
  });

  it("takes an optimize section: the project dir and the distroless size claims", () => {
    const cfg = parseLab(
      good.replace(
        "variants:\n",
        "optimize:\n  dir: original\n  distrolessAtMost: 45MB\n  distrolessAtMostNodePlus: 15 MB\nvariants:\n",
      ),
      "lab.yaml",
      dir,
    );
    expect(cfg.optimize).toEqual({
      dir: "original",
      distrolessAtMost: "45MB",
      distrolessAtMostNodePlus: "15 MB",
    });
    expect(parseLab(good, "lab.yaml", dir).optimize).toBeUndefined();
  });

  it("rejects a bad optimize section", () => {
    const with_ = (block: string) => good.replace("variants:\n", `optimize:\n${block}variants:\n`);
    expect(error(with_("  dir: nope\n")).key).toBe("optimize.dir");
    expect(error(with_("  dir: Dockerfile\n")).message).toMatch(/not a directory/);
    // A percentage has nothing to be a percentage of.
    expect(error(with_("  distrolessAtMost: 10%\n")).key).toBe("optimize.distrolessAtMost");
    expect(error(with_("  tier: slim\n")).message).toMatch(/unknown key "optimize\.tier"/);
  });

  it("keeps the optimized-* variant names for slimstage's own variants", () => {
    const e = error(good.replace("name: multi", "name: optimized-slim"));
    expect(e.key).toBe("variants[1].name");
  });

  it("reports invalid YAML with its line", () => {
    const e = error("name: demo\ntitle: [unclosed\nvariants: []\n");
    expect(e.message).toMatch(/not valid YAML/);
    expect(e.location?.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects a duplicate key", () => {
    expect(error(`name: demo\nname: again\n${good.split("\n").slice(1).join("\n")}`).message).toMatch(
      /not valid YAML/,
    );
  });

  it("says so when there is no lab.yaml", async () => {
    await expect(loadLab(join(dir, "original"))).rejects.toThrow(/no lab\.yaml/);
  });
});
