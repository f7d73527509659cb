import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { requireBuildKitClient, runBuildKitBuild } from "../engine/build/client.js";
import { localBridgeGateway } from "../engine/build/network.js";
import { connectEngine } from "../engine/connect.js";
import { findEngineImage } from "../engine/images.js";
import { untagLocalImage } from "../engine/local-images.js";
import { BuildError, InterruptedError } from "../errors.js";
import { buildBases } from "./build.js";
import { startPackageIndex } from "./index-server.js";
import type { DockerfileRecipe } from "./recipe.js";
import { debianRecipe } from "./recipes/debian.js";

const run = promisify(execFile);
const LABELS = ["--label", "org.slimstage.managed=true", "--label", "org.slimstage.test=foundation"];
const created: string[] = [];

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function runIn(image: string, ...cmd: string[]): Promise<string> {
  return docker("run", "--rm", ...LABELS, image, ...cmd);
}

afterAll(async () => {
  const conn = await connectEngine();
  for (const ref of created) await untagLocalImage(conn, ref).catch(() => false);
  // Containers and networks this file made (labels), also after a failure.
  const ids = await docker("ps", "-aq", "--filter", "label=org.slimstage.test=foundation");
  if (ids) await docker("rm", "-f", ...ids.split("\n"));
  const nets = await docker("network", "ls", "-q", "--filter", "label=org.slimstage.test=foundation");
  if (nets) await docker("network", "rm", ...nets.split("\n"));
  // Untagged results of the test builds (only this file labels images so).
  const images = await docker("images", "-q", "--filter", "label=org.slimstage.test=foundation");
  if (images) await docker("rmi", "-f", ...new Set(images.split("\n"))).catch(() => "");
});

describe("local bases", () => {
  it("a second `bases build` finds every base up to date in seconds", async () => {
    const started = Date.now();
    const results = await buildBases();
    expect(results.map((r) => r.status)).toEqual(["cached", "cached", "cached", "cached"]);
    expect(Date.now() - started).toBeLessThan(60_000);
    for (const r of results) expect(r.aliases.length).toBeGreaterThan(0);
  });

  it("each base runs", async () => {
    expect(await runIn("slimstage/debian:bookworm-slim", "apt-get", "--version")).toMatch(/^apt \d/);
    expect(await runIn("debian:bookworm-slim", "cat", "/etc/debian_version")).toMatch(/^12\./);
    expect(
      await runIn(
        "slimstage/python:3.11-slim",
        "python",
        "-c",
        "import ssl, sqlite3; print(sqlite3.sqlite_version)",
      ),
    ).toMatch(/^3\./);
    expect(
      await runIn("python:3.11-slim", "sh", "-c", "python3 --version; pip --version; echo $PYTHON_VERSION"),
    ).toMatch(/Python 3\.11\.\d[\s\S]*pip \d+[\s\S]*3\.11\./);
    expect(await runIn("slimstage/node:22-slim", "node", "-e", "console.log(process.versions.node)")).toMatch(
      /^22\./,
    );
    expect(await runIn("node:22-slim", "npm", "--version")).toMatch(/^\d+\.\d+/);
    expect(await runIn("slimstage/redis:7", "redis-server", "--version")).toMatch(/Redis server v=7\./);
  });

  it("the host's CA bundle is trusted inside the bases", async () => {
    const host = (
      await run("grep", ["-c", "BEGIN CERTIFICATE", "/etc/ssl/certs/ca-certificates.crt"])
    ).stdout.trim();
    const inDebian = await runIn(
      "debian:bookworm-slim",
      "grep",
      "-c",
      "BEGIN CERTIFICATE",
      "/etc/ssl/certs/ca-certificates.crt",
    );
    expect(inDebian).toBe(host);
    // Python installs Debian's ca-certificates; the host bundle must survive update-ca-certificates.
    const inPython = Number(
      await runIn(
        "python:3.11-slim",
        "grep",
        "-c",
        "BEGIN CERTIFICATE",
        "/etc/ssl/certs/ca-certificates.crt",
      ),
    );
    expect(inPython).toBeGreaterThanOrEqual(Number(host));
  });

  it("redis listens on every address without protected mode, like the official image", async () => {
    const net = `slimstage-foundation-${process.pid}`;
    await docker("network", "create", ...LABELS, net);
    await docker("run", "-d", ...LABELS, "--network", net, "--name", `${net}-redis`, "redis:7");
    let answer = "";
    for (let i = 0; i < 20 && answer !== "PONG"; i++) {
      answer = await docker(
        "run",
        "--rm",
        ...LABELS,
        "--network",
        net,
        "redis:7",
        "sh",
        "-c",
        `redis-cli -h ${net}-redis ping 2>&1 || true`,
      ).then(
        (s) => s,
        () => "",
      );
      if (answer !== "PONG") await new Promise((r) => setTimeout(r, 500));
    }
    // From another container: a protected-mode redis would refuse with DENIED.
    if (answer !== "PONG") answer += `\n${await docker("logs", `${net}-redis`).catch(String)}`;
    expect(answer).toBe("PONG");
    expect(await docker("exec", `${net}-redis`, "stat", "-c", "%U", "/proc/1")).toBe("redis");
  });

  it("inside a BuildKit build, `pip install flask` uses the offline index (and fails fast without it)", async () => {
    const client = await requireBuildKitClient();
    const ctx = await mkdtemp(join(tmpdir(), "slimstage-pip-"));
    const tag = `slimstage-test/foundation-pip:${process.pid}`;
    created.push(tag);
    try {
      await writeFile(join(ctx, "requirements.txt"), "flask\n");
      await writeFile(
        join(ctx, "Dockerfile"),
        "FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt && python -c 'import flask, markupsafe'\n",
      );
      // Where slimstage's builds reach it: the bridge gateway, by the name pip.conf uses.
      const gateway = await localBridgeGateway(await connectEngine());
      const index = await startPackageIndex(gateway ? { host: gateway } : {});
      try {
        const reach = gateway ? [] : ["--network", "host"];
        await runBuildKitBuild(
          client,
          [...reach, "--add-host", `slimstage-index:${index.host}`, ...LABELS, "-t", tag, ctx],
          { what: "pip test" },
        );
      } finally {
        await index.close();
      }
      expect(await runIn(tag, "python", "-c", "import flask; print(flask.__name__)")).toBe("flask");

      // Without the index (no name for it), pip fails at once with its reason.
      await writeFile(
        join(ctx, "Dockerfile"),
        "FROM python:3.11-slim\nRUN pip install --no-cache-dir requests\n",
      );
      const started = Date.now();
      const err = await runBuildKitBuild(client, ["--no-cache", ...LABELS, ctx], {
        what: "pip no index",
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BuildError);
      expect((err as BuildError).message).toMatch(/slimstage-index|No matching distribution/);
      expect(Date.now() - started).toBeLessThan(120_000);
    } finally {
      await rm(ctx, { recursive: true, force: true });
    }
  });

  it("inside a BuildKit build, `npm install` of a small package works in the node base", async () => {
    const client = await requireBuildKitClient();
    const ctx = await mkdtemp(join(tmpdir(), "slimstage-npm-"));
    try {
      await writeFile(
        join(ctx, "Dockerfile"),
        "FROM node:22-slim\nWORKDIR /app\nRUN npm init -y >/dev/null && npm install --no-audit --no-fund is-number@7 && node -e \"console.log(require('is-number')(5))\"\n",
      );
      await runBuildKitBuild(client, ["--no-cache", ...LABELS, ctx], { what: "npm test" });
    } finally {
      await rm(ctx, { recursive: true, force: true });
    }
  });

  it("a base whose build fails halfway, or is interrupted, leaves no tagged image", async () => {
    const conn = await connectEngine();
    const id = `${process.pid}-${Date.now()}`;
    const failing = (name: string, run: string): DockerfileRecipe => ({
      kind: "dockerfile",
      name: "redis",
      ref: `slimstage-test/${name}:${id}`,
      aliases: [`slimstage-test/${name}-alias:${id}`],
      parent: "debian",
      summary: "a recipe that fails on purpose",
      official: { ref: "none" },
      smoke: ["true"],
      async prepare() {
        return {
          dockerfile: `FROM slimstage/debian:bookworm-slim\nRUN echo half > /half\nRUN ${run}\n`,
          inputs: [id],
        };
      },
    });
    const refs = (name: string) => [`slimstage-test/${name}:${id}`, `slimstage-test/${name}-alias:${id}`];
    created.push(...refs("failing"), ...refs("aborted"));

    const err = await buildBases({
      recipes: [debianRecipe("bookworm"), failing("failing", "exit 7")],
      only: ["redis"],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).message).toContain("exit 7");
    for (const ref of refs("failing")) expect(await findEngineImage(ref, conn)).toBeUndefined();

    const ac = new AbortController();
    setTimeout(() => ac.abort("SIGINT"), 4000);
    const err2 = await buildBases({
      recipes: [debianRecipe("bookworm"), failing("aborted", "sleep 60")],
      only: ["redis"],
      signal: ac.signal,
    }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(InterruptedError);
    for (const ref of refs("aborted")) expect(await findEngineImage(ref, conn)).toBeUndefined();

    // The root file system path: debootstrap interrupted leaves no tree, mount or tag.
    const rootfsRef = `slimstage-test/rootfs:${id}`;
    created.push(rootfsRef);
    const ac3 = new AbortController();
    setTimeout(() => ac3.abort("SIGINT"), 5000);
    const err3 = await buildBases({
      recipes: [{ ...debianRecipe("bookworm"), ref: rootfsRef, aliases: [] }],
      force: true,
      signal: ac3.signal,
    }).catch((e: unknown) => e);
    expect(err3).toBeInstanceOf(InterruptedError);
    expect(await findEngineImage(rootfsRef, conn)).toBeUndefined();
    const { readFile, readdir } = await import("node:fs/promises");
    expect((await readFile("/proc/mounts", "utf8")).includes("slimstage-rootfs-")).toBe(false);
    expect(
      (await readdir(process.env.TMPDIR ?? "/var/tmp")).filter((f) => f.startsWith("slimstage-rootfs-")),
    ).toEqual([]);

    const leftovers = await docker("images", "--format", "{{.Repository}}:{{.Tag}}", "slimstage-tmp/redis");
    expect(leftovers.split("\n").filter((l) => l.endsWith(`-${process.pid}`))).toEqual([]);
  });
});
