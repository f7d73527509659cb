import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { EngineError } from "../errors.js";
import type { EngineConnection } from "./connect.js";
import { engineTrouble } from "./trouble.js";

/** A directory of a container (running, stopped or only created) as the engine's tar export of it. */
export async function copyFromContainer(
  engine: EngineConnection,
  id: string,
  path: string,
  maxBytes: number,
): Promise<Buffer> {
  let stream: Readable;
  try {
    stream = (await engine.docker.getContainer(id).getArchive({ path })) as unknown as Readable;
  } catch (err) {
    throw engineTrouble(`could not copy ${path} out of container ${id.slice(0, 12)}`, err);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new EngineError(`${path} in container ${id.slice(0, 12)} is larger than ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Unpacks a tar archive into `dir` of a container that need not be running. */
export async function copyToContainer(
  engine: EngineConnection,
  id: string,
  dir: string,
  tar: Buffer,
): Promise<void> {
  try {
    await engine.docker.getContainer(id).putArchive(tar, { path: dir });
  } catch (err) {
    throw engineTrouble(`could not copy files into container ${id.slice(0, 12)}`, err);
  }
}

/**
 * The first `maxBytes` of one regular file in a container, read from the
 * engine's tar export and cut off there (a node binary is 100 MB; its ELF
 * header is in the first kilobytes). Undefined when the path is not a regular file.
 */
export async function readFileHead(
  engine: EngineConnection,
  id: string,
  path: string,
  maxBytes: number,
): Promise<Buffer | undefined> {
  let stream: Readable;
  try {
    stream = (await engine.docker.getContainer(id).getArchive({ path })) as unknown as Readable;
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
    throw engineTrouble(`could not read ${path} in container ${id.slice(0, 12)}`, err);
  }
  const ex = extract();
  return await new Promise<Buffer | undefined>((resolve, reject) => {
    let done = false;
    const finish = (v: Buffer | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      stream.destroy();
      ex.destroy();
    };
    ex.on("entry", (header, body, next) => {
      if (header.type !== "file") {
        body.resume();
        finish(undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let got = 0;
      body.on("data", (data: unknown) => {
        const c = data as Buffer;
        chunks.push(c);
        got += c.length;
        if (got >= maxBytes) finish(Buffer.concat(chunks).subarray(0, maxBytes));
      });
      body.on("end", () => {
        finish(Buffer.concat(chunks));
        next();
      });
    });
    ex.on("finish", () => finish(undefined));
    ex.on("error", (e) => {
      if (!done) {
        done = true;
        reject(new EngineError(`could not read ${path} in container ${id.slice(0, 12)}: ${e.message}`));
      }
    });
    stream.on("error", (e) => {
      if (!done) {
        done = true;
        reject(engineTrouble(`could not read ${path} in container ${id.slice(0, 12)}`, e));
      }
    });
    stream.pipe(ex);
  });
}

/**
 * The regular files under `dir` that `want` (given each absolute path)
 * accepts, at most `maxEach` bytes of each: one archive streamed from the
 * engine and read as it comes, whatever its size (what is not wanted is
 * skipped, never held).
 */
export async function readFilesUnder(
  engine: EngineConnection,
  id: string,
  dir: string,
  want: (path: string) => boolean,
  maxEach: number,
): Promise<Map<string, Buffer>> {
  let stream: Readable;
  try {
    stream = (await engine.docker.getContainer(id).getArchive({ path: dir })) as unknown as Readable;
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return new Map();
    throw engineTrouble(`could not read ${dir} in container ${id.slice(0, 12)}`, err);
  }
  // Entries are named from the directory's own name: "site-packages/flask/app.py".
  const parent = dir.replace(/\/+$/, "").replace(/\/[^/]*$/, "");
  const out = new Map<string, Buffer>();
  const ex = extract();
  return await new Promise<Map<string, Buffer>>((resolve, reject) => {
    ex.on("entry", (header, body, next) => {
      const path = `${parent}/${header.name.replace(/^\.\//, "").replace(/\/$/, "")}`;
      if (header.type !== "file" || !want(path)) {
        body.on("end", next);
        body.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let got = 0;
      body.on("data", (data: unknown) => {
        const c = data as Buffer;
        if (got < maxEach) chunks.push(c);
        got += c.length;
      });
      body.on("end", () => {
        out.set(path, Buffer.concat(chunks).subarray(0, maxEach));
        next();
      });
    });
    ex.on("finish", () => resolve(out));
    ex.on("error", (e) =>
      reject(new EngineError(`could not read ${dir} in container ${id.slice(0, 12)}: ${e.message}`)),
    );
    stream.on("error", (e) =>
      reject(engineTrouble(`could not read ${dir} in container ${id.slice(0, 12)}`, e)),
    );
    stream.pipe(ex);
  });
}
