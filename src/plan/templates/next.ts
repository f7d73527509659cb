/**
 * The runtime of a Next.js build. Standalone: server.js with its traced
 * node_modules at the app folder's root, the browser assets in .next/static
 * and public/ beside it (server.js serves both from there). Without
 * standalone output: .next (without its build cache), public/, package.json
 * and the config beside the production node_modules, for `next start`.
 * Both: the variables the server reads, and .next/cache writable.
 */
import type { NextApp } from "../project.js";
import type { Decision, WritablePath } from "./text.js";

/** The COPY lines from the prune stage, in the layout server.js expects (standalone only). */
export function nextCopies(next: NextApp): string[] | undefined {
  if (next.output !== "standalone") return undefined;
  return [
    // The folder's contents (server.js, package.json, node_modules, .next/server) go to the app folder itself.
    "COPY --from=prune /app/.next/standalone/ ./",
    "COPY --from=prune /app/.next/static ./.next/static",
    ...(next.publicDir ? ["COPY --from=prune /app/public ./public"] : []),
  ];
}

/**
 * `next start` loads the SWC compiler (@next/swc-<platform>, about 100 MB) only to transpile a
 * TypeScript config (next 16's server/config.js); every other use is `next build` or `next dev`.
 */
function keepsSwc(next: NextApp): boolean {
  return /\.(ts|mts)$/.test(next.config ?? "");
}

/** Prune-stage commands beyond the package manager's: `next build`'s own cache and, unless the config needs it, the compiler. */
export function nextPruneCommands(next: NextApp): string[] {
  if (next.output !== "server") return [];
  return ["rm -rf .next/cache", ...(keepsSwc(next) ? [] : ["rm -rf node_modules/@next/swc-*"])];
}

/**
 * server.js binds to $HOSTNAME, which Docker sets to the container's id: it
 * would then listen on one address only, and a HEALTHCHECK on 127.0.0.1 would
 * find nothing. 0.0.0.0 makes it listen on all of them; PORT is its port.
 * `next start` listens on 0.0.0.0 unless -H says otherwise.
 */
export function nextEnvLine(next: NextApp, port: number | undefined): string {
  return `ENV ${next.output === "standalone" ? "HOSTNAME=0.0.0.0 " : ""}PORT=${port ?? 3000} NEXT_TELEMETRY_DISABLED=1`;
}

/** Next.js writes its cache (ISR pages, optimized images) into .next/cache at run time. */
export function nextWritable(appDir: string): WritablePath {
  return { path: `${appDir.replace(/\/$/, "")}/.next/cache`, source: "Next.js's run-time cache" };
}

export function nextDecision(next: NextApp, port: number | undefined): Decision {
  if (next.output === "server")
    return {
      topic: "runtime",
      text: `Next.js without output: "standalone"${next.config ? ` in ${next.config}` : ""}: the runtime holds .next (without .next/cache, the build's own cache), ${next.publicDir ? "public/, " : ""}package.json${next.config ? `, ${next.config}` : ""} and the production node_modules${keepsSwc(next) ? ` (with the SWC compiler, which next start needs to load ${next.config})` : " without the SWC compiler (@next/swc-*, about 100 MB: next start uses it only for a TypeScript config)"}, and node runs next's bin (\`next start -p ${port ?? 3000}\`) with no npm or shell as its parent; output: "standalone" would ship only the files the server needs`,
    };
  return {
    topic: "runtime",
    text: `${next.config} sets output: "standalone": the runtime holds .next/standalone (server.js and the node_modules files it traced) at the app folder's root, .next/static${next.publicDir ? " and public/" : ""} beside it, not the project's node_modules; HOSTNAME=0.0.0.0 so that server.js listens on every address of the container (Docker sets HOSTNAME to the container id), PORT=${port ?? 3000}`,
  };
}
