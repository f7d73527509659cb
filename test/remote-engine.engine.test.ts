/**
 * slimstage against a real remote engine: a second dockerd in its own network
 * namespace (scripts/setup-remote-engine.sh), reached over tcp, whose
 * containers this host cannot route to. Probes go through published ports.
 * Everything the tests create carries org.slimstage.test=remote and is removed
 * from both engines afterwards.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabRunDocument } from "../src/lab/lab-result.js";
import { packageRoot } from "../src/lab/paths.js";
import { runCli } from "./cli.js";

const run = promisify(execFile);
const ROOT = packageRoot();
const SETUP = join(ROOT, "scripts", "setup-remote-engine.sh");
const LABEL = "org.slimstage.test=remote";
const TAG = `slimstage-test-remote/app:${process.pid}`;
let remoteHost: string;
let remote: Docker;
let dir: string;

const local = new Docker({ socketPath: "/var/run/docker.sock" });

async function leftovers(d: Docker): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [LABEL] });
  const [c, n] = await Promise.all([d.listContainers({ all: true, filters }), d.listNetworks({ filters })]);
  return { containers: c.length, networks: n.length };
}

function onRemote(args: string[]) {
  // optimize's per-run package index on the port scripts/setup-remote-engine.sh forwards.
  return runCli(args, { env: { DOCKER_HOST: remoteHost, NO_COLOR: "1", SLIMSTAGE_RUN_INDEX_PORT: "3142" } });
}

beforeAll(async () => {
  remoteHost = (await run("bash", [SETUP])).stdout.trim();
  expect(remoteHost).toMatch(/^tcp:\/\/[\d.]+:\d+$/);
  const u = new URL(remoteHost.replace(/^tcp:/, "http:"));
  remote = new Docker({ protocol: "http", host: u.hostname, port: Number(u.port) });
  dir = await mkdtemp(join(tmpdir(), "slimstage-remote-"));
  // A web app on port 8000 that answers with its hostname (the container id).
  await writeFile(
    join(dir, "Dockerfile"),
    'FROM python:3.11-slim\nEXPOSE 8000\nCMD ["python", "-m", "http.server", "8000"]\n',
  );
}, 300_000);

afterAll(async () => {
  const filters = JSON.stringify({ label: [LABEL] });
  for (const d of [remote, local]) {
    if (!d) continue;
    for (const c of await d.listContainers({ all: true, filters }).catch(() => []))
      await d
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    for (const n of await d.listNetworks({ filters }).catch(() => []))
      await d
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    for (const i of await d.listImages({ filters }).catch(() => []))
      await d
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a remote dockerd in its own network namespace", () => {
  it("doctor finds it through DOCKER_HOST, with a BuildKit-capable client", async () => {
    const r = await onRemote(["doctor", "--json", "--offline"]);
    const doc = JSON.parse(r.stdout) as { ok: boolean; engine?: { host: string; serverVersion: string } };
    expect(doc.engine?.host).toBe(remoteHost);
    expect(doc.ok, r.stdout).toBe(true);
    expect(r.code).toBe(0);
  });

  it("builds, inspects and verifies an image there; the probe reaches it through a published port", async () => {
    const b = await onRemote(["build", "--json", "-t", TAG, "--label", LABEL, dir]);
    expect(b.code, b.stderr).toBe(0);
    // Built on the remote engine, not here.
    expect((await remote.getImage(TAG).inspect()).Id).toMatch(/^sha256:/);
    await expect(local.getImage(TAG).inspect()).rejects.toThrow();

    const i = await onRemote(["inspect", "--json", TAG]);
    expect(i.code, i.stderr).toBe(0);
    expect((JSON.parse(i.stdout) as { finalBytes: number }).finalBytes).toBeGreaterThan(50_000_000);

    const v = await onRemote(["verify", "--json", TAG, "--probe", "http://:8000/", "--label", LABEL]);
    const res = JSON.parse(v.stdout) as { ok: boolean; probes: { detail: string }[] };
    expect(res.ok, v.stdout + v.stderr).toBe(true);
    expect(res.probes[0]?.detail).toMatch(/^200/);
    expect(v.code).toBe(0);
    expect(await leftovers(remote)).toEqual({ containers: 0, networks: 0 });
  });

  it("runs lab lab-000 there: every variant built, verified and minified, nothing left on either engine", async () => {
    const r = await onRemote([
      "lab",
      "lab-000",
      "--json",
      "--tag-prefix",
      "slimstage-test-remote",
      "--label",
      LABEL,
    ]);
    const doc = JSON.parse(r.stdout) as LabRunDocument;
    expect(doc.ok, `${r.stderr.slice(-3000)}\n${r.stdout.slice(0, 2000)}`).toBe(true);
    expect(r.code).toBe(0);
    expect(doc.labs[0]?.variants.map((v) => [v.name, v.verify?.ok])).toEqual([
      ["single", true],
      ["multi", true],
      ["optimized-slim", true],
      ["optimized-distroless", true],
      ["minified", true],
    ]);
    expect(await leftovers(remote)).toEqual({ containers: 0, networks: 0 });
    expect(await leftovers(local)).toEqual({ containers: 0, networks: 0 });
  }, 1_200_000);

  it("an engine killed mid-verify: exit 3 with a clear message, and the run's container and network removed once it is back", async () => {
    const runLabel = `org.slimstage.run-test=${process.pid}`;
    // Never listens on 8000: the probe polls until the engine goes away.
    const p = onRemote([
      "verify",
      "--json",
      "python:3.11-slim",
      "--probe",
      "http://:8000/",
      "--timeout",
      "300",
      "--cmd",
      "sleep 300",
      "--label",
      LABEL,
      "--label",
      runLabel,
    ]);
    let exited = false;
    void p.then(() => {
      exited = true;
    });
    const filters = JSON.stringify({ label: [runLabel], status: ["running"] });
    while ((await remote.listContainers({ filters })).length === 0) {
      // The run must still be going when its container appears (else it failed before: show why).
      if (exited) expect.fail(`verify ended before its container ran: ${JSON.stringify(await p)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const pid = (await readFile("/var/run/slimstage-remote/dockerd.pid", "utf8")).trim();
    process.kill(Number(pid), "SIGKILL");
    // Back as a restarted engine would be (the set-up is idempotent): verify removes what it started then.
    const restarted = run("bash", [SETUP]);
    const r = await p;
    await restarted;
    expect(r.code, r.stdout + r.stderr).toBe(3);
    // Either verify saw the engine go and cleaned up once it was back, or the engine took
    // longer to come back than verify waits (dockerd starts in 5-20 s here): then the error
    // names the run's label, and `slimstage clean` removes exactly that. Both are clear.
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/engine stopped answering|does not answer/);
    const left = /org\.slimstage\.run=([0-9a-f]+)/.exec(out);
    if (/could not remove/.test(out)) {
      expect(left, out).not.toBeNull();
      const c = await onRemote(["clean", "--force", "--json", "--run", left![1]!]);
      expect(c.code, c.stdout + c.stderr).toBe(0);
    }
    const all = JSON.stringify({ label: [runLabel] });
    expect((await remote.listContainers({ all: true, filters: all })).length).toBe(0);
    expect((await remote.listNetworks({ filters: all })).length).toBe(0);
  }, 300_000);
});
