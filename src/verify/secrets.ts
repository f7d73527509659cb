/**
 * Compose secrets put into a container before it starts. docker compose
 * (outside a swarm) bind-mounts a `file:` secret at /run/secrets/NAME with
 * the host file's own mode and owner; a bind mount needs the host's file
 * system, which a remote engine does not share, so the file goes in through
 * the engine's archive API instead, with that mode and owner (an
 * `environment:` secret gets 0444, root). Unlike a mount it is writable by
 * its owner.
 */
import { readFile, stat } from "node:fs/promises";
import { pack } from "tar-stream";
import type { EngineConnection } from "../engine/connect.js";
import { copyToContainer } from "../engine/container-files.js";
import { InputError } from "../errors.js";
import type { ComposeSecret } from "./compose.js";

/** A secret is a password or a key: anything bigger is a mistake, not a secret (bounded memory). */
const MAX_SECRET_BYTES = 1024 * 1024;

/** The tar that holds every secret at its target (the engine makes the missing folders, root-owned). */
export async function secretsArchive(secrets: readonly ComposeSecret[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((res, rej) => {
    p.on("end", res);
    p.on("error", rej);
  });
  for (const s of secrets) {
    let content: Buffer;
    let header = { mode: 0o444, uid: 0, gid: 0 };
    if (s.file !== undefined) {
      const st = await stat(s.file).catch((cause: unknown) => {
        throw new InputError(`secret ${s.name}: cannot read ${s.file}: ${(cause as Error).message}`);
      });
      if (!st.isFile()) throw new InputError(`secret ${s.name}: ${s.file} is not a file`);
      if (st.size > MAX_SECRET_BYTES)
        throw new InputError(
          `secret ${s.name}: ${s.file} is ${st.size} bytes, over the ${MAX_SECRET_BYTES} a secret may have`,
        );
      content = await readFile(s.file);
      header = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
    } else content = Buffer.from(s.value ?? "");
    p.entry({ name: s.target.replace(/^\/+/, ""), type: "file", size: content.length, ...header }, content);
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Puts the secrets into a created (not yet started) container. */
export async function putSecrets(
  engine: EngineConnection,
  containerId: string,
  secrets: readonly ComposeSecret[],
): Promise<void> {
  if (secrets.length === 0) return;
  await copyToContainer(engine, containerId, "/", await secretsArchive(secrets));
}
