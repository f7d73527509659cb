import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/cli.js";
import { InterruptedError } from "../../errors.js";
import { BASE, removeTestResources, TEST_LABELS } from "../../verify/testdata/fixtures.js";
import { connectEngine } from "../connect.js";
import { type BuildProgressEvent, BuildStepError, buildImage } from "./build.js";

let dir: string;
const token = randomBytes(6).toString("hex");
const tag = `slimstage-test/build-multi:${token}`;

const MULTI = `# a small multi-stage build
FROM ${BASE} AS builder
WORKDIR /src
RUN echo "built ${token}" > /src/artifact.txt

FROM ${BASE} AS unused
RUN echo "this stage is never needed" && sleep 5

FROM ${BASE}
COPY --from=builder /src/artifact.txt /artifact.txt
RUN cat /artifact.txt
`;

const FAILING = `FROM ${BASE}
RUN echo "fine ${token}"
RUN echo "some output" && \\
    echo "to stderr" >&2 && \\
    exit 3
RUN echo never
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-build-test-"));
  await writeFile(join(dir, "Dockerfile"), MULTI);
  await writeFile(join(dir, "Dockerfile.fail"), FAILING);
  await writeFile(join(dir, "Dockerfile.slow"), `FROM ${BASE}\nRUN echo "${token}" && sleep 60\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeTestResources();
});

/** Everything a build could leave behind: containers and networks (any, not only labelled ones), build temp dirs. */
async function residue(): Promise<{ containers: number; networks: number; tempDirs: number }> {
  const engine = await connectEngine();
  const [containers, networks, temps] = await Promise.all([
    engine.docker.listContainers({ all: true }),
    engine.docker.listNetworks(),
    readdir(tmpdir()),
  ]);
  return {
    containers: containers.length,
    networks: networks.length,
    tempDirs: temps.filter((n) => n.startsWith("slimstage-build-")).length,
  };
}

async function tagExists(ref: string): Promise<boolean> {
  const engine = await connectEngine();
  return engine.docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe("buildImage with BuildKit", () => {
  it("builds a multi-stage Dockerfile step by step, then again from the cache", async () => {
    const events: BuildProgressEvent[] = [];
    const first = await buildImage({
      context: dir,
      tags: [tag],
      labels: { ...TEST_LABELS },
      onProgress: (e) => events.push(e),
    });
    expect(first.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const steps = first.steps.filter((s) => !s.internal);
    const names = steps.map((s) => s.name);
    expect(names).toContain(`[builder 3/3] RUN echo "built ${token}" > /src/artifact.txt`);
    expect(names).toContain("[stage-2 3/3] RUN cat /artifact.txt");
    // BuildKit skips the stage nothing needs.
    expect(names.some((n) => n.startsWith("[unused"))).toBe(false);
    expect(steps.find((s) => s.name.includes("RUN cat"))?.output.join("\n")).toContain(`built ${token}`);
    expect(steps.find((s) => s.name.includes("artifact.txt") && s.name.includes("builder"))?.cached).toBe(
      false,
    );
    expect(events.some((e) => e.type === "step-start")).toBe(true);
    expect(events.some((e) => e.type === "step-done")).toBe(true);
    const engine = await connectEngine();
    const info = await engine.docker.getImage(tag).inspect();
    expect(info.Id).toBe(first.imageId);
    expect(info.Config.Labels).toMatchObject({ "org.slimstage.managed": "true", ...TEST_LABELS });

    const second = await buildImage({ context: dir, tags: [tag], labels: { ...TEST_LABELS } });
    expect(second.imageId).toBe(first.imageId);
    const run = second.steps.filter((s) => !s.internal && !s.name.includes("] FROM "));
    expect(run.length).toBeGreaterThan(0);
    expect(run.every((s) => s.cached)).toBe(true);
  });

  it("builds up to a target stage", async () => {
    const r = await buildImage({ context: dir, target: "builder", labels: { ...TEST_LABELS } });
    const names = r.steps.filter((s) => !s.internal).map((s) => s.name);
    expect(names.every((n) => !n.startsWith("[stage-2"))).toBe(true);
    const engine = await connectEngine();
    const info = await engine.docker.getImage(r.imageId).inspect();
    expect(info.Config.WorkingDir).toBe("/src");
  });

  it("reports the failing step, the tail of its output and the Dockerfile line", async () => {
    const err = await buildImage({
      context: dir,
      dockerfile: join(dir, "Dockerfile.fail"),
      labels: { ...TEST_LABELS },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildStepError);
    const e = err as BuildStepError;
    expect(e.step?.name).toMatch(/^\[3\/4\] RUN echo "some output"/);
    expect(e.outputTail).toEqual(expect.arrayContaining(["some output", "to stderr"]));
    expect(e.location).toMatchObject({ line: 3, endLine: 5, column: 1 });
    expect(e.location?.file).toMatch(/Dockerfile\.fail$/);
    expect(e.sourceLine).toBe('RUN echo "some output" && \\');
    expect(e.message).toMatch(/exit code: 3/);
  });

  it("rejects a missing context or Dockerfile as input errors", async () => {
    await expect(buildImage({ context: join(dir, "nope") })).rejects.toThrow(/is not a directory/);
    await expect(buildImage({ context: dir, dockerfile: join(dir, "Dockerfile.none") })).rejects.toThrow(
      /not found/,
    );
  });

  it("stops a build on abort and leaves no tag, container, network or temp dir behind", async () => {
    const before = await residue();
    const ac = new AbortController();
    const slowTag = `slimstage-test/build-slow:${token}`;
    const started = Date.now();
    const p = buildImage({
      context: dir,
      dockerfile: join(dir, "Dockerfile.slow"),
      tags: [slowTag],
      labels: { ...TEST_LABELS },
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === "step-start" && e.step.name.includes("sleep 60"))
          setTimeout(() => ac.abort("SIGINT"), 500);
      },
    });
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await tagExists(slowTag)).toBe(false);
    expect(await residue()).toEqual(before);
  });
});

describe("slimstage build (CLI)", () => {
  it("builds several variants in one command and reports them as JSON", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "--json",
        "build",
        dir,
        "--variant",
        "full=Dockerfile",
        "--variant",
        `builder=${join(dir, "Dockerfile")}:builder`,
        "-t",
        `slimstage-test/variants:${token}`,
        "--label",
        "org.slimstage.test=build-verify",
      ],
      { env: { ...process.env, SLIMSTAGE_MAIN: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(0);
    const doc = JSON.parse(out) as {
      images: { variant: string; imageId: string; tags: string[]; steps: { name: string }[] }[];
    };
    expect(doc.images.map((i) => [i.variant, i.tags])).toEqual([
      ["full", ["slimstage-test/variants:full"]],
      ["builder", ["slimstage-test/variants:builder"]],
    ]);
    expect(doc.images[0]?.imageId).not.toBe(doc.images[1]?.imageId);
    expect(doc.images[1]?.steps.every((s) => !s.name.startsWith("[stage-2"))).toBe(true);
    expect(await tagExists("slimstage-test/variants:builder")).toBe(true);
  });

  it("exits 130 on Ctrl-C during a build, without the tag, and leaves nothing behind", async () => {
    const before = await residue();
    const slowTag = `slimstage-test/build-slow-cli:${token}`;
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "build",
        dir,
        "-f",
        join(dir, "Dockerfile.slow"),
        "-t",
        slowTag,
        "--label",
        "org.slimstage.test=build-verify",
      ],
      { env: { ...process.env, SLIMSTAGE_MAIN: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /sleep 60/.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill("SIGINT"), 1000);
      }
    });
    // No progress line until a step ends on a non-TTY: send Ctrl-C on a timer as well.
    const fallback = setTimeout(() => {
      if (!sent) {
        sent = true;
        child.kill("SIGINT");
      }
    }, 8000);
    const code = await new Promise<number | null>((r) => child.on("close", r));
    clearTimeout(fallback);
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted|SIGINT/);
    expect(await tagExists(slowTag)).toBe(false);
    expect(await residue()).toEqual(before);
  });

  it("exits 4 with the step and Dockerfile line on a failing build", async () => {
    const { code, stderr } = await runCli([
      "build",
      dir,
      "-f",
      join(dir, "Dockerfile.fail"),
      "--label",
      "org.slimstage.test=build-verify",
    ]);
    expect(code).toBe(4);
    expect(stderr).toMatch(/Dockerfile\.fail:3:1: build failed at step \[3\/4\] RUN echo "some output"/);
    expect(stderr).toContain("to stderr");
  });
});
