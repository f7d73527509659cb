/**
 * The runtime of a Next.js standalone build: server.js with its traced
 * node_modules at the app folder's root, the browser assets in
 * .next/static and public/ beside it (server.js serves both from there), and
 * the variables its server reads.
 */
import type { NextStandalone } from "../project.js";
import type { Decision, WritablePath } from "./text.js";

/** The COPY lines from the prune stage, in the layout server.js expects. */
export function nextCopies(next: NextStandalone): string[] {
  return [
    // The folder's contents (server.js, package.json, node_modules, .next/server) go to the app folder itself.
    "COPY --from=prune /app/.next/standalone/ ./",
    "COPY --from=prune /app/.next/static ./.next/static",
    ...(next.publicDir ? ["COPY --from=prune /app/public ./public"] : []),
  ];
}

/**
 * server.js binds to $HOSTNAME, which Docker sets to the container's id: it
 * would then listen on one address only, and a HEALTHCHECK on 127.0.0.1 would
 * find nothing. 0.0.0.0 makes it listen on all of them; PORT is its port.
 */
export function nextEnvLine(port: number | undefined): string {
  return `ENV HOSTNAME=0.0.0.0 PORT=${port ?? 3000} NEXT_TELEMETRY_DISABLED=1`;
}

/** Next.js writes its cache (ISR pages, optimized images) into .next/cache at run time. */
export function nextWritable(appDir: string): WritablePath {
  return { path: `${appDir.replace(/\/$/, "")}/.next/cache`, source: "Next.js's run-time cache" };
}

export function nextDecision(next: NextStandalone, port: number | undefined): Decision {
  return {
    topic: "runtime",
    text: `${next.config} sets output: "standalone": the runtime holds .next/standalone (server.js and the node_modules files it traced) at the app folder's root, .next/static${next.publicDir ? " and public/" : ""} beside it, not the project's node_modules; HOSTNAME=0.0.0.0 so that server.js listens on every address of the container (Docker sets HOSTNAME to the container id), PORT=${port ?? 3000}`,
  };
}
