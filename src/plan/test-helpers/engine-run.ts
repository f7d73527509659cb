/**
 * What optimize's engine tests share: a label of the run's own (other
 * engineers' tests share the engine), the tiers' images untagged and
 * everything labelled removed afterwards, fixture folders cleaned up, and the
 * `docker stop` measurement.
 */
import { removeByLabel } from "../../engine/cleanup.js";
import { connectEngine } from "../../engine/connect.js";
import { containerLogs } from "../../engine/containers.js";
import { untagLocalImage } from "../../engine/local-images.js";
import type { OptimizeResult, TierAttempt } from "../optimize.js";
import { writeFixture } from "../testdata/fixtures.js";

export interface EngineRun {
  run: string;
  labels: Record<string, string>;
  /** Image tags untagged at the end (the tiers' images, originals built by the test). */
  tags: string[];
  cleanups: Array<() => Promise<void>>;
  /** The attempt of `tier` (its image is untagged at the end); throws when there is none. */
  attempt(r: OptimizeResult, tier: "slim" | "distroless"): TierAttempt;
  /** A fixture written to a temp folder, removed at the end. */
  dirOf(fx: Record<string, string>): Promise<string>;
  /** Starts the image (with `env`), stops it with a 10 s grace period: the stop time and the exit code. */
  stopTime(
    image: string,
    env?: Record<string, string>,
  ): Promise<{
    ms: number;
    exitCode: number /** What the container wrote until it stopped. */;
    logs: string;
  }>;
  /** For afterAll: untag, remove what carries the label, clean the fixtures. */
  cleanup(): Promise<void>;
}

export function engineRun(name: string): EngineRun {
  const run = Math.random().toString(36).slice(2, 8);
  const labels = { "org.slimstage.test": `${name}-${run}` };
  const tags: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  return {
    run,
    labels,
    tags,
    cleanups,
    attempt(r, tier) {
      const a = r.attempts.find((x) => x.tier === tier);
      if (!a) throw new Error(`no ${tier} attempt`);
      if (a.image) tags.push(a.image);
      return a;
    },
    async dirOf(fx) {
      const { dir, cleanup } = await writeFixture(fx);
      cleanups.push(cleanup);
      return dir;
    },
    async stopTime(image, env = {}) {
      const engine = await connectEngine();
      const c = await engine.docker.createContainer({
        Image: image,
        Labels: labels,
        StopTimeout: 10,
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      });
      try {
        await c.start();
        // Up means the init and the app run; the app's own readiness is not what is measured here.
        for (let i = 0; i < 50 && !(await c.inspect()).State.Running; i++)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 1500));
        const t0 = performance.now();
        await c.stop({ t: 10 });
        const ms = performance.now() - t0;
        return { ms, exitCode: (await c.inspect()).State.ExitCode, logs: await containerLogs(engine, c.id) };
      } finally {
        await c.remove({ force: true });
      }
    },
    async cleanup() {
      const engine = await connectEngine();
      for (const t of tags.splice(0)) await untagLocalImage(engine, t);
      await removeByLabel(engine, labels, { images: true });
      for (const c of cleanups.splice(0)) await c();
    },
  };
}
