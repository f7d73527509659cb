import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildKitInvocation,
  buildModeFromVersion,
  dockerCandidates,
  examineDockerClient,
  findBuildKitClient,
} from "./client.js";

// Fake docker CLIs (shell scripts) that answer the probes the way real clients do.
const FAKES: Record<string, string> = {
  // A 28.x static client without the buildx plugin.
  legacy: `case "$1" in version) echo 28.2.2 ;; buildx) echo "docker: 'buildx' is not a docker command." >&2; exit 1 ;;
build) echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1 ;; esac`,
  // Debian's 20.10 client with BuildKit built in.
  builtin: `case "$1" in version) echo 20.10.24+dfsg1 ;; buildx) exit 1 ;;
build) printf '  --secret stringArray\\n  --ssh stringArray\\n' ;; esac`,
  // A client with the buildx plugin.
  buildx: `case "$1" in version) echo 27.1.0 ;; buildx) echo "github.com/docker/buildx v0.16.2 abc" ;; esac`,
  // Something called docker that is not one.
  broken: "exit 1",
};

let root: string;
const dir = (name: string) => join(root, name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "slimstage-clients-"));
  for (const [name, body] of Object.entries(FAKES)) {
    await mkdir(dir(name));
    await writeFile(join(dir(name), "docker"), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir(name), "docker"), 0o755);
  }
  await mkdir(dir("alias"));
  await symlink(join(dir("builtin"), "docker"), join(dir("alias"), "docker"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("BuildKit client detection by capability", () => {
  it("rejects a 23+ client without buildx, saying why", async () => {
    const e = await examineDockerClient(join(dir("legacy"), "docker"));
    expect(e.version).toBe("28.2.2");
    expect(e.buildKit).toBeUndefined();
    expect(e.reason).toContain("buildx");
  });

  it("accepts a 20.10 client whose build offers BuildKit flags", async () => {
    const e = await examineDockerClient(join(dir("builtin"), "docker"));
    expect(e.buildKit).toMatchObject({ mode: "DOCKER_BUILDKIT", version: "20.10.24+dfsg1" });
  });

  it("prefers the buildx plugin when it answers", async () => {
    const e = await examineDockerClient(join(dir("buildx"), "docker"));
    expect(e.buildKit?.mode).toBe("buildx");
    expect(e.buildKit?.detectedBy).toContain("buildx v0.16.2");
  });

  it("skips a binary that does not answer", async () => {
    expect((await examineDockerClient(join(dir("broken"), "docker"))).reason).toContain("does not answer");
  });

  it("walks PATH in order past unusable clients, and counts a symlinked binary once", async () => {
    const PATH = [dir("broken"), dir("legacy"), dir("builtin"), dir("alias"), dir("buildx")].join(":");
    const found = await findBuildKitClient({ PATH });
    expect(found?.path).toBe(join(dir("builtin"), "docker"));
    const all = await dockerCandidates({ PATH });
    expect(all).not.toContain(join(dir("alias"), "docker"));
  });

  it("builds the right invocation for each mode", () => {
    const base = { path: "/d", version: "1", detectedBy: "" };
    expect(buildKitInvocation({ ...base, mode: "buildx" }, ["."], {}).args).toEqual([
      "buildx",
      "build",
      "--load",
      ".",
    ]);
    const inv = buildKitInvocation({ ...base, mode: "DOCKER_BUILDKIT" }, ["."], {});
    expect(inv.args).toEqual(["build", "."]);
    expect(inv.env.DOCKER_BUILDKIT).toBe("1");
  });
});

describe("engine build mode", () => {
  it("builds classic on Podman (no BuildKit session there) and with BuildKit on Docker", () => {
    expect(buildModeFromVersion({ Components: [{ Name: "Podman Engine" }] })).toBe("classic");
    expect(buildModeFromVersion({ Components: [{ Name: "Engine" }, { Name: "containerd" }] })).toBe(
      "buildkit",
    );
    expect(buildModeFromVersion({})).toBe("buildkit");
  });

  it("asks the client for its classic build with DOCKER_BUILDKIT=0, whatever its BuildKit mode", () => {
    const client = { path: "/usr/bin/docker", version: "20.10", mode: "buildx" as const, detectedBy: "" };
    const inv = buildKitInvocation(client, ["-t", "x", "."], { PATH: "/bin" }, "classic");
    expect(inv).toEqual({
      file: "/usr/bin/docker",
      args: ["build", "-t", "x", "."],
      env: { PATH: "/bin", DOCKER_BUILDKIT: "0" },
    });
  });
});
