import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expand } from "../dockerfile/expand.js";
import { parseDockerfile } from "../dockerfile/parser.js";
import { buildStageGraph } from "../dockerfile/stage-graph.js";
import type { ImageConfig } from "../image/model.js";
import { lintText } from "../lint/engine.js";
import { closureList, emitDockerfile, healthcheckLine } from "./emit.js";
import { healthCommand } from "./minify.js";

const config: ImageConfig = {
  env: ["PATH=/usr/local/bin:/usr/bin:/bin", 'GREETING=say "hi" for $5 \\ more', "EMPTY="],
  cmd: ["python", "app.py"],
  entrypoint: ["/usr/bin/tini", "--"],
  user: "app",
  workdir: "/app",
  exposedPorts: ["5000/tcp", "443/tcp"],
  labels: { "org.opencontainers.image.title": "hello", "org.slimstage.variant": "single" },
  os: "linux",
  architecture: "amd64",
};

const text = emitDockerfile({
  source: "hello:single",
  sourceId: "sha256:abc",
  config,
  picker: "debian:bookworm-slim",
  listFile: "closure.txt",
  notes: ["kept: 3 files"],
});

describe("emitDockerfile", () => {
  it("writes a Dockerfile that parses, with the picker stage feeding a scratch final stage", () => {
    const df = parseDockerfile(text, { file: "Dockerfile", shell: true });
    expect(df.stages.map((s) => s.name ?? "")).toEqual(["source", "pick", ""]);
    const graph = buildStageGraph(df);
    // source feeds pick through a mount, pick feeds the result through COPY: neither's filesystem is in it.
    expect(graph.stages.map((s) => [s.reachable, s.reachesFinalImage, s.contributesFiles])).toEqual([
      [true, false, true],
      [true, false, true],
      [true, true, false],
    ]);
    expect(text).toContain("FROM scratch\nCOPY --from=pick /closure/ /\n");
    expect(text).toContain("--mount=type=bind,from=source,target=/source");
    expect(text).toContain("-T /closure.txt -cf /closure.tar");
  });

  it("carries the run configuration over exactly: ENV values survive expansion, exec-form ENTRYPOINT and CMD", () => {
    const df = parseDockerfile(text, { file: "Dockerfile", shell: true });
    const env = expand(df).stages.at(-1)?.env;
    expect(env).toEqual({
      PATH: "/usr/local/bin:/usr/bin:/bin",
      GREETING: 'say "hi" for $5 \\ more',
      EMPTY: "",
    });
    expect(text).toContain('ENTRYPOINT ["/usr/bin/tini","--"]');
    expect(text).toContain('CMD ["python","app.py"]');
    expect(text).toContain("USER app\n");
    expect(text).toContain("WORKDIR /app\n");
    expect(text).toMatch(/EXPOSE 443\/tcp\nEXPOSE 5000\/tcp/);
  });

  it("keeps the image's labels but not slimstage's own, and records the source", () => {
    expect(text).toContain('"org.opencontainers.image.title"="hello"');
    expect(text).not.toContain("org.slimstage.variant");
    expect(text).toContain('"org.slimstage.minified-source-id"="sha256:abc"');
  });

  it("lints without errors (the scratch stage has no shell to misuse)", () => {
    const r = lintText(text, { file: "Dockerfile" });
    expect(r.parseFailed).toBe(false);
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("healthcheck, stop signal and volumes", () => {
  const base = { ...config, entrypoint: null };
  it("carries a HEALTHCHECK over in the form the config has (exec, shell, NONE), with its timings", () => {
    const exec = healthcheckLine({
      ...base,
      healthcheck: {
        test: ["CMD", "python", "-c", "print(1)"],
        intervalNs: 10e9,
        timeoutNs: 500e6,
        startPeriodNs: 5e9,
        retries: 3,
      },
    });
    expect(exec).toBe(
      'HEALTHCHECK --interval=10s --timeout=500ms --start-period=5s --retries=3 CMD ["python","-c","print(1)"]',
    );
    expect(
      healthcheckLine({
        ...base,
        healthcheck: { test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] },
      }),
    ).toBe("HEALTHCHECK CMD curl -f http://localhost/ || exit 1");
    expect(healthcheckLine({ ...base, healthcheck: { test: ["NONE"] } })).toBe("HEALTHCHECK NONE");
    expect(healthcheckLine(base)).toBeUndefined();
  });

  it("writes STOPSIGNAL and VOLUME, and the result parses back to the same values", () => {
    const text = emitDockerfile({
      source: "s:1",
      sourceId: "sha256:1",
      config: {
        ...base,
        stopSignal: "SIGQUIT",
        volumes: ["/data", "/var/log/app"],
        healthcheck: { test: ["CMD", "true"], intervalNs: 1e9 },
      },
      picker: "debian:bookworm-slim",
      listFile: "closure.txt",
      notes: [],
    });
    const df = parseDockerfile(text, { file: "Dockerfile", shell: true });
    const last = df.stages.at(-1)!.instructions.map((i) => i.keyword);
    expect(last).toEqual(expect.arrayContaining(["VOLUME", "STOPSIGNAL", "HEALTHCHECK"]));
    expect(text).toContain(
      'VOLUME ["/data","/var/log/app"]\nSTOPSIGNAL SIGQUIT\nHEALTHCHECK --interval=1s CMD ["true"]\n',
    );
  });

  it("names the command to trace for the health check", () => {
    expect(healthCommand({ ...base, healthcheck: { test: ["CMD", "pg_isready"] } })).toEqual(["pg_isready"]);
    expect(healthCommand({ ...base, healthcheck: { test: ["CMD-SHELL", "a && b"] } })).toEqual([
      "/bin/sh",
      "-c",
      "a && b",
    ]);
    expect(healthCommand({ ...base, healthcheck: { test: ["NONE"] } })).toBeUndefined();
  });
});

describe("closureList", () => {
  it("lists one path a line and sets aside names with a newline", () => {
    expect(closureList(["app", "app/a b.py", "bad\nname"])).toEqual({
      text: "app\napp/a b.py\n",
      skipped: ["bad\nname"],
    });
    expect(closureList([]).text).toBe("");
  });
});

describe("emitDockerfile quotes every value the way the frontend reads it back (property)", () => {
  // Characters that mean something to the Dockerfile frontend or the shell lexer, and some that do not.
  const char = fc.constantFrom(..."ab Z09_.-/:=\"'$\\{}#`\t\n\r,@%+;&|()[]é€".split(""));
  const text = fc.string({ unit: char, maxLength: 12 });
  const configs = fc.record({
    env: fc.array(fc.tuple(fc.string({ unit: char, minLength: 1, maxLength: 6 }), text), { maxLength: 4 }),
    workdir: text,
    user: text,
    stopSignal: text,
    volumes: fc.array(text, { maxLength: 3 }),
    exposedPorts: fc.uniqueArray(text, { maxLength: 3 }),
    labels: fc.dictionary(fc.string({ unit: char, minLength: 1, maxLength: 6 }), text, { maxKeys: 3 }),
    cmd: fc.array(text, { minLength: 1, maxLength: 3 }),
    entrypoint: fc.array(text, { maxLength: 2 }),
    health: text,
  });

  it("emit -> parse -> expand gives every value back, or leaves it out with a note", () => {
    fc.assert(
      fc.property(configs, (g) => {
        const envKeys = new Set<string>();
        const env = g.env
          .filter(([k]) => !k.includes("=") && !envKeys.has(k) && envKeys.add(k))
          .map(([k, v]) => `${k}=${v}`);
        const config: ImageConfig = {
          env,
          cmd: g.cmd,
          entrypoint: g.entrypoint.length ? g.entrypoint : null,
          user: g.user,
          workdir: g.workdir,
          exposedPorts: g.exposedPorts,
          labels: g.labels,
          os: "linux",
          architecture: "amd64",
          stopSignal: g.stopSignal,
          volumes: g.volumes,
          healthcheck: { test: ["CMD-SHELL", g.health] },
        };
        const skipped: string[] = [];
        const out = emitDockerfile({
          source: "img:1",
          sourceId: "sha256:abc",
          config,
          picker: "debian:bookworm-slim",
          listFile: "closure.txt",
          notes: [],
          onSkip: (m) => skipped.push(m),
        });
        const df = parseDockerfile(out, { file: "Dockerfile", shell: true });
        const last = expand(df).stages.at(-1);
        expect(last).toBeDefined();
        const ins = last?.instructions ?? [];
        const words = (k: string) =>
          ins.filter((i) => i.instruction.keyword === k).flatMap((i) => i.words ?? []);
        const writable = (v: string) => !/[\n\r]/.test(v);
        // ENV: exactly the variables that could be written, with their values.
        const wantEnv: Record<string, string> = {};
        for (const kv of env) {
          const eq = kv.indexOf("=");
          const [k, v] = [kv.slice(0, eq), kv.slice(eq + 1)];
          const plain = /^(?!--)[^\s"'=\\$`]+$/.test(k);
          if (plain && writable(v)) wantEnv[k] = v;
          else expect(skipped.join("\n")).toContain(JSON.stringify(plain ? v : k));
        }
        expect(last?.env).toEqual(wantEnv);
        expect(words("WORKDIR")).toEqual(g.workdir && writable(g.workdir) ? [g.workdir] : []);
        expect(words("USER")).toEqual(g.user && writable(g.user) ? [g.user] : []);
        expect(words("STOPSIGNAL")).toEqual(g.stopSignal && writable(g.stopSignal) ? [g.stopSignal] : []);
        expect(words("EXPOSE")).toEqual([...g.exposedPorts].sort().filter((p) => /^\S+$/.test(p)));
        expect(words("VOLUME")).toEqual(g.volumes.filter((v) => writable(v) && v.trim() !== ""));
        const labels = Object.fromEntries(
          words("LABEL").map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
        );
        const wantLabels = Object.fromEntries(
          Object.entries(g.labels).filter(
            ([k, v]) => !k.startsWith("org.slimstage.") && !k.includes("=") && writable(k) && writable(v),
          ),
        );
        expect(labels).toEqual({
          ...wantLabels,
          "org.slimstage.minified-from": "img:1",
          "org.slimstage.minified-source-id": "sha256:abc",
        });
        const cmd = ins.find((i) => i.instruction.keyword === "CMD")?.instruction;
        expect(cmd && "command" in cmd ? cmd.command : undefined).toEqual({ form: "json", args: g.cmd });
        const ep = ins.find((i) => i.instruction.keyword === "ENTRYPOINT")?.instruction;
        expect(ep && "command" in ep ? ep.command : undefined).toEqual(
          g.entrypoint.length ? { form: "json", args: g.entrypoint } : undefined,
        );
        const hc = ins.find((i) => i.instruction.keyword === "HEALTHCHECK")?.instruction;
        if (hc && "command" in hc) expect(hc.command).toEqual({ form: "shell", command: g.health });
        else expect(skipped.join("\n")).toContain("HEALTHCHECK");
        // No value became an instruction of its own.
        expect(df.stages.at(-1)?.instructions.map((i) => i.keyword)).toEqual(
          ["COPY", ...new Set(ins.map((i) => i.instruction.keyword).filter((k) => k !== "COPY"))].flatMap(
            (k) => ins.filter((i) => i.instruction.keyword === k).map(() => k),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });
});
