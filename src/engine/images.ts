import type { Readable } from "node:stream";
import { EngineError, InputError, InterruptedError } from "../errors.js";
import { connectEngine, type EngineConnection } from "./connect.js";
import { engineTrouble, statusOf } from "./trouble.js";

/** An image as the engine lists it (`docker images`): no run configuration. */
export interface EngineImageSummary {
  id: string;
  repoTags: string[];
  /** Bytes as the engine counts them (uncompressed, all layers). */
  size: number;
  created: string;
  labels: Record<string, string>;
}

/**
 * One image in the engine's store, inspected: the one image client every area uses (analysis,
 * verification's ports and health check, the bases' bookkeeping, optimize's and minify's checks).
 */
export interface EngineImage extends EngineImageSummary {
  /** Diff ids of the layers, oldest first. */
  layers: string[];
  /** The run configuration's ENTRYPOINT and CMD (null when unset). */
  entrypoint: string[] | null;
  cmd: string[] | null;
  /** The run configuration's ENV as KEY=VALUE lines. */
  env: string[];
  /** TCP ports the image EXPOSEs. */
  exposedPorts: number[];
  /** The image has a HEALTHCHECK (that is not NONE). */
  healthcheck: boolean;
  /** The HEALTHCHECK's test as the config stores it (["CMD", ...] or ["CMD-SHELL", "..."]); null without one. */
  healthcheckTest: string[] | null;
}

function argv(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
}

async function engine(conn?: EngineConnection): Promise<EngineConnection> {
  return conn ?? (await connectEngine());
}

type InspectInfo = Awaited<ReturnType<ReturnType<EngineConnection["docker"]["getImage"]>["inspect"]>>;

function toEngineImage(info: InspectInfo): EngineImage {
  const test = info.Config?.Healthcheck?.Test;
  return {
    id: info.Id,
    repoTags: info.RepoTags ?? [],
    size: info.Size,
    created: info.Created,
    labels: info.Config?.Labels ?? {},
    layers: info.RootFS?.Layers ?? [],
    entrypoint: argv(info.Config?.Entrypoint),
    cmd: argv(info.Config?.Cmd),
    env: argv(info.Config?.Env) ?? [],
    exposedPorts: Object.keys(info.Config?.ExposedPorts ?? {})
      .filter((p) => p.endsWith("/tcp") || !p.includes("/"))
      .map((p) => Number.parseInt(p, 10))
      .filter((n) => Number.isFinite(n)),
    healthcheck: Array.isArray(test) && test.length > 0 && test[0] !== "NONE",
    healthcheckTest: Array.isArray(test) && test.length > 0 && test[0] !== "NONE" ? argv(test) : null,
  };
}

/** The image a reference (or id) names, or undefined when the engine has none. */
export async function findEngineImage(
  ref: string,
  conn?: EngineConnection,
): Promise<EngineImage | undefined> {
  const c = await engine(conn);
  try {
    return toEngineImage(await c.docker.getImage(ref).inspect());
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw engineTrouble(`could not inspect image ${ref}`, err);
  }
}

/** Inspects an image; InputError when the engine has no such image (nothing can be pulled here). */
export async function inspectEngineImage(ref: string, conn?: EngineConnection): Promise<EngineImage> {
  const found = await findEngineImage(ref, conn);
  if (found) return found;
  throw new InputError(`no image ${JSON.stringify(ref)} in the engine`, {
    hint: "`docker images` lists what exists; slimstage never pulls (build it first: slimstage build -t NAME)",
  });
}

/**
 * The engine's export of one image (`docker save` as a stream). The caller
 * reads it as it arrives; aborting `signal` destroys the stream.
 */
export async function exportImage(
  ref: string,
  opts: { signal?: AbortSignal; conn?: EngineConnection } = {},
): Promise<Readable> {
  const c = await engine(opts.conn);
  await inspectEngineImage(ref, c);
  if (opts.signal?.aborted) throw new InterruptedError();
  let stream: Readable;
  try {
    stream = (await c.docker.getImage(ref).get()) as Readable;
  } catch (err) {
    throw new EngineError(`the engine could not export image ${ref}`, { cause: err });
  }
  if (opts.signal) {
    const onAbort = () => stream.destroy(new InterruptedError());
    opts.signal.addEventListener("abort", onAbort, { once: true });
    stream.once("close", () => opts.signal?.removeEventListener("abort", onAbort));
  }
  return stream;
}

/** Images carrying a label (`key` or `key=value`). */
export async function listEngineImages(
  label: string,
  conn?: EngineConnection,
): Promise<EngineImageSummary[]> {
  const c = await engine(conn);
  try {
    const list = await c.docker.listImages({ filters: JSON.stringify({ label: [label] }) });
    return list.map((i) => ({
      id: i.Id,
      repoTags: i.RepoTags ?? [],
      size: i.Size,
      created: new Date(i.Created * 1000).toISOString(),
      labels: i.Labels ?? {},
    }));
  } catch (err) {
    throw new EngineError("could not list images", { cause: err });
  }
}

/** Removes an image; a missing image is not an error (cleanup runs after failures too). */
export async function removeEngineImage(ref: string, conn?: EngineConnection): Promise<void> {
  const c = await engine(conn);
  try {
    await c.docker.getImage(ref).remove({ force: true });
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw new EngineError(`could not remove image ${ref}`, { cause: err });
  }
}

/** Where a push goes: `registry/name:tag` (the caller parses the user's reference). */
export interface PushTarget {
  /** host[:port] */
  registry: string;
  /** The repository without the registry (`team/app`). */
  name: string;
  tag: string;
}

/**
 * Tags `image` as `to` and pushes it through the engine, with the
 * credentials `docker login` stored for the target's registry. Returns the
 * manifest digest the registry gave. A push the registry refuses is an
 * InputError naming the registry's answer.
 */
export async function pushImage(
  image: string,
  to: PushTarget,
  opts: { conn?: EngineConnection; signal?: AbortSignal } = {},
): Promise<{ digest?: string }> {
  const target = `${to.registry}/${to.name}:${to.tag}`;
  const ref = { registry: to.registry, repository: `${to.registry}/${to.name}`, tag: to.tag };
  const c = await engine(opts.conn);
  const { credentialsFor } = await import("./credentials.js");
  const creds = await credentialsFor(ref.registry);
  const authconfig = creds
    ? creds.identityToken
      ? { identitytoken: creds.identityToken, serveraddress: ref.registry }
      : { username: creds.username, password: creds.password, serveraddress: ref.registry }
    : undefined;
  try {
    await c.docker.getImage(image).tag({ repo: ref.repository, tag: ref.tag });
  } catch (err) {
    if (statusOf(err) === 404) throw new InputError(`no image ${JSON.stringify(image)} in the engine`);
    throw new EngineError(`could not tag ${image} as ${target}`, { cause: err });
  }
  let stream: Readable;
  try {
    stream = (await c.docker
      .getImage(ref.repository)
      .push({ tag: ref.tag, ...(authconfig ? { authconfig } : {}), abortSignal: opts.signal })) as Readable;
  } catch (err) {
    if (opts.signal?.aborted) throw new InterruptedError();
    throw new EngineError(`could not push ${target}`, { cause: err });
  }
  // The engine reports a refused push inside the stream, not as an HTTP error.
  const events = await new Promise<Array<{ error?: string; aux?: { Digest?: string } }>>(
    (resolve, reject) => {
      c.docker.modem.followProgress(stream, (err: Error | null, out: unknown[]) =>
        err ? reject(err) : resolve(out as Array<{ error?: string; aux?: { Digest?: string } }>),
      );
    },
  ).catch((err: unknown) => {
    if (opts.signal?.aborted) throw new InterruptedError();
    throw new EngineError(`the push of ${target} broke off`, { cause: err });
  });
  const failed = events.find((e) => e.error);
  if (failed?.error)
    throw new InputError(`the registry refused the push of ${target}: ${failed.error}`, {
      hint: creds
        ? `the credentials came from ${creds.from}`
        : `no credentials for ${ref.registry}: \`docker login ${ref.registry}\` stores them where slimstage reads them`,
    });
  return { digest: events.map((e) => e.aux?.Digest).find((d) => d !== undefined) };
}
