/** The machine a lab run measured on, for docs/results.md and --json. */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { cpus, hostname, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { MachineInfo } from "./lab-result.js";

async function osName(): Promise<string> {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? process.platform;
}

/** The commit of the checkout slimstage runs from (none when installed from a package). */
async function sourceCommit(): Promise<{ commit?: string; uncommittedChanges?: boolean }> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const git = (args: string[]) =>
    promisify(execFile)("git", ["-C", root, ...args]).then((r) => r.stdout.trim());
  try {
    const commit = await git(["rev-parse", "--short=12", "HEAD"]);
    const status = await git(["status", "--porcelain", "--untracked-files=no"]);
    return { commit, uncommittedChanges: status !== "" };
  } catch {
    return {};
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const { VERSION } = await import("../version.js");
  const { findBuildKitClient } = await import("../engine/build/client.js");
  const client = await findBuildKitClient().catch(() => undefined);
  const cpu = cpus();
  return {
    hostname: hostname(),
    os: await osName(),
    kernel: release(),
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    node: process.version,
    ...(client ? { engine: `docker ${client.version} (${client.mode})` } : {}),
    slimstage: { version: VERSION, ...(await sourceCommit()) },
  };
}
