/** The machine a lab run measured on, for docs/results.md and --json. */
import { readFile } from "node:fs/promises";
import { cpus, hostname, release, totalmem } from "node:os";
import type { MachineInfo } from "./lab-result.js";

async function osName(): Promise<string> {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? process.platform;
}

export async function machineInfo(): Promise<MachineInfo> {
  const { findBuildKitClient } = await import("../engine/build-client.js");
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
  };
}
