import type { CompressedSizeKind, ImageConfig, SourceScheme } from "../model.js";

/** Who a byte of the final tree belongs to. */
export type OwnerKind = "os-package" | "python" | "npm" | "app" | "cache" | "unknown";

export interface FileOwner {
  kind: OwnerKind;
  /** Package or cache name ("libc6", "flask", "pip cache"); "" for unknown. */
  name: string;
  version?: string;
}

/** Content that a runtime image does not need (it was needed to build). */
export type BuildOnlyCategory = "toolchain" | "headers" | "static-libs" | "pm-cache" | "tests" | "docs";

export const BUILD_ONLY_CATEGORIES: readonly BuildOnlyCategory[] = [
  "toolchain",
  "headers",
  "static-libs",
  "pm-cache",
  "tests",
  "docs",
];

export const CATEGORY_LABELS: Record<BuildOnlyCategory, string> = {
  toolchain: "compilers and toolchains",
  headers: "headers",
  "static-libs": "static libraries",
  "pm-cache": "package-manager caches",
  tests: "test suites",
  docs: "docs and man pages",
};

export interface CountedBytes {
  files: number;
  bytes: number;
}

/** One history entry, like a row of `docker history`. */
export interface LayerAnalysis {
  /** Position in the history (0 = oldest). */
  index: number;
  /** Index among filesystem layers, or null for an empty (metadata-only) layer. */
  layerIndex: number | null;
  /** The layer's diff id, null for empty layers. */
  digest: string | null;
  createdBy: string;
  /** Bytes of regular-file content the layer holds. */
  size: number;
  compressedBytes: number | null;
  compressedSizeKind: CompressedSizeKind;
  /** Bytes this layer added that are not in the final image (overwritten or deleted later). */
  wastedBytes: number;
  /** Paths new to the image. */
  added: CountedBytes;
  /** Paths that replaced a lower layer's file (bytes: the new content). */
  changed: CountedBytes;
  /** Paths deleted by whiteouts, opaque dirs or replacement of a dir (bytes: what was deleted). */
  removed: CountedBytes;
  empty: boolean;
}

export interface OwnerBytes {
  kind: OwnerKind;
  name: string;
  version?: string;
  files: number;
  bytes: number;
}

export interface CategoryBytes {
  category: BuildOnlyCategory;
  label: string;
  files: number;
  bytes: number;
  /** Biggest contributors, by package or path prefix. */
  top: Array<{ name: string; bytes: number }>;
}

export type PackageEcosystem = "deb" | "apk" | "python" | "npm";

export interface ImagePackage {
  ecosystem: PackageEcosystem;
  name: string;
  version: string;
  /** Bytes of the final tree attributed to the package. */
  bytes: number;
  files: number;
}

export interface FileBytes {
  path: string;
  bytes: number;
  /** The layer (filesystem index) the final copy comes from. */
  layerIndex: number;
  owner?: FileOwner;
}

export interface WastedFile {
  path: string;
  bytes: number;
  /** Filesystem layer that added the copy that is gone. */
  addedIn: number;
  /** Filesystem layer that deleted or overwrote it. */
  removedIn: number;
  how: "deleted" | "overwritten";
}

export interface ImageFinding {
  id: string;
  message: string;
  bytes: number;
}

export interface DiveComparison {
  /** dive's efficiency score (sum of smallest copies / sum of all copies, over paths). */
  efficiency: number;
  /** dive's "potential wasted space": every copy of a path seen in 2+ layers, the surviving one included. */
  wastedBytes: number;
}

export interface Analysis {
  ref: string;
  scheme: SourceScheme;
  imageId: string;
  repoTags: string[];
  config: ImageConfig;
  /** Bytes of regular files in the merged final tree (what the container sees). */
  finalBytes: number;
  /** Sum of all layers' content bytes (what is stored and shipped, uncompressed). */
  totalBytes: number;
  /** Sum of the layers' compressed sizes, null when unknown. */
  compressedBytes: number | null;
  /** Whether compressedBytes is the real stored size or a gzip -6 estimate. */
  compressedEstimated: boolean;
  compressedSizeKind: CompressedSizeKind;
  layers: LayerAnalysis[];
  /** Whether every layer was hashed and checked against the manifest and config. */
  digestsVerified: boolean;
  /** totalBytes - finalBytes: bytes overwritten or deleted by later layers. */
  wastedBytes: number;
  /** finalBytes / totalBytes (1 when empty). */
  efficiency: number;
  dive: DiveComparison;
  fileCount: number;
  byOwner: OwnerBytes[];
  byOwnerKind: Record<OwnerKind, number>;
  byCategory: CategoryBytes[];
  buildOnlyBytes: number;
  packages: ImagePackage[];
  biggestFiles: FileBytes[];
  biggestDirs: Array<{ path: string; bytes: number; files: number }>;
  wastedFiles: WastedFile[];
  findings: ImageFinding[];
  warnings: string[];
}
