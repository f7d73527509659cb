import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { probePackageIndex, startPackageIndex } from "./index-server.js";
import { parseWheelhouseList, projectOfWheel } from "./wheelhouse.js";

// A port of its own, so the test never meets a real build's index on 3141.
const PORT = 31_000 + (process.pid % 2000);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-index-test-"));
  await writeFile(join(dir, "Flask-3.1.0-py3-none-any.whl"), "flask wheel bytes");
  await writeFile(join(dir, "markupsafe-3.0.2-cp311-cp311-manylinux_2_17_x86_64.whl"), "ms");
  await writeFile(join(dir, "notes.txt"), "not a wheel");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

describe("startPackageIndex", () => {
  it("serves a find-links listing, a PEP 503 index and the wheels, then closes", async () => {
    const index = await startPackageIndex({ dir, port: PORT });
    try {
      expect(index.url).toBe(`http://127.0.0.1:${PORT}/`);
      expect(index.owned).toBe(true);
      const root = await get(index.url);
      expect(root.status).toBe(200);
      expect(root.text).toContain('<a href="Flask-3.1.0-py3-none-any.whl">');
      expect(root.text).not.toContain("notes.txt");
      const simple = await get(`${index.url}simple/`);
      expect(simple.text).toContain('href="flask/"');
      expect(simple.text).toContain('href="markupsafe/"');
      const project = await get(`${index.url}simple/Flask/`);
      expect(project.text).toContain('href="../../Flask-3.1.0-py3-none-any.whl"');
      expect((await get(`${index.url}simple/nothing/`)).status).toBe(404);
      const wheel = await get(`${index.url}Flask-3.1.0-py3-none-any.whl`);
      expect(wheel.text).toBe("flask wheel bytes");
      expect((await get(`${index.url}notes.txt`)).status).toBe(404);
      expect((await get(`${index.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    } finally {
      await index.close();
    }
    expect(await probePackageIndex(PORT, 500)).toBe(false);
  });

  it("reuses an index another process already serves, and takes the port over when it stops", async () => {
    const first = await startPackageIndex({ dir, port: PORT });
    const second = await startPackageIndex({ dir, port: PORT });
    try {
      expect(second.owned).toBe(false);
      await first.close();
      // The second one notices within about a second and serves itself.
      let up = false;
      for (let i = 0; i < 30 && !up; i++) {
        await new Promise((r) => setTimeout(r, 200));
        up = await probePackageIndex(PORT, 300);
      }
      expect(up).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
    expect(await probePackageIndex(PORT, 500)).toBe(false);
  });

  it("closes when the signal fires", async () => {
    const ac = new AbortController();
    await startPackageIndex({ dir, port: PORT, signal: ac.signal });
    expect(await probePackageIndex(PORT)).toBe(true);
    ac.abort();
    await new Promise((r) => setTimeout(r, 100));
    expect(await probePackageIndex(PORT, 500)).toBe(false);
  });

  it("refuses a wheelhouse that does not exist", async () => {
    await expect(startPackageIndex({ dir: join(dir, "missing"), port: PORT })).rejects.toBeInstanceOf(
      EngineError,
    );
  });
});

describe("wheelhouse helpers", () => {
  it("normalises project names of wheel files", () => {
    expect(projectOfWheel("Flask-3.1.0-py3-none-any.whl")).toBe("flask");
    expect(projectOfWheel("python_dotenv-1.0-py3-none-any.whl")).toBe("python-dotenv");
  });
  it("reads the list without comments and blanks", () => {
    expect(parseWheelhouseList("# c\nflask\n\n  redis  # client\n")).toEqual(["flask", "redis"]);
  });
});
