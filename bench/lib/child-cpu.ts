/** CPU time of child processes, for benchmarks that time whole processes. */
import { readFileSync } from "node:fs";

const TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) used so far by this process's waited-for
 * children: cutime + cstime of /proc/self/stat (Node has no getrusage for
 * children). 10 ms resolution: take medians over rounds.
 */
export function childrenCpu(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name (which may contain spaces) start at field 3.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) / TICKS;
}
