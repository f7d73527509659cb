/** Folders an app's settings say it writes to (detect/python.ts writableSettings). */
import { describe, expect, it } from "vitest";
import { absoluteIn } from "../templates/production.js";
import { writableSettings } from "./python.js";

const sqlite = (name: string) =>
  `DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n        "NAME": ${name},\n    }\n}\n`;

describe("writable folders from settings", () => {
  it("MEDIA_ROOT and UPLOAD_FOLDER as literal folders", () => {
    expect(writableSettings('MEDIA_ROOT = BASE_DIR / "media"\n')).toEqual([
      { name: "MEDIA_ROOT", path: "media" },
    ]);
    expect(writableSettings("app.config['UPLOAD_FOLDER'] = 'uploads'\n")).toEqual([
      { name: "UPLOAD_FOLDER", path: "uploads" },
    ]);
  });

  it("a Django SQLite database: the folder of its file (SQLite writes a journal beside it)", () => {
    expect(writableSettings(sqlite("os.path.join(BASE_DIR, 'db.sqlite3')"))).toEqual([
      { name: "DATABASES NAME db.sqlite3 (SQLite)", path: "." },
    ]);
    expect(writableSettings(sqlite('BASE_DIR / "data" / "db.sqlite3"'))).toEqual([
      { name: "DATABASES NAME data/db.sqlite3 (SQLite)", path: "data" },
    ]);
    expect(writableSettings(sqlite('"db.sqlite3"'))[0]?.path).toBe(".");
    // Another engine, or a path outside the app: nothing.
    expect(writableSettings(sqlite('"db.sqlite3"').replace("sqlite3", "postgresql"))).toEqual([]);
    expect(writableSettings(sqlite('"/var/lib/app/db.sqlite3"'))).toEqual([]);
  });

  it("absoluteIn spells one folder one way", () => {
    expect(absoluteIn("/app", ".")).toBe("/app");
    expect(absoluteIn("/app/", "./media/")).toBe("/app/media");
    expect(absoluteIn("/app", "/data")).toBe("/data");
  });
});

describe("writable folders in the runtime stage", () => {
  it("the app folder itself is made owned by the app user before WORKDIR; a sub-folder after it", async () => {
    const { planFiles } = await import("../templates/index.js");
    const { detectProject } = await import("./project.js");
    const { writeFixture } = await import("../testdata/fixtures.js");
    const fx = await writeFixture({
      "requirements.txt": "flask==3.1.3\n",
      "app.py":
        "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(port=5000)\n",
    });
    try {
      const project = await detectProject(fx.dir);
      for (const tier of ["slim", "distroless"] as const) {
        const text = planFiles(project, tier, {
          writable: [
            { path: "/app", source: "SQLite" },
            { path: "/app/media", source: "MEDIA_ROOT" },
          ],
        }).dockerfile;
        const runtime = text.slice(text.lastIndexOf("AS runtime"));
        const own = runtime.indexOf("--chown=10001:10001 /opt/slimstage/empty/ /app/\n");
        const workdir = runtime.indexOf("WORKDIR /app\n");
        const media = runtime.indexOf("/opt/slimstage/empty/ /app/media/");
        expect(own, tier).toBeGreaterThan(0);
        expect(own, tier).toBeLessThan(workdir);
        expect(media, tier).toBeGreaterThan(workdir);
      }
    } finally {
      await fx.cleanup();
    }
  });
});
