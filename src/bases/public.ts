import { type LocalBase, listBases as listWith } from "./list.js";

export { type BaseBuildResult, type BuildBasesOptions, buildBases } from "./build.js";
export {
  PACKAGE_INDEX_URL,
  type PackageIndex,
  type PackageIndexOptions,
  probePackageIndex,
  startPackageIndex,
} from "./index-server.js";
export { type BaseName, type BaseRecipe, type DebianSuite, LABEL_BASE, LABEL_STAND_IN } from "./recipe.js";
export type { LocalBase };

/** Every base slimstage knows (both suites), present or not, on the engine that discovery finds. */
export function listBases(): Promise<LocalBase[]> {
  return listWith();
}
