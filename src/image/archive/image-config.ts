import { createHash } from "node:crypto";
import { InputError } from "../../errors.js";
import type { HistoryEntry, Image, ImageConfig, ImageHealthcheck, Layer, SourceScheme } from "../model.js";
import type { LayerReadResult } from "./layer-reader.js";

/** The parts of an image config (OCI / docker) that slimstage reads. */
export interface ParsedConfig {
  config: ImageConfig;
  diffIds: string[];
  history: Array<{ createdBy: string; created?: string; comment?: string; emptyLayer: boolean }>;
  id: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is string => typeof x === "string");
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InputError(`${what} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

export function parseImageConfig(bytes: Buffer, what: string): ParsedConfig {
  const raw = parseJson(bytes.toString("utf8"), what);
  if (!isRecord(raw)) throw new InputError(`${what} is not an image config (not a JSON object)`);
  const c = isRecord(raw.config) ? raw.config : {};
  const rootfs = isRecord(raw.rootfs) ? raw.rootfs : {};
  const diffIds = strings(rootfs.diff_ids);
  if (!diffIds) throw new InputError(`${what} has no rootfs.diff_ids: not an image config`);
  const labels: Record<string, string> = {};
  if (isRecord(c.Labels)) {
    for (const [k, v] of Object.entries(c.Labels)) if (typeof v === "string") labels[k] = v;
  }
  const config: ImageConfig = {
    env: strings(c.Env) ?? [],
    cmd: strings(c.Cmd),
    entrypoint: strings(c.Entrypoint),
    user: typeof c.User === "string" ? c.User : "",
    workdir: typeof c.WorkingDir === "string" ? c.WorkingDir : "",
    exposedPorts: isRecord(c.ExposedPorts) ? Object.keys(c.ExposedPorts).sort() : [],
    labels,
    os: typeof raw.os === "string" ? raw.os : "",
    architecture: typeof raw.architecture === "string" ? raw.architecture : "",
  };
  if (typeof raw.variant === "string") config.variant = raw.variant;
  const hc = isRecord(c.Healthcheck) ? c.Healthcheck : undefined;
  const test = hc ? strings(hc.Test) : null;
  if (hc && test && test.length > 0) {
    const n = (v: unknown) => (typeof v === "number" && v > 0 ? v : undefined);
    const h: ImageHealthcheck = { test };
    const interval = n(hc.Interval);
    const timeout = n(hc.Timeout);
    const start = n(hc.StartPeriod);
    const retries = n(hc.Retries);
    if (interval) h.intervalNs = interval;
    if (timeout) h.timeoutNs = timeout;
    if (start) h.startPeriodNs = start;
    if (retries) h.retries = retries;
    config.healthcheck = h;
  }
  if (typeof c.StopSignal === "string" && c.StopSignal) config.stopSignal = c.StopSignal;
  if (isRecord(c.Volumes) && Object.keys(c.Volumes).length > 0)
    config.volumes = Object.keys(c.Volumes).sort();
  if (typeof raw.created === "string") config.created = raw.created;
  const history: ParsedConfig["history"] = [];
  if (Array.isArray(raw.history)) {
    for (const h of raw.history) {
      if (!isRecord(h)) continue;
      const e: ParsedConfig["history"][number] = {
        createdBy: typeof h.created_by === "string" ? h.created_by : "",
        emptyLayer: h.empty_layer === true,
      };
      if (typeof h.created === "string") e.created = h.created;
      if (typeof h.comment === "string") e.comment = h.comment;
      history.push(e);
    }
  }
  return { config, diffIds, history, id: `sha256:${createHash("sha256").update(bytes).digest("hex")}` };
}

/**
 * Aligns history with layers: every non-empty history entry owns the next
 * layer. Mismatches (images built by tools that skip history) give a warning
 * and synthetic entries instead of a failure.
 */
export function alignHistory(parsed: ParsedConfig, layerCount: number, warnings: string[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let next = 0;
  for (const h of parsed.history) {
    if (!h.emptyLayer && next >= layerCount) {
      warnings.push(
        `history has more non-empty entries than the image has layers (${layerCount}); extra ones shown as empty`,
      );
      out.push({ ...h, emptyLayer: true, layerIndex: null });
      continue;
    }
    out.push({ ...h, layerIndex: h.emptyLayer ? null : next++ });
  }
  if (next < layerCount) {
    if (parsed.history.length > 0) warnings.push(`history covers ${next} of ${layerCount} layers`);
    for (; next < layerCount; next++) out.push({ createdBy: "", emptyLayer: false, layerIndex: next });
  }
  return out;
}

/** Checks a layer against the config's diff id and turns the read result into a model Layer. */
export function toLayer(
  index: number,
  read: LayerReadResult,
  expectedDiffId: string | undefined,
  where: string,
  extra: { blobDigest?: string; mediaType?: string; compressedBytes?: number | null },
): Layer {
  // An unverified read (digests skipped on request) has no diff id of its own: it takes the config's.
  const verified = read.diffId !== "";
  if (verified && expectedDiffId !== undefined && expectedDiffId !== read.diffId) {
    throw new InputError(
      `layer ${index} (${where}) does not match the image config: diff id should be ${expectedDiffId}, content is ${read.diffId}`,
      { hint: "the archive is corrupt or was tampered with" },
    );
  }
  let compressedBytes: number | null = null;
  let kind: Layer["compressedSizeKind"] = "unknown";
  if (extra.compressedBytes !== undefined && extra.compressedBytes !== null) {
    compressedBytes = extra.compressedBytes;
    kind = "real";
  } else if (read.compression !== "none") {
    compressedBytes = read.blobBytes;
    kind = "real";
  } else if (read.estimatedGzipBytes !== undefined) {
    compressedBytes = read.estimatedGzipBytes;
    kind = "estimated";
  }
  const layer: Layer = {
    index,
    diffId: verified ? read.diffId : (expectedDiffId ?? ""),
    verified,
    compression: read.compression,
    tarBytes: read.tarBytes,
    size: read.size,
    compressedBytes,
    compressedSizeKind: kind,
    entries: read.entries,
    whiteouts: read.whiteouts,
    metaFiles: read.metaFiles,
  };
  const blob = extra.blobDigest ?? (read.blobDigest || undefined);
  if (blob) layer.blobDigest = blob;
  if (extra.mediaType) layer.mediaType = extra.mediaType;
  return layer;
}

export function assembleImage(
  ref: string,
  scheme: SourceScheme,
  parsed: ParsedConfig,
  layers: Layer[],
  repoTags: string[],
  warnings: string[],
): Image {
  if (parsed.diffIds.length !== layers.length) {
    throw new InputError(
      `the image config lists ${parsed.diffIds.length} layers but the manifest has ${layers.length}`,
    );
  }
  return {
    ref,
    scheme,
    id: parsed.id,
    repoTags,
    config: parsed.config,
    history: alignHistory(parsed, layers.length, warnings),
    layers,
    warnings,
  };
}
