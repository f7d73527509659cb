export { type BaseBuildResult, type BuildBasesOptions, buildBases } from "./build.js";
export { type LocalBase, listBases } from "./list.js";
export {
  PACKAGE_INDEX_URL,
  type PackageIndex,
  type PackageIndexOptions,
  probePackageIndex,
  startPackageIndex,
} from "./package-index.js";
export { type BaseName, type DebianSuite, LABEL_BASE, LABEL_STAND_IN } from "./recipe.js";
