/**
 * Production behaviour both languages share (#15 item 3, #20 item 5): an
 * init process so that `docker stop` ends the app at once, folders the app
 * writes to owned by the app user, and a HEALTHCHECK that never changes the
 * app's state.
 */
import path from "node:path";
import { type Decision, type DockerfileText, execForm, type WritablePath } from "./text.js";

/** Where the init binary lives in the runtime. */
export const INIT_PATH = "/usr/bin/tini";
/** An empty folder in the builder that COPY --chown turns into each writable folder. */
const EMPTY_DIR = "/opt/slimstage/empty";

/**
 * The `init` stage: Debian's tini (27 KB, links only libc, which both tiers
 * carry). Node and Python ignore SIGTERM as PID 1 unless the app installs a
 * handler, so `docker stop` would wait 10 s and kill; tini as PID 1 forwards
 * the signal to the app, which then ends by its default action. Debian's
 * package rather than a hand-written signal shim: it is the same init
 * `docker run --init` injects.
 */
export function initStage(df: DockerfileText, runtimeBase: string): void {
  df.comment("---- init: tini as PID 1 forwards SIGTERM, so `docker stop` ends the app at once ----");
  df.line(`FROM ${runtimeBase} AS init`);
  df.line(
    "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends tini && \\\n    mkdir -p " +
      EMPTY_DIR,
  );
  df.blank();
}

/** The line that makes `folder` (and its parents) from the init stage's empty folder: no shell needed. */
export function emptyFolderCopy(folder: string, uid?: number): string {
  const chown = uid === undefined ? "" : ` --chown=${uid}:${uid}`;
  return `COPY --from=init${chown} ${EMPTY_DIR}/ ${folder.replace(/\/+$/, "")}/`;
}

/** Absolute form of a writable path, relative ones below the app's folder. */
export function absoluteIn(appDir: string, p: string): string {
  const a = p.startsWith("/") ? p : `${appDir}/${p}`;
  // `.`, `./x`, `x/` and doubled slashes name the same folder: one spelling for the Dockerfile.
  return path.posix.normalize(a).replace(/\/+$/, "") || "/";
}

/** Lines for the end of the runtime stage: the init binary and the writable folders. */
export function runtimeExtras(
  df: DockerfileText,
  decisions: Decision[],
  uid: number,
  writable: readonly WritablePath[],
  appDir: string,
): void {
  df.line(`COPY --from=init ${INIT_PATH} ${INIT_PATH}`);
  // The app folder itself (and those above it) were made by runtimeWorkdir already.
  for (const w of writable) if (!holds(w.path, appDir)) df.line(emptyFolderCopy(w.path, uid));
  if (writable.length > 0)
    decisions.push({
      topic: "writable",
      text: `${writable.map((w) => `${w.path} (${w.source})`).join(", ")} ${writable.length === 1 ? "is" : "are"} owned by the app user (${uid}); everything else stays read-only for it`,
    });
}

/** Is `folder` the same as `inner` or above it? */
function holds(folder: string, inner: string): boolean {
  return folder === inner || folder === "/" || inner.startsWith(`${folder}/`);
}

/**
 * `WORKDIR appDir` of the runtime stage. A writable folder that is the app folder (a
 * SQLite database beside the code) or above it is made first, owned by the app user:
 * WORKDIR would create it root-owned, and a later COPY into an existing folder keeps its
 * owner. Writable folders below the app folder come after it (runtimeExtras): COPY
 * --chown gives the folders it creates on the way the same owner, which must not be the
 * app folder's.
 */
export function runtimeWorkdir(
  df: DockerfileText,
  uid: number,
  writable: readonly WritablePath[],
  appDir: string,
): void {
  for (const w of writable)
    if (holds(w.path, appDir)) df.line(`COPY --from=init --chown=${uid}:${uid} ${EMPTY_DIR}/ ${w.path}/`);
  df.line(`WORKDIR ${appDir}`);
}

/** ENTRYPOINT with the init in front of the app's own entrypoint (when it had one). */
export function entrypointLine(entrypoint: readonly string[] = []): string {
  return `ENTRYPOINT ${execForm([INIT_PATH, "--", ...entrypoint])}`;
}

export function initDecision(decisions: Decision[], runtime: string): void {
  decisions.push({
    topic: "init",
    text: `tini (Debian's package) is PID 1 and forwards SIGTERM to ${runtime}: as PID 1, ${runtime} ends on SIGTERM only when the app handles it (servers such as uvicorn and gunicorn do; a plain Flask or http.createServer app does not, and docker stop would wait out its 10 s grace period); under tini it stops at once either way, with exit code 143 when the app does not handle the signal`,
  });
}

/** Paths that are health routes by name; any other route (even a probe's) may change the app's state. */
export function isHealthRoute(path: string): boolean {
  // A prefix only before a health word (/api/health, /flask-health-check): /update-status could change state.
  return /^\/?(?:(?:[\w/-]*[/_-])?(?:health|healthz|healthcheck|health-check|livez|readyz)|ready|alive|ping|status)\/?$/i.test(
    path,
  );
}

/** A HEALTHCHECK: the app's health route when it has one, else a plain TCP connect (never a probe route). */
export function healthcheckLine(
  language: "python" | "node",
  port: number | undefined,
  healthPath: string | undefined,
): { line: string; text: string } | undefined {
  if (port === undefined) return undefined;
  const opts = "--interval=10s --timeout=5s --start-period=5s --retries=3";
  if (healthPath !== undefined && isHealthRoute(healthPath)) {
    const url = `http://127.0.0.1:${port}${healthPath.startsWith("/") ? healthPath : `/${healthPath}`}`;
    const code =
      language === "python"
        ? `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('${url}', timeout=3).status < 500 else 1)`
        : `require('http').get('${url}', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))`;
    return {
      line: `HEALTHCHECK ${opts} CMD ${execForm([language, language === "python" ? "-c" : "-e", code])}`,
      text: `HEALTHCHECK requests ${healthPath} (the app's health route) on port ${port} with the image's own ${language} (no curl needed)`,
    };
  }
  const code =
    language === "python"
      ? `import socket; socket.create_connection(('127.0.0.1', ${port}), 3).close()`
      : `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return {
    line: `HEALTHCHECK ${opts} CMD ${execForm([language, language === "python" ? "-c" : "-e", code])}`,
    text: `HEALTHCHECK is a TCP connect to port ${port}: the app has no health route, and a request to a real route (a counter, a form) could change its state`,
  };
}

/**
 * The builder base's ENV that the runtime keeps: a generated runtime starts from
 * another base (Debian slim, or scratch), so what the language image set is lost
 * unless carried. Only settings that change how the app talks to the world: the
 * CA bundles a TLS-inspecting proxy needs (Node trusts its own store unless
 * NODE_EXTRA_CA_CERTS names more; found when an optimized Node image failed
 * HTTPS with SELF_SIGNED_CERT_IN_CHAIN where the original answered), the locale
 * and the time zone. Versions, checksums and PATH stay behind.
 */
const CARRIED_ENV = [
  "LANG",
  "LC_ALL",
  "TZ",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
];

/**
 * `NAME=value` words for an ENV line: the carried entries of `baseEnv` that the plan does not set
 * itself (`setHere`); the plan says which, when there are any.
 */
export function carryBaseEnv(
  decisions: Decision[],
  base: string,
  baseEnv: readonly string[] | undefined,
  setHere: readonly string[],
): string[] {
  const out: string[] = [];
  for (const e of baseEnv ?? []) {
    const eq = e.indexOf("=");
    const name = e.slice(0, eq);
    if (eq <= 0 || !CARRIED_ENV.includes(name) || setHere.some((w) => w.startsWith(`${name}=`))) continue;
    out.push(`${name}=${envValue(e.slice(eq + 1))}`);
  }
  if (out.length > 0)
    decisions.push({
      topic: "runtime",
      text: `${out.map((c) => c.slice(0, c.indexOf("="))).join(", ")} ${out.length === 1 ? "is" : "are"} carried from ${base}'s ENV (certificate bundles, locale, time zone); the runtime does not start from ${base}`,
    });
  return out;
}

/** A value as ENV reads it back: bare when plain, else double-quoted with `"`, `\` and `$` escaped. */
function envValue(v: string): string {
  return /^[\w./:@,+-]+$/.test(v) ? v : `"${v.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** Where the builder's CA bundle waits for the runtime (empty when the builder has none). */
const CA_BUNDLE_DIR = "/opt/slimstage/certs";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/**
 * Shell commands for a builder stage: the base's CA bundle (what the original
 * image trusted, a proxy's CA included) set aside for the runtime.
 */
export function caBundleCommands(): string[] {
  return [`mkdir -p ${CA_BUNDLE_DIR}`, `if [ -f ${CA_BUNDLE} ]; then cp ${CA_BUNDLE} ${CA_BUNDLE_DIR}/; fi`];
}

/** The runtime's copy of the bundle set aside by caBundleCommands in `stage`. */
export function caBundleCopy(stage: string): string {
  return `COPY --from=${stage} ${CA_BUNDLE_DIR}/ /etc/ssl/certs/`;
}
