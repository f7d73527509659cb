import { EngineError } from "../errors.js";
import type { EngineConnection } from "./connect.js";
import { statusOf } from "./trouble.js";

function splitRef(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: "latest" };
}

/** Points `ref` at the image `id` (moving the tag if it pointed elsewhere). */
export async function tagLocalImage(conn: EngineConnection, id: string, ref: string): Promise<void> {
  const { repo, tag } = splitRef(ref);
  try {
    await conn.docker.getImage(id).tag({ repo, tag });
  } catch (err) {
    throw new EngineError(`could not tag ${id} as ${ref}`, { cause: err });
  }
}

/**
 * Removes one tag (or an untagged image by id). Missing is fine; an image
 * still used by a container is left alone (returns false).
 */
export async function untagLocalImage(conn: EngineConnection, ref: string): Promise<boolean> {
  try {
    await conn.docker.getImage(ref).remove({ noprune: false });
    return true;
  } catch (err) {
    const s = statusOf(err);
    if (s === 404) return true;
    if (s === 409) return false;
    throw new EngineError(`could not remove image ${ref}`, { cause: err });
  }
}
