import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { type ComposeService, containerPortsOf, loadCompose, parseDuration } from "./compose.js";

/**
 * The compose corpus (testdata/compose-corpus/<case>/docker-compose.yml, with
 * its .env, env files and case.json: {env, profiles, error}) read by
 * slimstage and by the reference, Debian's docker-compose 1.29
 * (`docker-compose config`), compared field by field for every field
 * verification uses. The reference's command strings are split by Python's
 * shlex, as docker-py does when it creates the container.
 */

const exec = promisify(execFile);
const CORPUS = join(import.meta.dirname, "testdata", "compose-corpus");
const cases = readdirSync(CORPUS).sort();

interface CaseMeta {
  env?: Record<string, string>;
  profiles?: string[];
  error?: boolean;
}

interface Resolved {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args: Record<string, string> };
  environment: Record<string, string>;
  ports: number[];
  dependsOn: { service: string; condition: string }[];
  healthcheck?: {
    test: string[];
    intervalMs?: number;
    timeoutMs?: number;
    retries?: number;
    startPeriodMs?: number;
  };
  command?: string[];
  profiles: string[];
}

type RefService = Record<string, unknown>;

function defined(map: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((map as Record<string, unknown> | undefined) ?? {}))
    if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/** Verification uses ports as a set (each gets a probe); 1.29 reorders merged ports. */
function portSet(ports: number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

function fromReference(svc: RefService): Resolved {
  const out: Resolved = {
    environment: defined(svc.environment),
    ports: portSet(
      ((svc.ports as unknown[] | undefined) ?? []).flatMap((p) =>
        p && typeof p === "object"
          ? containerPortsOf(String((p as { target: unknown }).target))
          : containerPortsOf(p as string),
      ),
    ),
    dependsOn: Object.entries((svc.depends_on as Record<string, { condition: string }> | undefined) ?? {})
      .map(([service, v]) => ({ service, condition: v.condition }))
      .sort((a, b) => a.service.localeCompare(b.service)),
    profiles: (svc.profiles as string[] | undefined) ?? [],
  };
  if (typeof svc.image === "string") out.image = svc.image;
  const b = svc.build as Record<string, unknown> | undefined;
  if (b) {
    out.build = {
      context: String(b.context),
      ...(typeof b.dockerfile === "string" ? { dockerfile: b.dockerfile } : {}),
      ...(typeof b.target === "string" ? { target: b.target } : {}),
      args: defined(b.args),
    };
  }
  const h = svc.healthcheck as Record<string, unknown> | undefined;
  if (h) {
    const test = typeof h.test === "string" ? ["CMD-SHELL", h.test] : (h.test as string[]);
    const d = (k: string) => (typeof h[k] === "string" ? { [k]: parseDuration(h[k] as string, k) } : {});
    const { interval, timeout, start_period } = { ...d("interval"), ...d("timeout"), ...d("start_period") };
    out.healthcheck = {
      test,
      ...(interval !== undefined ? { intervalMs: interval } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
      ...(typeof h.retries === "number" ? { retries: h.retries } : {}),
      ...(start_period !== undefined ? { startPeriodMs: start_period } : {}),
    };
  }
  if (Array.isArray(svc.command)) out.command = svc.command.map(String);
  return out;
}

function fromSlimstage(s: ComposeService): Resolved {
  return {
    ...(s.image !== undefined ? { image: s.image } : {}),
    ...(s.build ? { build: s.build } : {}),
    environment: s.environment,
    ports: portSet(s.ports),
    dependsOn: s.dependsOn
      .map((d) => ({ service: d.service, condition: d.condition }))
      .sort((a, b) => a.service.localeCompare(b.service)),
    ...(s.healthcheck ? { healthcheck: s.healthcheck } : {}),
    ...(s.command ? { command: s.command } : {}),
    profiles: s.profiles,
  };
}

type RefResult = { ok: true; services: Record<string, RefService> } | { ok: false; error: string };

/**
 * `docker-compose config` for every case, in one Python process
 * (testdata/compose-config-batch.py, with the interpreter docker-compose runs
 * under): starting docker-compose per file takes seconds on a busy machine.
 */
async function referenceAll(metas: CaseMeta[]): Promise<RefResult[]> {
  const which = await exec("sh", ["-c", "command -v docker-compose"]).catch(() => undefined);
  const bin = which?.stdout.trim();
  if (!bin)
    throw new Error(
      "docker-compose is not installed: scripts/test.sh installs it (apt-get install -y docker-compose)",
    );
  const python = /^#!\s*(\S+)/.exec(readFileSync(bin, "utf8").slice(0, 200))?.[1] ?? "python3";
  const input = cases.map((name, i) => ({
    dir: join(CORPUS, name),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...metas[i]?.env },
    profiles: metas[i]?.profiles ?? [],
  }));
  const run = exec(python, [join(import.meta.dirname, "testdata", "compose-config-batch.py")], {
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  run.child.stdin?.end(JSON.stringify(input));
  return JSON.parse((await run).stdout) as RefResult[];
}

describe("compose files resolve as docker-compose 1.29 resolves them", () => {
  it("has a corpus of at least 30 files", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  const metas: CaseMeta[] = cases.map((name) => {
    const file = join(CORPUS, name, "case.json");
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  });
  let refs: RefResult[] = [];
  beforeAll(async () => {
    refs = await referenceAll(metas);
  }, 300_000);

  cases.forEach((name, i) => {
    it(name, async () => {
      const dir = join(CORPUS, name);
      const meta = metas[i] ?? {};
      const ref = refs[i];
      expect(ref, "reference result").toBeDefined();
      const ours = loadCompose(join(dir, "docker-compose.yml"), {
        env: meta.env ?? {},
        profiles: meta.profiles ?? [],
      });
      if (meta.error) {
        expect(ref?.ok, "docker-compose refuses it").toBe(false);
        await expect(ours).rejects.toThrow();
        return;
      }
      if (!ref?.ok) throw new Error(`docker-compose config failed: ${ref?.error}`);
      const mine = await ours;
      expect(Object.keys(mine.services).sort()).toEqual(Object.keys(ref.services).sort());
      for (const [svc, r] of Object.entries(ref.services)) {
        const m = mine.services[svc];
        expect(m, svc).toBeDefined();
        expect(fromSlimstage(m as ComposeService), `service ${svc}`).toEqual(fromReference(r));
      }
    });
  });
});
