/**
 * `slimstage clean` on real labelled resources: a container and a network
 * made here with a random run id (as a run killed with SIGKILL leaves them),
 * and a stale temp dir in a private TMPDIR. Scoped with --run so that other
 * runs on the shared engine are never touched.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/cli.js";
import { MANAGED_LABEL, OWNER_LABEL, RUN_LABEL } from "./cleanup.js";
import { connectEngine, type EngineConnection } from "./connect.js";

const IMAGE = "slimstage/debian:bookworm-slim";
const runId = `test-${randomBytes(4).toString("hex")}`;
let engine: EngineConnection;
let containerId = "";
let liveContainerId = "";
let networkId = "";
let tmpRoot = "";
let staleDir = "";
let freshDir = "";

beforeAll(async () => {
  engine = await connectEngine();
  const labels = { [MANAGED_LABEL]: "true", [RUN_LABEL]: runId };
  const net = await engine.docker.createNetwork({ Name: `slimstage-clean-${runId}`, Labels: labels });
  networkId = net.id;
  const c = await engine.docker.createContainer({
    Image: IMAGE,
    Cmd: ["true"],
    name: `slimstage-clean-${runId}`,
    Labels: labels,
  });
  containerId = c.id;
  // Owned by this (live) test process: clean must leave it alone.
  const live = await engine.docker.createContainer({
    Image: IMAGE,
    Cmd: ["true"],
    name: `slimstage-clean-live-${runId}`,
    Labels: { ...labels, [OWNER_LABEL]: `${(await import("node:os")).hostname()}/${process.pid}` },
  });
  liveContainerId = live.id;
  tmpRoot = mkdtempSync(join(tmpdir(), "clean-test-root-"));
  staleDir = join(tmpRoot, "slimstage-build-stale");
  freshDir = join(tmpRoot, "slimstage-build-fresh");
  mkdirSync(staleDir);
  mkdirSync(freshDir);
  const old = new Date(Date.now() - 3 * 60 * 60 * 1000);
  utimesSync(staleDir, old, old);
}, 60_000);

afterAll(async () => {
  for (const id of [containerId, liveContainerId])
    await engine.docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  await engine.docker
    .getNetwork(networkId)
    .remove()
    .catch(() => undefined);
  rmSync(tmpRoot, { recursive: true, force: true });
});

interface Listed {
  dryRun: boolean;
  found: Array<{ kind: string; id: string; name: string; run?: string }>;
  removed: Array<{ kind: string; id: string }>;
  kept: Array<{ kind: string; id: string; reason: string }>;
}

const clean = async (...args: string[]) => {
  const r = await runCli(["clean", "--run", runId, "--json", ...args], { env: { TMPDIR: tmpRoot } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed;
};

const exists = (p: Promise<unknown>) =>
  p.then(
    () => true,
    () => false,
  );

describe("slimstage clean", () => {
  it("lists labelled leftovers and stale temp dirs without removing anything by default", async () => {
    const r = await clean();
    expect(r.dryRun).toBe(true);
    const ids = r.found.map((f) => `${f.kind}:${f.id}`).sort();
    expect(ids).toEqual([`container:${containerId}`, `network:${networkId}`, `temp-dir:${staleDir}`].sort());
    expect(r.found.find((f) => f.kind === "container")?.run).toBe(runId);
    expect(r.kept.map((k) => k.id)).toEqual([liveContainerId]);
    expect(r.kept[0]?.reason).toMatch(/still going/);
    expect(r.removed).toEqual([]);
    expect(await exists(engine.docker.getContainer(containerId).inspect())).toBe(true);
    expect(existsSync(staleDir)).toBe(true);
  }, 60_000);

  it("--force removes them, and leaves the live run's container and the fresh temp dir", async () => {
    const r = await clean("--force");
    expect(r.dryRun).toBe(false);
    expect(r.removed).toHaveLength(3);
    expect(await exists(engine.docker.getContainer(containerId).inspect())).toBe(false);
    expect(await exists(engine.docker.getNetwork(networkId).inspect())).toBe(false);
    expect(existsSync(staleDir)).toBe(false);
    expect(existsSync(freshDir)).toBe(true);
    expect(await exists(engine.docker.getContainer(liveContainerId).inspect())).toBe(true);
  }, 60_000);
});
