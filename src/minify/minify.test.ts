import { describe, expect, it } from "vitest";
import { defaultTag, plainWords } from "./minify.js";

describe("plainWords", () => {
  it("runs a command probe without shell syntax as plain words, so the trace needs no shell", () => {
    expect(plainWords(["/bin/sh", "-c", "python app.py --port=5000"])).toEqual([
      "python",
      "app.py",
      "--port=5000",
    ]);
    expect(plainWords(["/bin/sh", "-c", 'python -c "import flask"'])).toEqual([
      "/bin/sh",
      "-c",
      'python -c "import flask"',
    ]);
    expect(plainWords(["/bin/sh", "-c", "a && b"])).toEqual(["/bin/sh", "-c", "a && b"]);
    expect(plainWords(["python", "app.py"])).toEqual(["python", "app.py"]);
  });
});

describe("defaultTag", () => {
  it("adds -minified to the repository and keeps the tag", () => {
    expect(defaultTag("slimstage-lab/lab-000:single")).toBe("slimstage-lab/lab-000-minified:single");
    expect(defaultTag("hello")).toBe("hello-minified:latest");
    expect(defaultTag("localhost:5000/app:1")).toBe("localhost:5000/app-minified:1");
    expect(defaultTag("app@sha256:abc")).toBe("app-minified:latest");
  });
});
