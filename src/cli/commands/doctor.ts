import type { Command } from "commander";
import { formatBytes } from "../../image/format/units.js";
import { EXIT } from "../exit-codes.js";
import { action, examples } from "../runtime.js";

const mb = (bytes: number | undefined) => (bytes === undefined ? "-" : formatBytes(bytes));

export function define(program: Command): void {
  program
    .command("doctor")
    .description(
      "Find the container engine and report what it can do: engine, BuildKit client, registry, local bases",
    )
    .option("--offline", "do not ask the engine whether a registry is reachable")
    .addHelpText(
      "after",
      examples([
        ["slimstage doctor", "engine, BuildKit client, registry and local bases, in words"],
        ["slimstage doctor --json --offline", "the same as JSON, without the registry check"],
        ["DOCKER_HOST=ssh://me@bigger-host slimstage doctor", "check a remote engine"],
      ]),
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 all well, 1 a problem to fix (e.g. no BuildKit-capable client), 3 no usable engine.\n",
    )
    .action(
      action(async (rt, o: { offline?: boolean }) => {
        const { runDoctor } = await import("../../host/doctor.js");
        const r = await runDoctor({ offline: o.offline === true });
        const code = r.engine ? (r.ok ? EXIT.ok : EXIT.findings) : EXIT.engine;
        if (rt.json) {
          rt.printJson(r);
          return code;
        }
        const lines: string[] = [];
        lines.push("Engine discovery:");
        for (const d of r.discovery)
          lines.push(`  ${d.outcome === "found" ? "*" : "-"} ${d.strategy}: ${d.detail}`);
        if (r.engine) {
          const e = r.engine;
          lines.push(`Engine: ${e.source} (${e.host})`);
          lines.push(
            `  version ${e.serverVersion}, API ${e.apiVersion}${e.minApiVersion ? ` (min ${e.minApiVersion})` : ""}`,
          );
          lines.push(
            `  ${e.os}, ${e.osType}/${e.arch}, kernel ${e.kernel}, ${e.cpus} CPUs, ${mb(e.memoryBytes)}`,
          );
          lines.push(
            `  storage driver ${e.storageDriver}, cgroup v${e.cgroupVersion ?? "?"}${e.cgroupDriver ? ` (${e.cgroupDriver})` : ""}`,
          );
          lines.push(
            e.buildMode === "classic"
              ? "  builds: the engine's classic /build (Podman: buildah; no BuildKit session), through the client below with DOCKER_BUILDKIT=0"
              : "  builds: BuildKit, through the client below",
          );
        } else {
          lines.push(`Engine: none usable. ${r.engineError?.message ?? ""}`);
          if (r.engineError?.hint) lines.push(`  hint: ${r.engineError.hint}`);
          lines.push(
            "  no engine here? `slimstage setup` (Debian/Ubuntu, as root) installs and starts one; to build on a bigger or shared machine, point DOCKER_HOST at its engine: DOCKER_HOST=ssh://user@bigger-host slimstage doctor",
          );
        }
        if (r.buildKitClient) {
          const b = r.buildKitClient;
          lines.push(`BuildKit client: ${b.path} ${b.version} (${b.mode}): ${b.detectedBy}`);
        } else {
          lines.push("BuildKit client: none");
        }
        for (const c of r.dockerClients.filter((x) => !x.buildKit)) {
          lines.push(`  not usable for BuildKit: ${c.path} ${c.version ?? ""}: ${c.reason ?? ""}`);
        }
        lines.push(
          `Registry (${r.registry.registry}): ${r.registry.checked ? `${r.registry.reachable ? "reachable" : "no"}: ` : ""}${r.registry.detail}`,
        );
        if (r.engine) {
          lines.push("Local bases (local stand-ins built from Debian packages, not the official images):");
          for (const b of r.bases) {
            lines.push(
              b.present
                ? `  ${b.ref.padEnd(32)} ${mb(b.size).padStart(9)}  aliases: ${b.aliases.join(", ") || "-"}`
                : `  ${b.ref.padEnd(32)} (not built: slimstage bases build)`,
            );
          }
        }
        for (const p of r.problems) lines.push(`problem: ${p}`);
        rt.print(lines.join("\n"));
        return code;
      }),
    );
}
