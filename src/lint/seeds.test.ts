/**
 * The seed labs' Dockerfiles (our user's material, extracted into
 * testdata/seeds/) and the findings a Docker expert would give, as golden
 * files. `UPDATE_GOLDEN=1 npx vitest run src/lint/seeds.test.ts` rewrites
 * them; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintText } from "./engine.js";
import { dockerfileBlocks } from "./seed-blocks.js";
import { TODAY } from "./test-helpers/rule-cases.js";

const dir = new URL("./testdata/seeds/", import.meta.url).pathname;
const sharedSeeds = new URL("../../../shared/seeds/", import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".Dockerfile"))
  .sort();

function lint(name: string) {
  // The labs copy their sources with no .dockerignore.
  return lintText(readFileSync(dir + name, "utf8"), { file: name, now: TODAY, env: { dockerignore: null } });
}

function compact(name: string): string[] {
  return lint(name).findings.map(
    (f) => `${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.ruleId} ${f.slug}: ${f.message}`,
  );
}

describe("seed labs", () => {
  it("the fixtures are exactly the Dockerfiles in ../shared/seeds", () => {
    expect(existsSync(sharedSeeds), "../shared/seeds is beside the project").toBe(true);
    const extracted: string[] = [];
    for (const f of readdirSync(sharedSeeds).sort()) {
      dockerfileBlocks(readFileSync(sharedSeeds + f, "utf8")).forEach((b, i) => {
        const name = `${f.slice(0, 3)}-${i + 1}.Dockerfile`;
        extracted.push(name);
        expect(readFileSync(dir + name, "utf8"), name).toBe(b);
      });
    }
    expect(extracted).toEqual(files);
  });

  for (const name of files) {
    it(`${name} matches its golden findings`, () => {
      const golden = dir + name.replace(/\.Dockerfile$/, ".findings.txt");
      const actual = `${compact(name).join("\n")}\n`;
      const update = process.env.UPDATE_GOLDEN === "1";
      if (update || !existsSync(golden)) {
        writeFileSync(golden, actual);
        // A missing golden file is written for review, never taken as a pass.
        if (!update) throw new Error(`${golden} was missing and has been written: review it and run again`);
      }
      expect(actual).toBe(readFileSync(golden, "utf8"));
    });
  }

  const ids = (name: string) => lint(name).findings.map((f) => f.ruleId);
  const at = (name: string, id: string) => lint(name).findings.filter((f) => f.ruleId === id);

  it("end-of-life bases: Debian buster and Python 3.9", () => {
    for (const name of ["000-1", "000-2", "002-1", "002-2"]) {
      const msgs = at(`${name}.Dockerfile`, "SS401").map((f) => f.message);
      expect(msgs.some((m) => m.includes("Debian buster"))).toBe(true);
      expect(msgs.some((m) => m.includes("Python 3.9"))).toBe(true);
    }
    expect(at("003-1.Dockerfile", "SS401").some((f) => f.message.includes("Python 3.9"))).toBe(true);
  });

  it("lab 000: the copy of the whole site-packages duplicates the base's packages", () => {
    const f = at("000-2.Dockerfile", "SS109");
    expect(f).toHaveLength(1);
    expect(f[0]!.range.start.line).toBe(15);
    expect(f[0]!.message).toContain("site-packages");
  });

  it("lab 002: COPY --from of /app/venv that no stage creates is an error", () => {
    const f = at("002-2.Dockerfile", "SS403");
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("error");
    expect(f[0]!.message).toContain("/app/venv");
    // The other copies from the same builder exist.
    expect(f[0]!.range.start.line).toBe(18);
  });

  it("no non-root user in any lab", () => {
    for (const name of files) expect(ids(name), name).toContain("SS302");
  });

  it("pip caches in the single-stage files; none where --no-cache-dir is used", () => {
    expect(ids("000-1.Dockerfile")).toContain("SS105");
    expect(ids("002-1.Dockerfile")).not.toContain("SS105");
    expect(ids("000-2.Dockerfile")).not.toContain("SS105");
  });

  it("lab 003: the builder's pip cache is not a finding, since only /root/.local is copied onward", () => {
    // RUN pip install --user without --no-cache-dir in the builder: its cache (/root/.cache/pip) is not copied.
    expect(ids("003-1.Dockerfile")).not.toContain("SS105");
    // build-base is in the builder only.
    expect(ids("003-1.Dockerfile")).not.toContain("SS107");
  });

  it("lab 004: alpine:latest", () => {
    expect(ids("004-1.Dockerfile")).toContain("SS305");
    expect(ids("004-2.Dockerfile")).toContain("SS305");
  });
});
