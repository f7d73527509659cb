import { afterEach, describe, expect, it } from "vitest";
import { readExistingDockerfile } from "./detect/existing.js";
import { detectProject } from "./detect/project.js";
import { rewriteDockerfile } from "./rewrite.js";
import { planFiles } from "./templates/index.js";
import { poetryProject, writeFixture, yarnProject } from "./testdata/fixtures.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const OLD = `# Hello service, maintained by the platform team.
# Keep this header.

# build everything in one stage
FROM python:3.11
ARG RELEASE=dev
# where the app keeps its uploads
ENV UPLOAD_DIR=/data/uploads PYTHONUNBUFFERED=1 FLASK_DEBUG=1
LABEL org.opencontainers.image.title="hello"
RUN apt-get update && apt-get install -y gcc
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
# the upload folder must exist before start
RUN mkdir -p /data/uploads && chown 10001 /data/uploads
VOLUME /data
EXPOSE 5000 9100
CMD python app.py
`;

async function setup() {
  const { dir, cleanup } = await writeFixture({ ...poetryProject, Dockerfile: OLD });
  cleanups.push(cleanup);
  const existing = readExistingDockerfile(OLD, "Dockerfile");
  const project = await detectProject(dir, { existing });
  return { existing, project };
}

const FOLDERS = `FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
# static files and logs live here
RUN mkdir -p /srv/static logs
RUN mkdir -m 700 /srv/secret
RUN mkdir -p /var/log/app && touch /var/log/app/app.log
CMD python app.py
`;

describe("rewrite of the project's own HEALTHCHECK", () => {
  const withCheck = (check: string) => `FROM node:22-slim
WORKDIR /code
COPY . .
RUN yarn install --frozen-lockfile
${check}
EXPOSE 8081
CMD ["node", "index.js"]
`;
  const rewrite = async (check: string, tier: "slim" | "distroless") => {
    const text = withCheck(check);
    const { dir, cleanup } = await writeFixture({
      ...yarnProject,
      "healthcheck.js": "process.exit(0)\n",
      Dockerfile: text,
    });
    cleanups.push(cleanup);
    const existing = readExistingDockerfile(text, "Dockerfile");
    const project = await detectProject(dir, { existing });
    return rewriteDockerfile(existing, planFiles(project, tier), project);
  };

  it("keeps a check that runs the app's runtime on its own file, in exec form, with its timings, in both tiers", async () => {
    for (const tier of ["slim", "distroless"] as const) {
      const rw = await rewrite("HEALTHCHECK --interval=30s --retries=2 \\\n  CMD node healthcheck.js", tier);
      const checks = rw.dockerfile.split("\n").filter((l) => l.startsWith("HEALTHCHECK"));
      expect(checks).toEqual(['HEALTHCHECK --interval=30s --retries=2 CMD ["node", "healthcheck.js"]']);
      expect(rw.decisions.map((d) => d.text).join("\n")).toContain(
        'kept as HEALTHCHECK --interval=30s --retries=2 CMD ["node", "healthcheck.js"] (exec form',
      );
    }
  });

  it("leaves a check that needs a shell or another program to the generated one", async () => {
    for (const check of [
      "HEALTHCHECK CMD curl -f http://localhost:8081/ || exit 1",
      "HEALTHCHECK CMD node -e \"require('x')\"",
    ]) {
      const rw = await rewrite(check, "distroless");
      const checks = rw.dockerfile.split("\n").filter((l) => l.startsWith("HEALTHCHECK"));
      expect(checks).toHaveLength(1);
      expect(checks[0]).not.toContain("curl");
      expect(checks[0]).toContain('CMD ["node", "-e", ');
    }
  });
});

describe("rewrite of steps that only make folders", () => {
  it("makes them with COPY of an empty folder (no shell), and keeps a mode, a file or anything else as a RUN", async () => {
    const { dir, cleanup } = await writeFixture({ ...poetryProject, Dockerfile: FOLDERS });
    cleanups.push(cleanup);
    const existing = readExistingDockerfile(FOLDERS, "Dockerfile");
    const project = await detectProject(dir, { existing });
    const rw = rewriteDockerfile(existing, planFiles(project, "distroless"), project);
    expect(rw.dockerfile).toContain(
      "# static files and logs live here\nCOPY --from=init /opt/slimstage/empty/ /srv/static/\nCOPY --from=init /opt/slimstage/empty/ logs/\n",
    );
    expect(rw.dockerfile).not.toContain("RUN mkdir -p /srv/static");
    expect(rw.dockerfile).toContain("RUN mkdir -m 700 /srv/secret\n");
    expect(rw.dockerfile).toContain("RUN mkdir -p /var/log/app && touch /var/log/app/app.log\n");
    expect(rw.keptRunSteps).toBe(2);
    expect(rw.decisions.map((d) => d.text)).toContain(
      "Dockerfile:6 RUN mkdir -p /srv/static logs: became COPY --from=init /opt/slimstage/empty/ /srv/static/; COPY --from=init /opt/slimstage/empty/ logs/: the same root-owned folders, made without a shell, so this step does not keep the distroless tier out",
    );
    // Alone, the folders step leaves nothing that needs a shell.
    const only = FOLDERS.split("\n")
      .filter((l) => !/mkdir -m|touch/.test(l))
      .join("\n");
    const rwOnly = rewriteDockerfile(
      readExistingDockerfile(only, "Dockerfile"),
      planFiles(project, "distroless"),
      project,
    );
    expect(rwOnly.keptRunSteps).toBe(0);
  });
});

describe("rewrite of an existing Dockerfile", () => {
  it("keeps app settings, app steps and their comments byte for byte, and explains each change", async () => {
    const { existing, project } = await setup();
    expect(project.entry).toEqual({ argv: ["python", "app.py"], source: "CMD in Dockerfile:18" });
    const plan = planFiles(project, "slim");
    const rw = rewriteDockerfile(existing, plan, project);
    const out = rw.dockerfile;
    expect(out.startsWith("# Hello service, maintained by the platform team.\n# Keep this header.\n")).toBe(
      true,
    );
    expect(out).not.toContain("# build everything in one stage");
    expect(out).toContain("# where the app keeps its uploads\nENV UPLOAD_DIR=/data/uploads\n");
    expect(out).toContain('LABEL org.opencontainers.image.title="hello"\n');
    // A folder set-up for a user is not a kept step: optimize creates the folder owned by the app user.
    expect(out).not.toContain("RUN mkdir -p /data/uploads");
    expect(out).toContain("VOLUME /data\n");
    expect(out).toContain("EXPOSE 9100\n");
    expect(out).not.toContain("apt-get install -y gcc");
    expect(rw.keptRunSteps).toBe(0);
    const texts = rw.decisions.map((d) => d.text);
    expect(texts).toContain(
      "Dockerfile:10 RUN apt-get update && apt-get install -y gcc: gcc dropped (a build tool: the generated builder compiles what needs compiling)",
    );
    expect(texts).toContain(
      "Dockerfile:8 ENV UPLOAD_DIR=/data/uploads PYTHONUNBUFFERED=1 FLASK_DEBUG=1: kept without PYTHONUNBUFFERED, FLASK_DEBUG (set by the generated runtime, or development settings)",
    );
    expect(texts).toContain(
      'Dockerfile:18 CMD python app.py: CMD ["python", "app.py"] (exec form, the init\'s only child)',
    );
    expect(
      texts.some((t) =>
        t.startsWith(
          "Dockerfile:15 RUN mkdir -p /data/uploads && chown 10001 /data/uploads: dropped: the generated runtime creates /data/uploads owned by its own user app",
        ),
      ),
    ).toBe(true);
    expect(texts).toContain(
      "Dockerfile:8: FLASK_DEBUG=1 is a development setting (debugger, reloader): left out of the production image",
    );
    expect(out).not.toContain("FLASK_DEBUG");
  });

  it("rewriting is stable: the output parses and prints back identically", async () => {
    const { existing, project } = await setup();
    const out = rewriteDockerfile(existing, planFiles(project, "slim"), project).dockerfile;
    const again = readExistingDockerfile(out, "Dockerfile");
    expect(again.entry?.argv).toEqual(["python", "app.py"]);
    expect(again.ports).toEqual([9100, 5000]);
  });
});

describe("Node's inspector port in a rewritten Dockerfile", () => {
  async function rewriteNode(cmd: string) {
    const old = `FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install\nEXPOSE 8081 9229\nCMD ${cmd}\n`;
    const { dir, cleanup } = await writeFixture({ ...yarnProject, Dockerfile: old });
    cleanups.push(cleanup);
    const existing = readExistingDockerfile(old, "Dockerfile");
    const project = await detectProject(dir, { existing });
    return rewriteDockerfile(existing, planFiles(project, "slim"), project);
  }

  it("is not exposed when the entry point does not start the inspector, and the plan says so", async () => {
    const rw = await rewriteNode('["node", "index.js"]');
    expect(rw.dockerfile).not.toMatch(/^EXPOSE .*9229/m);
    expect(rw.dockerfile).toMatch(/^EXPOSE 8081$/m);
    expect(rw.decisions.map((d) => d.text)).toContain(
      "Dockerfile:5 EXPOSE 8081 9229: 9229 not exposed: Node's inspector port, and the entry point (node index.js) does not start the inspector",
    );
  });

  it("stays exposed when the entry point starts the inspector", async () => {
    const rw = await rewriteNode('["node", "--inspect=0.0.0.0:9229", "index.js"]');
    expect(rw.dockerfile).toMatch(/^EXPOSE 9229$/m);
  });
});
