/**
 * slimstage on Podman: rootful `podman system service` on its own socket
 * (scripts/setup-podman.sh). Builds go through Podman's classic /build
 * (buildah), probes to the container's address on Podman's bridge.
 * Everything the tests create carries org.slimstage.test=podman and is
 * removed afterwards.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
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
const LABEL = "org.slimstage.test=podman";
const TAG = `slimstage-test-podman/app:${process.pid}`;
let podmanHost: string;
let podman: Docker;
let dir: string;

async function leftovers(): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [LABEL] });
  const [c, n] = await Promise.all([
    podman.listContainers({ all: true, filters }),
    podman.listNetworks({ filters }),
  ]);
  return { containers: c.length, networks: n.length };
}

function onPodman(args: string[]) {
  return runCli(args, { env: { DOCKER_HOST: podmanHost, NO_COLOR: "1" } });
}

beforeAll(async () => {
  podmanHost = (await run("bash", [join(ROOT, "scripts", "setup-podman.sh")])).stdout.trim();
  expect(podmanHost).toMatch(/^unix:\/\//);
  podman = new Docker({ socketPath: podmanHost.slice("unix://".length) });
  dir = await mkdtemp(join(tmpdir(), "slimstage-podman-"));
  await writeFile(
    join(dir, "Dockerfile"),
    'FROM python:3.11-slim AS base\nRUN echo built > /built.txt\nFROM python:3.11-slim\nCOPY --from=base /built.txt /\nEXPOSE 8000\nCMD ["python", "-m", "http.server", "8000"]\n',
  );
}, 300_000);

afterAll(async () => {
  const filters = JSON.stringify({ label: [LABEL] });
  if (podman) {
    for (const c of await podman.listContainers({ all: true, filters }).catch(() => []))
      await podman
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    for (const n of await podman.listNetworks({ filters }).catch(() => []))
      await podman
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    for (const i of await podman.listImages({ filters }).catch(() => []))
      await podman
        .getImage(i.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Podman (rootful, its Docker-compatible API)", () => {
  it("doctor finds it and says builds go through its classic /build", async () => {
    const r = await onPodman(["doctor", "--json", "--offline"]);
    const doc = JSON.parse(r.stdout) as { ok: boolean; engine?: { host: string; buildMode: string } };
    expect(doc.engine?.host).toBe(podmanHost);
    expect(doc.engine?.buildMode).toBe("classic");
    expect(doc.ok, r.stdout).toBe(true);
  });

  it("builds a multi-stage image, inspects, diffs and verifies it", async () => {
    const b = await onPodman(["build", "--json", "-t", TAG, "--label", LABEL, dir]);
    expect(b.code, b.stderr).toBe(0);
    expect((await podman.getImage(TAG).inspect()).Config.Labels?.["org.slimstage.test"]).toBe("podman");

    const i = await onPodman(["inspect", "--json", TAG]);
    expect(i.code, i.stderr).toBe(0);
    expect((JSON.parse(i.stdout) as { finalBytes: number }).finalBytes).toBeGreaterThan(50_000_000);

    const d = await onPodman(["diff", "--json", "python:3.11-slim", TAG]);
    expect(d.code, d.stderr).toBe(0);
    const diff = JSON.parse(d.stdout) as { files: { added: { path: string }[] } };
    expect(diff.files.added.map((f) => f.path)).toContain("/built.txt");

    const v = await onPodman([
      "verify",
      "--json",
      TAG,
      "--probe",
      "http://:8000/built.txt",
      "--label",
      LABEL,
    ]);
    const res = JSON.parse(v.stdout) as { ok: boolean; probes: { detail: string }[] };
    expect(res.ok, v.stdout + v.stderr).toBe(true);
    expect(res.probes[0]?.detail).toMatch(/^200, body "built/);
    expect(await leftovers()).toEqual({ containers: 0, networks: 0 });
  });

  it("runs lab lab-000 there: every variant built, verified and minified, nothing left", async () => {
    const r = await onPodman([
      "lab",
      "lab-000",
      "--json",
      "--tag-prefix",
      "slimstage-test-podman",
      "--label",
      LABEL,
    ]);
    const doc = JSON.parse(r.stdout) as LabRunDocument;
    expect(doc.ok, `${r.stderr.slice(-3000)}\n${r.stdout.slice(0, 2000)}`).toBe(true);
    expect(doc.labs[0]?.variants.map((v) => [v.name, v.verify?.ok])).toEqual([
      ["single", true],
      ["multi", true],
      ["optimized-slim", true],
      ["optimized-distroless", true],
      ["minified", true],
    ]);
    expect(await leftovers()).toEqual({ containers: 0, networks: 0 });
  }, 1_200_000);
});
