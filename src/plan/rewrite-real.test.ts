import { afterEach, describe, expect, it } from "vitest";
import { parseDockerfile } from "../dockerfile/parser.js";
import { InputError } from "../errors.js";
import { optimizeProject } from "./optimize.js";
import { writeFixture } from "./testdata/fixtures.js";
import { djangoAppHome, multiTarget, nestShaped, withFrontendStage } from "./testdata/real-shapes.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function dirOf(fx: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return dir;
}

function decisionsOf(r: { decisions: Array<{ text: string }> }): string[] {
  return r.decisions.map((d) => d.text);
}

describe("rewriting real projects' Dockerfiles", () => {
  it("multi-target: the compose file's build.target is the runtime; the dev stage is left alone", async () => {
    const dir = await dirOf(multiTarget);
    const r = await optimizeProject(dir, {
      planOnly: true,
      tier: "slim",
      compose: { file: `${dir}/compose.yaml`, service: "web" },
    });
    const out = r.dockerfile;
    expect(out).not.toContain("apk");
    expect(out).not.toContain("# syntax=");
    // the builder's heredoc step is kept as a plain RUN the built-in frontend parses
    expect(out).toContain(
      "printf '%s\\n' \\\n    'mkdir -p $APP_HOME/run' \\\n    'echo yes > $APP_HOME/run/ready' \\\n    | sh",
    );
    const df = parseDockerfile(out);
    expect(df.instructions.some((i) => i.heredocs.length > 0)).toBe(false);
    // Last: the runtime under the compose target's name (compose still builds target builder).
    const alias = df.stages[df.stages.length - 1];
    expect(alias?.name).toBe("builder");
    expect(alias?.from.imageRef.raw).toBe("runtime");
    const rt = df.stages.find((st) => st.name === "runtime");
    expect(rt?.instructions.find((i) => i.keyword === "WORKDIR")?.args).toBe("/srv/app");
    const texts = decisionsOf(r);
    expect(
      texts.some((t) =>
        t.includes("FROM builder AS dev-envs: not part of the target stage builder's build graph"),
      ),
    ).toBe(true);
    expect(
      texts.some((t) => t.includes("# syntax=docker/dockerfile:1.4: dropped: the engine cannot pull")),
    ).toBe(true);
    // --target says the same as the compose file
    const byFlag = await optimizeProject(dir, { planOnly: true, tier: "slim", target: "builder" });
    expect(byFlag.dockerfile).toBe(out);
  });

  it("an unknown --target is bad input naming the stages", async () => {
    const dir = await dirOf(multiTarget);
    const e = await optimizeProject(dir, { planOnly: true, target: "prod" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain("--target prod");
    expect((e as InputError).hint).toBe("its stages are builder, dev-envs");
  });

  it("Django with APP_HOME: WORKDIR kept, netcat kept for the entrypoint, ENTRYPOINT stays, chown dropped", async () => {
    const dir = await dirOf(djangoAppHome);
    const r = await optimizeProject(dir, { planOnly: true, allTiers: true });
    const [distroless, slim] = r.attempts;
    expect(distroless?.status).toBe("build-failed");
    expect(distroless?.reason).toContain("netcat-openbsd");
    expect(distroless?.reason).toContain("ENTRYPOINT shell script");
    const out = slim?.dockerfile ?? "";
    const df = parseDockerfile(out);
    const rt = df.stages[df.stages.length - 1];
    const args = (kw: string) => rt?.instructions.filter((i) => i.keyword === kw).map((i) => i.args) ?? [];
    expect(args("WORKDIR")).toEqual(["/home/app/web"]);
    expect(args("ENTRYPOINT")).toEqual(['["/usr/bin/tini", "--", "/home/app/web/entrypoint.sh"]']);
    expect(args("CMD")).toEqual(['["gunicorn", "site_app.wsgi:application", "--bind", "0.0.0.0:8000"]']);
    expect(out).toContain("apt-get install -y --no-install-recommends netcat-openbsd");
    // the sed on $APP_HOME/entrypoint.sh runs after the app files are in $APP_HOME
    const lines = rt?.instructions.map((i) => `${i.keyword} ${i.args}`) ?? [];
    const sed = lines.findIndex((k) => k.includes("sed -i"));
    const entryCopy = lines.findIndex((k) => k.includes("entrypoint.sh ./entrypoint.sh"));
    expect(entryCopy).toBeGreaterThan(-1);
    expect(sed).toBeGreaterThan(entryCopy);
    expect(out).not.toContain("chown -R 1000:1000");
    const texts = decisionsOf(r);
    expect(texts.some((t) => /Dockerfile:6 RUN apt-get .*netcat-openbsd kept \(`nc` is used/.test(t))).toBe(
      true,
    );
    expect(texts.some((t) => t.includes("RUN chown -R 1000:1000 $APP_HOME: dropped"))).toBe(true);
    expect(texts.some((t) => t.includes("kept as ENTRYPOINT"))).toBe(true);
    // The old COPY of the project is replaced by the venv and the app, named as such.
    expect(texts.some((t) => /COPY .*: replaced by copies of the venv \(\/opt\/venv\) and /.test(t))).toBe(
      true,
    );
  });

  it("a Node frontend stage the Python runtime copies from stays, its heredoc a plain RUN", async () => {
    const dir = await dirOf(withFrontendStage);
    const r = await optimizeProject(dir, { planOnly: true, tier: "slim" });
    const df = parseDockerfile(r.dockerfile);
    expect(df.stages[0]?.name).toBe("frontend");
    expect(r.dockerfile).toContain("COPY --from=frontend /fe/dist ./static");
    expect(r.dockerfile).toContain("'npm run build' \\\n    | sh");
    expect(decisionsOf(r).some((t) => t.includes("FROM node:22-slim AS frontend: kept whole"))).toBe(true);
  });
});

describe("settings that decide production behaviour", () => {
  it("Django's MEDIA_ROOT is writable by the app user and USE_TZ brings tzdata", async () => {
    const dir = await dirOf(djangoAppHome);
    const r = await optimizeProject(dir, { planOnly: true, allTiers: true });
    expect(r.project.kind === "python" && r.project.usesTzdata).toBe(true);
    const slim = r.attempts.find((a) => a.tier === "slim")?.dockerfile ?? "";
    expect(slim).toContain(
      "COPY --from=init --chown=10001:10001 /opt/slimstage/empty/ /home/app/web/mediafiles/",
    );
    expect(
      decisionsOf(r).some((t) => t.includes("/home/app/web/mediafiles (MEDIA_ROOT in site_app/settings.py)")),
    ).toBe(true);
  });
});

describe("start commands resolved to the real process", () => {
  it('`sh -c "npm run start:prod"` becomes node dist/main: neither npm nor a shell is the app\'s parent', async () => {
    const dir = await dirOf(nestShaped);
    const r = await optimizeProject(dir, { planOnly: true, allTiers: true, detect: { ignoreLock: true } });
    expect(r.project.entry.argv).toEqual(["node", "dist/main"]);
    expect(r.project.entry.source).toContain('scripts.start:prod "node dist/main"');
    for (const a of r.attempts) {
      expect(a.dockerfile).toContain('CMD ["node", "dist/main"]');
      expect(a.dockerfile).not.toContain('"sh", "-c"');
    }
  });
});
