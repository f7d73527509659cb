import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { basename } from "node:path";
import { EngineError, InterruptedError } from "../errors.js";
import { defaultCacheDir } from "./cache-dir.js";
import { ensureWheelhouse, projectOfWheel, wheelhouseDir } from "./wheelhouse.js";

export const PACKAGE_INDEX_HOST = "127.0.0.1";
export const PACKAGE_INDEX_PORT = 3141;
/**
 * The name builds reach the index by: every slimstage build maps it to the address the
 * index listens on (`--add-host`), the bridge gateway or, on the host network, loopback.
 */
export const PACKAGE_INDEX_HOSTNAME = "slimstage-index";
/** What the Python base's /etc/pip.conf points at. */
export const PACKAGE_INDEX_URL = `http://${PACKAGE_INDEX_HOSTNAME}:${PACKAGE_INDEX_PORT}/`;
/** Answered by every slimstage index, so a second process can tell one is already serving. */
const IDENTITY_PATH = "/.slimstage-index";

export interface PackageIndex {
  /** The find-links URL on this host (a directory listing); `${url}simple/` is a PEP 503 index. */
  readonly url: string;
  /** The address and port it listens on. */
  readonly host: string;
  readonly port: number;
  /** The wheelhouse served. */
  readonly dir: string;
  /** False when another slimstage process was already serving on the port and this one reuses it. */
  readonly owned: boolean;
  close(): Promise<void>;
}

export interface PackageIndexOptions {
  readonly signal?: AbortSignal;
  /** The wheelhouse to serve; default: the one `slimstage bases build` fills. */
  readonly dir?: string;
  /** The port; 0 picks a free one owned by this process (never shared with another). */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1; builds use the bridge gateway: build/index-access.ts). */
  readonly host?: string;
  /** Fill the default wheelhouse with the host's pip when it is missing (default true). */
  readonly fill?: boolean;
  readonly progress?: (line: string) => void;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function page(title: string, links: ReadonlyArray<readonly [href: string, text: string]>): string {
  const body = links.map(([h, t]) => `<a href="${escapeHtml(h)}">${escapeHtml(t)}</a><br>`).join("\n");
  return `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

async function wheels(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".whl")).sort();
}

/**
 * Routes: `/` lists every wheel (pip's --find-links), `/simple/` and
 * `/simple/<project>/` form a PEP 503 index, `/<file>.whl` serves a wheel.
 * node:http is enough for a read-only listing; no framework needed.
 */
function handler(dir: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const send = (code: number, type: string, body: string) => {
      res.writeHead(code, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "read-only index\n");
      if (path === IDENTITY_PATH)
        return send(200, "application/json", JSON.stringify({ slimstage: true, dir }));
      if (path === "/") {
        const files = await wheels(dir);
        return send(
          200,
          "text/html",
          page(
            "slimstage offline wheelhouse",
            files.map((f) => [f, f]),
          ),
        );
      }
      if (path === "/simple/" || path === "/simple") {
        const projects = [...new Set((await wheels(dir)).map(projectOfWheel))].sort();
        return send(
          200,
          "text/html",
          page(
            "Simple index",
            projects.map((p) => [`${p}/`, p]),
          ),
        );
      }
      const proj = /^\/simple\/([^/]+)\/?$/.exec(path);
      if (proj?.[1]) {
        const want = proj[1].replace(/[-_.]+/g, "-").toLowerCase();
        const files = (await wheels(dir)).filter((f) => projectOfWheel(f) === want);
        if (files.length === 0) return send(404, "text/plain", `no project ${want}\n`);
        return send(
          200,
          "text/html",
          page(
            `Links for ${want}`,
            files.map((f) => [`../../${f}`, f]),
          ),
        );
      }
      const name = basename(path);
      if (path === `/${name}` && name.endsWith(".whl")) {
        const file = `${dir}/${name}`;
        const st = await stat(file).catch(() => undefined);
        if (!st?.isFile()) return send(404, "text/plain", `no file ${name}\n`);
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": st.size });
        if (req.method === "HEAD") return void res.end();
        createReadStream(file).pipe(res);
        return;
      }
      send(404, "text/plain", "not found\n");
    } catch (err) {
      send(500, "text/plain", `${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

/** True when a slimstage index answers on the port. */
export function probePackageIndex(
  port = PACKAGE_INDEX_PORT,
  timeoutMs = 2000,
  host = PACKAGE_INDEX_HOST,
): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: IDENTITY_PATH, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Serves the wheelhouse on 127.0.0.1:3141 (or `host`) until close() or the signal.
 * Several slimstage processes may build at once: when another one already
 * serves the port, this one reuses it and takes the port over should that
 * process stop first.
 */
export async function startPackageIndex(opts: PackageIndexOptions = {}): Promise<PackageIndex> {
  if (opts.signal?.aborted) throw new InterruptedError();
  let port = opts.port ?? PACKAGE_INDEX_PORT;
  const host = opts.host ?? PACKAGE_INDEX_HOST;
  const ephemeral = port === 0;
  let dir = opts.dir;
  if (!dir) {
    const cacheDir = defaultCacheDir();
    dir =
      opts.fill === false
        ? wheelhouseDir(cacheDir)
        : await ensureWheelhouse({
            cacheDir,
            signal: opts.signal ?? new AbortController().signal,
            progress: opts.progress ?? (() => {}),
            caBundle: "",
          });
  }
  const served = dir;
  await stat(served).catch((cause: unknown) => {
    throw new EngineError(`the wheelhouse ${served} does not exist`, {
      cause,
      hint: "run `slimstage bases build` to fill it",
    });
  });

  let server: Server | undefined = createServer((req, res) => void handler(served)(req, res));
  try {
    await listen(server, port, host);
    const addr = server.address();
    if (addr && typeof addr === "object") port = addr.port;
  } catch (err) {
    server = undefined;
    const inUse = typeof err === "object" && err !== null && "code" in err && err.code === "EADDRINUSE";
    if (ephemeral || !inUse || !(await probePackageIndex(port, 2000, host))) {
      throw new EngineError(`cannot serve the package index on ${host}:${port}`, {
        cause: err,
        hint: inUse ? `something else listens on port ${port}; stop it and try again` : undefined,
      });
    }
  }

  let takeover: NodeJS.Timeout | undefined;
  if (!server) {
    // Another slimstage process serves; watch it and step in if it goes away.
    takeover = setInterval(() => {
      void probePackageIndex(port, 1000, host).then(async (up) => {
        if (up || server) return;
        const s = createServer((req, res) => void handler(served)(req, res));
        try {
          await listen(s, port, host);
          server = s;
        } catch {
          // Someone else took it over first: keep watching.
        }
      });
    }, 1000);
    takeover.unref();
  }
  const owned = server !== undefined;
  const url = `http://${host}:${port}/`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (takeover) clearInterval(takeover);
    opts.signal?.removeEventListener("abort", onAbort);
    if (server) await closeServer(server);
  };
  const onAbort = () => void close();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  return { url, host, port, dir: served, owned, close };
}
