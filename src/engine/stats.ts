import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { EngineConnection } from "./connect.js";

interface MemoryStats {
  usage?: number;
  max_usage?: number;
  stats?: Record<string, number>;
}

/**
 * Memory in use without the reclaimable page cache, the way `docker stats`
 * counts it (cgroup v1: total_inactive_file, v2: inactive_file).
 */
export function workingSet(m: MemoryStats | undefined): number | undefined {
  if (!m || typeof m.usage !== "number") return undefined;
  const inactive = m.stats?.total_inactive_file ?? m.stats?.inactive_file ?? 0;
  return Math.max(0, m.usage - inactive);
}

export interface MemoryWatch {
  /** The highest working set seen so far (undefined before the first sample). */
  readonly peak: number | undefined;
  /** Takes one last sample and stops the stream; returns the peak. */
  stop(): Promise<number | undefined>;
}

/**
 * Follows the engine's stats stream of a container and keeps the peak
 * working set. Never throws: memory is a measurement, not a precondition.
 */
export function watchPeakMemory(engine: EngineConnection, id: string): MemoryWatch {
  let peak: number | undefined;
  let stream: Readable | undefined;
  let stopped = false;
  const take = (m: MemoryStats | undefined) => {
    const w = workingSet(m);
    if (w !== undefined && w > 0) peak = Math.max(peak ?? 0, w);
  };
  const container = engine.docker.getContainer(id);
  container
    .stats({ stream: true })
    .then((s: unknown) => {
      stream = s as Readable;
      if (stopped) {
        stream.destroy();
        return;
      }
      stream.on("error", () => {});
      const rl = createInterface({ input: stream });
      // The stream ends with an error when the engine goes away: not our failure to report.
      rl.on("error", () => {});
      rl.on("line", (line) => {
        try {
          take((JSON.parse(line) as { memory_stats?: MemoryStats }).memory_stats);
        } catch {
          // a partial line: ignore
        }
      });
    })
    .catch(() => {});
  return {
    get peak() {
      return peak;
    },
    async stop() {
      if (stopped) return peak;
      stopped = true;
      try {
        // one-shot: one sample now, without waiting for a second CPU sample
        const s = (await container.stats({ stream: false, "one-shot": true } as { stream: false })) as {
          memory_stats?: MemoryStats;
        };
        take(s.memory_stats);
      } catch {
        // the container may be gone already
      }
      stream?.destroy();
      return peak;
    },
  };
}
