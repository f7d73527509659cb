import { connectEngine, type EngineConnection } from "../engine/connect.js";
import { findEngineImage } from "../engine/images.js";
import { type BaseName, DEBIAN_SUITES, LABEL_RECIPE, LABEL_STAND_IN } from "./recipe.js";
import { recipesFor } from "./recipes/index.js";

/** One local base as it stands in the engine. */
export interface LocalBase {
  readonly name: BaseName;
  readonly ref: string;
  readonly summary: string;
  readonly present: boolean;
  readonly id?: string;
  readonly size?: number;
  readonly created?: string;
  /** The stand-in label's text, when the image carries it. */
  readonly standIn?: string;
  readonly recipeHash?: string;
  /** Official names that point at this image. */
  readonly aliases: readonly string[];
  /** Official names this base would take but another image holds. */
  readonly aliasesHeldElsewhere: readonly string[];
  readonly official: { readonly ref: string; readonly bytes?: number };
  /** size / official size, when both are known. */
  readonly ratioToOfficial?: number;
}

/** Every base slimstage knows (both suites), present or not. */
export async function listBases(conn?: EngineConnection): Promise<LocalBase[]> {
  const c = conn ?? (await connectEngine());
  const seen = new Set<string>();
  const out: LocalBase[] = [];
  for (const suite of DEBIAN_SUITES) {
    for (const r of recipesFor(suite)) {
      if (seen.has(r.ref)) continue;
      seen.add(r.ref);
      const img = await findEngineImage(r.ref, c);
      const aliases: string[] = [];
      const held: string[] = [];
      for (const a of r.aliases) {
        const ai = await findEngineImage(a, c);
        if (ai && img && ai.id === img.id) aliases.push(a);
        else if (ai) held.push(a);
      }
      const standIn = img?.labels[LABEL_STAND_IN];
      const recipeHash = img?.labels[LABEL_RECIPE];
      out.push({
        name: r.name,
        ref: r.ref,
        summary: r.summary,
        present: img !== undefined,
        ...(img ? { id: img.id, size: img.size, created: img.created } : {}),
        ...(standIn ? { standIn } : {}),
        ...(recipeHash ? { recipeHash } : {}),
        aliases,
        aliasesHeldElsewhere: held,
        official: r.official,
        ...(img && r.official.bytes
          ? { ratioToOfficial: Math.round((img.size / r.official.bytes) * 1000) / 1000 }
          : {}),
      });
    }
  }
  return out;
}
