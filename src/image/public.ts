/** The image analysis library: sources, model, analysis, diff, gates, formats. */

export { type AnalyzeOptions, analyzeImage } from "./analysis/analyze.js";
export type * from "./analysis/types.js";
export { BUILD_ONLY_CATEGORIES, CATEGORY_LABELS } from "./analysis/types.js";
export type {
  CompressedSizeKind,
  CompressionKind as LayerCompression,
  EntryType as ImageEntryType,
  FileEntry as ImageFileEntry,
  HistoryEntry as ImageHistoryEntry,
  Image,
  ImageConfig,
  ImageHealthcheck,
  Layer as ImageLayer,
  OpenImageOptions,
  ReadLimits as ImageReadLimits,
  SourceScheme as ImageSourceScheme,
  Whiteout as ImageWhiteout,
} from "./model.js";
export { openImage } from "./open.js";
export { type ImageReference, parseImageSource } from "./reference.js";
