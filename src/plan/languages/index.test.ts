import { describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { detectProject } from "../detect/project.js";
import { writeFixture } from "../testdata/fixtures.js";
import { LANGUAGES, languageOf } from "./index.js";

describe("the language registry", () => {
  it("has one entry per project kind, each with a manifest and a keep-alive command", () => {
    const kinds = LANGUAGES.map((l) => l.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const l of LANGUAGES) {
      expect(l.manifests.length).toBeGreaterThan(0);
      expect(l.keepAlive.length).toBeGreaterThan(0);
    }
  });

  it("detection goes through it: a folder two languages claim is ambiguous, each alone is its language", async () => {
    const both = await writeFixture({
      "package.json": '{"name":"x"}',
      "requirements.txt": "flask==3.1.3\n",
      "app.py": "",
    });
    try {
      const e = await detectProject(both.dir).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(
        /holds a Python and a Node project: the project type is ambiguous/,
      );
    } finally {
      await both.cleanup();
    }
    const py = await writeFixture({ "requirements.txt": "flask==3.1.3\n", "app.py": "print(1)\n" });
    try {
      const p = await detectProject(py.dir);
      expect(languageOf(p).name).toBe("Python");
    } finally {
      await py.cleanup();
    }
  });
});
