/**
 * Plans (no engine) for the framework and discovery shapes of #15: Next.js
 * standalone output, a start command behind `sh -c "npm run ..."` in a real
 * NestJS project, folder set-up steps for the old file's own user, and a
 * project in a sub-folder. The engine tests build and verify the same fixtures.
 */
import { realpath, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunInstruction } from "../dockerfile/model.js";
import { parseDockerfile, parseInstruction } from "../dockerfile/parser.js";
import { InputError } from "../errors.js";
import { detectProject } from "./detect/project.js";
import { optimizeProject } from "./optimize.js";
import {
  createdFolders,
  foldersOnlyStep,
  handedFolders,
  ownershipStep as ownershipOf,
} from "./rewrite-ownership.js";
import { writeFixture } from "./testdata/fixtures.js";
import { nestApp } from "./testdata/nest-app.js";
import { nextServer, nextServerWithDockerfile } from "./testdata/next-server.js";
import { nextStandalone, nextStandaloneWithDockerfile } from "./testdata/next-standalone.js";
import { serviceSubfolder } from "./testdata/real-shapes.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function dirOf(fx: Record<string, string>): Promise<string> {
  const { dir, cleanup } = await writeFixture(fx);
  cleanups.push(cleanup);
  return dir;
}

/** The lines of the runtime stage (from the last FROM), continuation lines joined. */
const runtimeOf = (dockerfile: string): string[] => {
  const df = parseDockerfile(dockerfile);
  expect(df.stages.length).toBeGreaterThan(1);
  return dockerfile
    .slice(dockerfile.lastIndexOf("\nFROM ") + 1)
    .replace(/\\\n\s*/g, " ")
    .split("\n");
};

describe("Next.js without standalone output (next build + next start)", () => {
  it("is detected: build into .next, node runs next's bin with the start script's port, what next start reads", async () => {
    const p = await detectProject(await dirOf(nextServer));
    if (p.kind !== "node") throw new Error("expected node");
    expect(p.next).toEqual({ config: "next.config.mjs", output: "server", publicDir: true });
    expect(p.build?.outDir).toBe(".next");
    expect(p.entry.argv).toEqual(["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]);
    expect(p.port).toBe(3000);
    expect(p.appPaths).toEqual([".next", "public", "package.json", "next.config.mjs"]);
  });

  it("the port: -p in the start script, else --port; an old `npm start` CMD resolves to next's bin too", async () => {
    const fx = {
      ...nextServer,
      "package.json": (nextServer["package.json"] as string).replace(
        "next start -p 3000",
        "next start --port=4100",
      ),
    };
    const p = await detectProject(await dirOf(fx));
    expect(p.entry.argv).toEqual(["node", "node_modules/next/dist/bin/next", "start", "-p", "4100"]);
    expect(p.port).toBe(4100);
    const r = await optimizeProject(await dirOf(nextServerWithDockerfile), { planOnly: true, tier: "slim" });
    expect(r.project.entry.argv).toEqual(["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]);
    expect(r.project.entry.source).toMatch(/^CMD in .*Dockerfile:8 -> scripts\.start "next start -p 3000"/);
  });

  it("no start script and no config: next start on 3000 all the same", async () => {
    const { "next.config.mjs": _c, ...fx } = nextServer;
    const p = await detectProject(
      await dirOf({
        ...fx,
        "package.json": (fx["package.json"] as string).replace(/, "start": "[^"]*"/, ""),
      }),
    );
    if (p.kind !== "node") throw new Error("expected node");
    expect(p.entry.argv).toEqual(["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]);
    expect(p.appPaths).toEqual([".next", "public", "package.json"]);
  });

  it("both tiers: pruned production node_modules, .next without its cache, public/, package.json, the config; node runs next start", async () => {
    const r = await optimizeProject(await dirOf(nextServer), { planOnly: true, allTiers: true });
    for (const a of r.attempts) {
      expect(a.dockerfile).toMatch(
        /FROM build AS prune\nRUN .*\n.*npm prune --omit=dev && \\\n.*\n\s*rm -rf \.next\/cache && \\\n\s*rm -rf node_modules\/@next\/swc-\*\n/,
      );
      const rt = runtimeOf(a.dockerfile);
      expect(rt).toContain("COPY --from=prune /app/node_modules ./node_modules");
      expect(rt).toContain("COPY --from=prune /app/.next ./.next");
      expect(rt).toContain("COPY --from=prune /app/public ./public");
      expect(rt).toContain("COPY --from=prune /app/package.json ./package.json");
      expect(rt).toContain("COPY --from=prune /app/next.config.mjs ./next.config.mjs");
      expect(rt).toContain("ENV PORT=3000 NEXT_TELEMETRY_DISABLED=1");
      expect(rt).toContain("COPY --from=init --chown=10001:10001 /opt/slimstage/empty/ /app/.next/cache/");
      expect(rt).toContain('CMD ["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]');
      expect(rt.join("\n")).not.toMatch(/standalone|server\.js|\bnpm\b|HOSTNAME/);
      expect(a.dockerfile).not.toMatch(/\/app\/dist|find dist /);
    }
    const t = r.decisions.map((d) => d.text).join("\n");
    expect(t).toContain(
      'Next.js without output: "standalone" in next.config.mjs: the runtime holds .next (without .next/cache',
    );
    expect(t).toContain("without the SWC compiler (@next/swc-*");
    for (const a of r.attempts) expect(a.dockerfile).toContain("rm -rf node_modules/@next/swc-*");
  });

  it("a TypeScript config keeps the SWC compiler: next start transpiles next.config.ts with it", async () => {
    const { "next.config.mjs": cfg, ...fx } = nextServer;
    const r = await optimizeProject(await dirOf({ ...fx, "next.config.ts": cfg as string }), {
      planOnly: true,
      tier: "slim",
    });
    expect(r.dockerfile).not.toContain("@next/swc");
    expect(r.dockerfile).toContain("COPY --from=prune /app/next.config.ts ./next.config.ts");
    expect(r.decisions.map((d) => d.text).join("\n")).toContain(
      "with the SWC compiler, which next start needs to load next.config.ts",
    );
  });

  it("no build script: refused, naming the script to add", async () => {
    const fx = {
      ...nextServer,
      "package.json": (nextServer["package.json"] as string).replace('"build": "next build", ', ""),
    };
    await expect(detectProject(await dirOf(fx))).rejects.toThrow(
      /no build script: next start needs the output of next build/,
    );
  });
});

describe("Next.js standalone output", () => {
  it("is detected from next.config: build into .next, node server.js on 3000, the standalone layout", async () => {
    const p = await detectProject(await dirOf(nextStandalone));
    if (p.kind !== "node") throw new Error("expected node");
    expect(p.next).toEqual({ config: "next.config.mjs", output: "standalone", publicDir: true });
    expect(p.build?.outDir).toBe(".next");
    expect(p.entry.argv).toEqual(["node", "server.js"]);
    expect(p.port).toBe(3000);
    expect(p.appPaths).toEqual([".next/standalone", ".next/static", "public"]);
  });

  it("a commented-out output: standalone, or none, is not standalone (and says what the runtime then needs)", async () => {
    const fx = {
      ...nextStandalone,
      "next.config.mjs": '// output: "standalone",\nexport default {};\n',
      "server.js": "require('next')",
    };
    const p = await detectProject(await dirOf(fx));
    if (p.kind !== "node") throw new Error("expected node");
    expect(p.next?.output).toBe("server");
    expect(p.notes.join("\n")).toContain('Next.js without output: "standalone"');
  });

  it("both tiers copy .next/standalone, .next/static and public/, run node server.js, and never look for dist/", async () => {
    const r = await optimizeProject(await dirOf(nextStandalone), { planOnly: true, allTiers: true });
    for (const a of r.attempts) {
      const rt = runtimeOf(a.dockerfile);
      expect(rt).toContain("COPY --from=prune /app/.next/standalone/ ./");
      expect(rt).toContain("COPY --from=prune /app/.next/static ./.next/static");
      expect(rt).toContain("COPY --from=prune /app/public ./public");
      expect(rt).toContain("ENV HOSTNAME=0.0.0.0 PORT=3000 NEXT_TELEMETRY_DISABLED=1");
      expect(rt).toContain('CMD ["node", "server.js"]');
      // The project's node_modules stay behind: the standalone folder has the traced ones.
      expect(rt.some((l) => l.includes("/app/node_modules"))).toBe(false);
      // .next/cache is written at run time.
      expect(rt).toContain("COPY --from=init --chown=10001:10001 /opt/slimstage/empty/ /app/.next/cache/");
      expect(a.dockerfile).not.toMatch(/\bdist\b/);
    }
  });

  it("an old `npm start` (next start) becomes node server.js, and says so", async () => {
    const fx = {
      ...nextStandalone,
      Dockerfile:
        'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["npm", "start"]\n',
    };
    const r = await optimizeProject(await dirOf(fx), { planOnly: true, tier: "slim" });
    expect(r.project.entry.argv).toEqual(["node", "server.js"]);
    expect(r.project.entry.source).toMatch(
      /^CMD in .*Dockerfile:6 -> next\.config\.mjs sets output: "standalone"/,
    );
    expect(runtimeOf(r.dockerfile)).toContain('CMD ["node", "server.js"]');
  });

  it("a Dockerfile that assumed dist/ (a generic Node file): the rewrite copies the standalone layout, nothing of dist/", async () => {
    const fx = {
      ...nextStandalone,
      Dockerfile: `FROM node:22-slim AS builder
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:22-slim
WORKDIR /app
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
CMD ["node", "dist/server.js"]
`,
    };
    const r = await optimizeProject(await dirOf(fx), { planOnly: true, allTiers: true });
    expect(r.project.entry.argv).toEqual(["node", "server.js"]);
    for (const a of r.attempts) {
      expect(a.dockerfile).not.toMatch(/\bdist\b/);
      expect(runtimeOf(a.dockerfile)).toContain("COPY --from=prune /app/.next/standalone/ ./");
    }
    expect(
      r.decisions.some((d) => /COPY --from=builder \/app\/dist \.\/dist: replaced by copies/.test(d.text)),
    ).toBe(true);
  });

  it("rewrite: the user's mkdir + chown of .next is dropped, .next becomes the app user's, no chown or npm is left", async () => {
    const r = await optimizeProject(await dirOf(nextStandaloneWithDockerfile), {
      planOnly: true,
      tier: "slim",
    });
    const rt = runtimeOf(r.dockerfile).join("\n");
    expect(rt).not.toMatch(/shelf|chown |\bnpm\b/);
    expect(rt).toContain("COPY --from=init --chown=10001:10001 /opt/slimstage/empty/ /app/.next/");
    const texts = r.decisions.map((d) => d.text);
    expect(
      texts.some((t) =>
        /mkdir \.next && chown shelf:web \.next: dropped: the generated runtime creates \.next owned by its own user app/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(
      texts.some((t) => /useradd .*: replaced by the generated runtime's own non-root user app/.test(t)),
    ).toBe(true);
    expect(texts.some((t) => /RUN npm run build: replaced by the generated build stage/.test(t))).toBe(true);
  });
});

describe('NestJS started through sh -c "npm run start:prod"', () => {
  it("fresh (no Dockerfile): nest start in scripts.start is node dist/main, the port from listen(3000)", async () => {
    const { Dockerfile: _df, ...fx } = nestApp;
    const r = await optimizeProject(await dirOf(fx), { planOnly: true, tier: "slim" });
    expect(r.project.entry.argv).toEqual(["node", "dist/main"]);
    expect(r.project.port).toBe(3000);
    expect(runtimeOf(r.dockerfile)).toContain('CMD ["node", "dist/main"]');
  });

  it("resolves to node dist/main, built by nest build into dist/", async () => {
    const r = await optimizeProject(await dirOf(nestApp), { planOnly: true, allTiers: true });
    expect(r.project.entry.argv).toEqual(["node", "dist/main"]);
    expect(r.project.entry.source).toContain('scripts.start:prod "node dist/main"');
    for (const a of r.attempts) {
      const rt = runtimeOf(a.dockerfile);
      expect(rt).toContain('CMD ["node", "dist/main"]');
      expect(rt).toContain("COPY --from=prune /app/dist ./dist");
      expect(rt.join("\n")).not.toMatch(/\bnpm\b|"sh"/);
    }
  });
});

describe("a development watcher in the old CMD (npm run dev -> nodemon)", () => {
  const express = (scripts: Record<string, string>, cmd: string) => ({
    "package.json": JSON.stringify({ name: "api", version: "1.0.0", scripts, dependencies: {} }),
    "server.js": "require('http').createServer((q, s) => s.end('ok')).listen(3000);\n",
    Dockerfile: `FROM node:22-slim AS development\nWORKDIR /usr/src/app\nCOPY . .\nEXPOSE 3000\nCMD ${cmd}\n`,
  });

  it("takes the start script when the CMD's script is a watcher: node, with the reason", async () => {
    const fx = express({ start: "node server.js", dev: "nodemon server.js" }, '[ "npm", "run", "dev" ]');
    const r = await optimizeProject(await dirOf(fx), { planOnly: true, tier: "distroless" });
    expect(r.project.entry.argv).toEqual(["node", "server.js"]);
    expect(r.project.entry.source).toContain('scripts.dev "nodemon server.js" is a development watcher');
    expect(runtimeOf(r.dockerfile)).toContain('CMD ["node", "server.js"]');
  });

  it("without a start script, node runs the file the watcher watched; node --watch loses the flag", async () => {
    const a = await optimizeProject(
      await dirOf(express({ dev: "nodemon --watch src server.js" }, '["npm", "run", "dev"]')),
      { planOnly: true, tier: "slim" },
    );
    expect(a.project.entry.argv).toEqual(["node", "server.js"]);
    const b = await optimizeProject(
      await dirOf(express({ dev: "node --watch server.js" }, '["npm", "run", "dev"]')),
      { planOnly: true, tier: "slim" },
    );
    expect(b.project.entry.argv).toEqual(["node", "server.js"]);
  });

  it("a command it cannot resolve stays, and the plan says so instead of claiming node", async () => {
    const r = await optimizeProject(await dirOf(express({ dev: "gulp serve" }, '["npm", "run", "dev"]')), {
      planOnly: true,
      tier: "distroless",
    });
    expect(r.project.entry.argv).toEqual(["npm", "run", "dev"]);
    const cmd = r.decisions.find((d) => d.topic === "cmd")?.text ?? "";
    expect(cmd).toContain("could not be resolved to the node command it runs");
    expect(cmd).not.toContain("node is the init's only child");
  });
});

describe("folder set-up steps of the old file's user", () => {
  /** The RUN's script as slimstage's shell parser reads it. */
  const shell = (t: string) => (parseInstruction(`RUN ${t}`) as RunInstruction).shell;
  const ownershipStep = (t: string) => ownershipOf(shell(t));

  it("reads mkdir, chown and chmod steps; anything else is not one", () => {
    expect(ownershipStep("mkdir .next && chown nextjs:nodejs .next")).toEqual({
      created: [".next"],
      owned: [".next"],
      recursive: [],
      owners: ["nextjs:nodejs"],
    });
    expect(
      ownershipStep("mkdir -p /data/uploads; chown -R 1000:1000 /data/uploads && chmod 750 /data"),
    ).toEqual({
      created: ["/data/uploads"],
      owned: ["/data/uploads"],
      recursive: ["/data/uploads"],
      owners: ["1000:1000"],
    });
    expect(ownershipStep("mkdir x && chown u x && npm run build")).toBeUndefined();
    expect(ownershipStep("chown u $(cat list)")).toBeUndefined();
    // Read as the shell reads it: `|| true` runs a command; quotes and line continuations are words' business.
    expect(ownershipStep("(mkdir a && chown u a) || true")).toBeUndefined();
    expect(ownershipStep('mkdir -p "/srv/my data" \\\n  && chown -R app "/srv/my data" 2>/dev/null')).toEqual(
      {
        created: ["/srv/my data"],
        owned: ["/srv/my data"],
        recursive: ["/srv/my data"],
        owners: ["app"],
      },
    );
    expect(ownershipStep("mkdir a && chown u a &&")).toBeUndefined();
    expect(createdFolders(shell("mkdir -p /var/log/app && touch /var/log/app/x.log || mkdir /b"))).toEqual([
      "/var/log/app",
      "/b",
    ]);
  });

  it("reads a step that only makes folders with literal paths; a mode, a variable or any other command is not one", () => {
    const folders = (t: string) => foldersOnlyStep(shell(t));
    expect(folders("mkdir -p /srv/static logs")).toEqual(["/srv/static", "logs"]);
    expect(folders("mkdir -p /a && mkdir --parents /b/c/ ; mkdir -pv ./d")).toEqual(["/a", "/b/c/", "./d"]);
    expect(folders('mkdir -p "/srv/static"')).toEqual(["/srv/static"]);
    expect(folders("mkdir -m 700 /srv/secret")).toBeUndefined();
    expect(folders("mkdir --mode=700 /srv/secret")).toBeUndefined();
    expect(folders("mkdir -p $HOME/cache")).toBeUndefined();
    expect(folders('mkdir -p "/srv/my data"')).toBeUndefined();
    expect(folders("mkdir -p /srv/{a,b}")).toBeUndefined();
    expect(folders("mkdir -p /var/log/app && touch /var/log/app/app.log")).toBeUndefined();
    expect(folders("mkdir -p")).toBeUndefined();
    expect(folders("UMASK=0 mkdir /x")).toBeUndefined();
  });

  it("hands a folder to the app only when the step made it and gave it to a non-root user", () => {
    const step = (t: string) =>
      handedFolders(ownershipStep(t) ?? { created: [], owned: [], recursive: [], owners: [] });
    expect(step("mkdir .next && chown nextjs .next")).toEqual([".next"]);
    expect(step("mkdir ./cache && chown app:app cache/")).toEqual(["./cache"]);
    expect(step("mkdir .next && chown root:root .next")).toEqual([]);
    expect(step("mkdir -p .next/cache && chown -R nextjs:nodejs .next")).toEqual([".next/cache"]);
    expect(step("mkdir -p .next/cache && chown nextjs:nodejs .next")).toEqual([]);
    expect(step("chown -R 1000:1000 /home/app/web")).toEqual([]);
    expect(step("mkdir -p $APP_HOME/media && chown app $APP_HOME/media")).toEqual([]);
  });
});

describe("a project in a sub-folder", () => {
  it("is found through the root Dockerfile's COPY service /service, with the old WORKDIR", async () => {
    const dir = await dirOf(serviceSubfolder);
    const r = await optimizeProject(dir, { planOnly: true, tier: "slim" });
    const real = await realpath(dir);
    expect(r.project.dir).toBe(path.join(real, "service"));
    expect(r.project.kind).toBe("python");
    expect(r.project.entry.argv).toEqual(["python", "app.py"]);
    expect(r.target).toBe(path.join(real, "service", "Dockerfile"));
    expect(runtimeOf(r.dockerfile)).toContain("WORKDIR /service");
    expect(r.decisions[0]?.topic).toBe("discovery");
    expect(r.decisions[0]?.text).toMatch(
      /^the project is in service\/ \(COPY service \/service in .*Dockerfile:2\)/,
    );
  });

  it("is found through ADD as well", async () => {
    const fx = {
      ...serviceSubfolder,
      Dockerfile: (serviceSubfolder.Dockerfile ?? "").replace(
        "COPY service /service",
        "ADD service /service",
      ),
    };
    const r = await optimizeProject(await dirOf(fx), { planOnly: true, tier: "slim" });
    expect(r.decisions[0]?.text).toMatch(
      /^the project is in service\/ \(ADD service \/service in .*Dockerfile:2\)/,
    );
  });

  it("without a Dockerfile to tell, two folders with a project are named in the error", async () => {
    const dir = await dirOf(serviceSubfolder);
    await rm(path.join(dir, "Dockerfile"));
    const err = await optimizeProject(dir, { planOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /2 sub-folders hold one: (scripts\/, service\/|service\/, scripts\/)/,
    );
  });

  it("a single folder with a project is taken without a Dockerfile", async () => {
    const { "scripts/seed.py": _seed, Dockerfile: _df, ...fx } = serviceSubfolder;
    const r = await optimizeProject(await dirOf(fx), {
      planOnly: true,
      tier: "slim",
      probes: [{ kind: "tcp", port: 8000 }],
    });
    expect(r.project.dir.endsWith(`${path.sep}service`)).toBe(true);
    expect(r.decisions[0]?.text).toContain("the project is in service/ (the only project below the folder)");
  });
});
