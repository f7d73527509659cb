/**
 * dockerode without its start-up penalty. `require("dockerode")` cost about
 * 0.28 CPU-s here (`npm run bench -- verify` prints it beside the load this
 * module does): docker-modem requires ssh2 at its top for its ssh://
 * transport, and dockerode requires @grpc/grpc-js and protobufjs for its
 * BuildKit session. slimstage needs ssh2 only for an ssh:// engine and never
 * uses dockerode's session (builds go through a BuildKit-capable docker
 * CLI). Both modules export a single function, so each is put into
 * require.cache as a stand-in that loads the real module on its first call:
 * nothing changes for the code that calls them, and nobody pays for them
 * before that. (This is why there is no second, hand-written Engine API
 * client any more.)
 */
import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";
import type Docker from "dockerode";

const require = createRequire(import.meta.url);

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Puts a stand-in for the CommonJS module at `file` into require.cache (once). */
function defer(file: string): void {
  if (require.cache[file]) return;
  let real: AnyFunction | undefined;
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  stub.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      // The stand-in leaves the cache so that require loads the real file.
      delete require.cache[file];
      real = require(file) as AnyFunction;
    }
    return real.apply(this, args);
  };
  require.cache[file] = stub;
}

let loaded: typeof Docker | undefined;

/** dockerode's client class, with ssh2 and the gRPC session deferred to their first use. */
export function loadDockerode(): typeof Docker {
  if (loaded) return loaded;
  const dockerodeMain = require.resolve("dockerode");
  const modemMain = createRequire(dockerodeMain).resolve("docker-modem");
  defer(join(dirname(modemMain), "ssh.js"));
  defer(join(dirname(dockerodeMain), "session.js"));
  loaded = require("dockerode") as typeof Docker;
  return loaded;
}
