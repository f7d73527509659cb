/**
 * The image model: what every source (engine export stream, docker-archive
 * tar, OCI layout) is turned into by the one archive reader. Plain data, so
 * analysis is a pure function of it. Per file only metadata is kept; the
 * contents of a few small metadata files (package databases) are kept in
 * `Layer.metaFiles` because owner attribution needs them.
 */

export type SourceScheme = "docker" | "docker-archive" | "oci-layout" | "registry";

export type EntryType = "file" | "dir" | "symlink" | "hardlink" | "other";

/** One tar entry of a layer, normalised (no leading "/" or "./"). */
export interface FileEntry {
  /** Path inside the image, without a leading slash ("usr/bin/python3"). */
  path: string;
  type: EntryType;
  /** Permission bits (and setuid etc.), no type bits. */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content; 0 for anything that is not a regular file. */
  size: number;
  /** Symlink target as written, or the hardlink's target path (normalised). */
  linkTarget?: string;
}

/** A deletion recorded by a layer: `.wh.NAME` (whiteout) or `.wh..wh..opq` (opaque dir). */
export interface Whiteout {
  /** For a whiteout, the deleted path; for an opaque marker, the directory whose lower contents vanish. */
  path: string;
  opaque: boolean;
}

export type CompressionKind = "none" | "gzip" | "zstd";

/** How a compressed size was obtained. */
export type CompressedSizeKind = "real" | "estimated" | "unknown";

export interface Layer {
  /** 0-based position among the image's filesystem layers. */
  index: number;
  /** sha256 of the uncompressed layer tar ("sha256:..."), verified against the config's diff_ids. */
  diffId: string;
  /** False when digest verification was skipped (`verifyDigests: false`): diffId is then the config's claim. */
  verified: boolean;
  /** Digest of the blob as stored (compressed or not), where the source names it. */
  blobDigest?: string;
  mediaType?: string;
  compression: CompressionKind;
  /** Bytes of the uncompressed layer tar. */
  tarBytes: number;
  /** Sum of the regular files' content bytes (docker history's notion of a layer's size, roughly). */
  size: number;
  /** Size of the blob as stored or transferred; `null` when unknown. */
  compressedBytes: number | null;
  compressedSizeKind: CompressedSizeKind;
  entries: FileEntry[];
  whiteouts: Whiteout[];
  /** Contents of small metadata files this layer writes (dpkg status, *.list, RECORD, package.json...). */
  metaFiles: Map<string, string>;
}

export interface ImageConfig {
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  user: string;
  workdir: string;
  exposedPorts: string[];
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant?: string;
  created?: string;
  /** HEALTHCHECK, as the config stores it (durations in nanoseconds); absent when the image has none. */
  healthcheck?: ImageHealthcheck;
  /** STOPSIGNAL. */
  stopSignal?: string;
  /** VOLUME paths. */
  volumes?: string[];
}

export interface ImageHealthcheck {
  /** ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[];
  intervalNs?: number;
  timeoutNs?: number;
  startPeriodNs?: number;
  retries?: number;
}

export interface HistoryEntry {
  createdBy: string;
  created?: string;
  comment?: string;
  emptyLayer: boolean;
  /** Index into `Image.layers` for a history entry that made a layer, else null. */
  layerIndex: number | null;
}

export interface Image {
  /** The reference it was opened from, as given. */
  ref: string;
  scheme: SourceScheme;
  /** The config digest ("sha256:..."), docker's image id. */
  id: string;
  repoTags: string[];
  config: ImageConfig;
  /** Aligned to layers: every layer has exactly one non-empty history entry. */
  history: HistoryEntry[];
  layers: Layer[];
  /** Non-fatal problems met while reading (hostile paths, dangling hardlinks...). */
  warnings: string[];
}

export interface OpenImageOptions {
  signal?: AbortSignal;
  /** Estimate compressed sizes with gzip -6 where the source has no real compressed size. */
  estimateCompressed?: boolean;
  /**
   * Hash every layer and check it against the manifest and config (default
   * true). False lets plain-tar layers of files be read by seeking over their
   * contents, like `tar -tvf`: much faster, but a lying digest goes unnoticed.
   */
  verifyDigests?: boolean;
  /** Limits that keep hostile archives bounded; defaults in archive/limits.ts. */
  limits?: Partial<ReadLimits>;
}

export interface ReadLimits {
  /** Largest metadata file whose content is kept (dpkg status can be a few MB). */
  maxMetaFileBytes: number;
  /** Largest JSON document (manifest, config, index) read from an archive. */
  maxJsonBytes: number;
  /** Total uncompressed bytes over all layers before reading stops. */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio of a layer once it passed `bombMinBytes`. */
  maxCompressionRatio: number;
  /** Below this many uncompressed bytes, the ratio check does not apply. */
  bombMinBytes: number;
  /** Total file entries over all layers (each costs memory). */
  maxEntries: number;
}
