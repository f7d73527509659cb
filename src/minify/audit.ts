import type { FileOwner } from "../image/analysis/types.js";
import { type FileTree, nodeSize, type TreeNode, walk } from "../image/filetree.js";
import type { CompiledFile } from "./bytecode.js";
import type { KeepReason, KeepWhy } from "./closure.js";

/**
 * The removal audit: every non-directory entry of the source image's final
 * file system, kept (with why) or removed (with its owner). Kept and removed
 * add up to the source's file bytes exactly; kept is what the minified image
 * holds.
 */
export type AuditOwnerKind = "debian" | "python" | "npm" | "app" | "other";

export interface AuditGroup {
  kind: AuditOwnerKind;
  /** Package, distribution or "app"; "" for files no database or rule claims. */
  name: string;
  files: number;
  bytes: number;
}

export interface AuditReasonGroup {
  reason: KeepReason;
  files: number;
  bytes: number;
}

export interface RemovalAudit {
  /** The source's final file system: non-directory entries and regular-file bytes. */
  source: { files: number; bytes: number };
  kept: { files: number; bytes: number };
  removed: { files: number; bytes: number };
  /** Removed, by owner, largest first. */
  removedByOwner: AuditGroup[];
  /** Kept, by reason. */
  keptByReason: AuditReasonGroup[];
  /** Kept units (whole packages, the app, system data), largest first. */
  keptUnits: Array<{ unit: string; reason: KeepReason; files: number; bytes: number }>;
  /**
   * Library sources replaced by sourceless bytecode (bytecode.ts): the
   * sources and their cached bytecode are counted as removed, the `.pyc`
   * files the build wrote are here. The minified image holds kept + compiled.
   */
  compiled?: {
    files: number;
    bytes: number;
    /** The sources replaced, and the cached bytecode (`__pycache__`) that went with them. */
    sources: { files: number; bytes: number };
    cache: { files: number; bytes: number };
    /** Sources that did not compile and are in the image as they were (counted in files and bytes). */
    asSource: number;
    /** The standard-library archive (counted in files and bytes): its path, the modules it holds and its size. */
    archive?: { path: string; modules: number; bytes: number };
  };
}

/** The machine-readable audit written next to the Dockerfile: the summary and every path. */
export interface AuditFile extends RemovalAudit {
  /** `compiled`: a source or cached bytecode that a sourceless `.pyc` stands for. */
  removedPaths: Array<{ path: string; bytes: number; owner: string; compiled?: true }>;
  compiledPaths?: CompiledFile[];
  keptPaths: Array<{ path: string; bytes: number; reason: KeepReason; unit?: string; owner: string }>;
}

export function auditOwnerKind(o: FileOwner): AuditOwnerKind {
  if (o.kind === "os-package") return "debian";
  if (o.kind === "python" || o.kind === "npm" || o.kind === "app") return o.kind;
  return "other";
}

function ownerLabel(o: FileOwner): string {
  const kind = auditOwnerKind(o);
  return o.name ? `${kind}:${o.name}` : kind;
}

export function auditClosure(
  tree: FileTree,
  why: ReadonlyMap<string, KeepWhy>,
  ownerOf: (node: TreeNode, path: string) => FileOwner,
): AuditFile {
  const source = { files: 0, bytes: 0 };
  const kept = { files: 0, bytes: 0 };
  const removed = { files: 0, bytes: 0 };
  const byOwner = new Map<string, AuditGroup>();
  const byReason = new Map<KeepReason, AuditReasonGroup>();
  const byUnit = new Map<string, { unit: string; reason: KeepReason; files: number; bytes: number }>();
  const removedPaths: AuditFile["removedPaths"] = [];
  const keptPaths: AuditFile["keptPaths"] = [];
  walk(tree.root, "", (n, path) => {
    if (n.children !== null || n.parent === null) return;
    const bytes = nodeSize(n);
    source.files++;
    source.bytes += bytes;
    const owner = ownerOf(n, path);
    const w = why.get(path);
    if (w) {
      kept.files++;
      kept.bytes += bytes;
      const r = byReason.get(w.reason) ?? { reason: w.reason, files: 0, bytes: 0 };
      r.files++;
      r.bytes += bytes;
      byReason.set(w.reason, r);
      if (w.unit) {
        const u = byUnit.get(w.unit) ?? { unit: w.unit, reason: w.reason, files: 0, bytes: 0 };
        u.files++;
        u.bytes += bytes;
        byUnit.set(w.unit, u);
      }
      keptPaths.push({
        path,
        bytes,
        reason: w.reason,
        ...(w.unit ? { unit: w.unit } : {}),
        owner: ownerLabel(owner),
      });
      return;
    }
    removed.files++;
    removed.bytes += bytes;
    const kind = auditOwnerKind(owner);
    const key = `${kind}\u0000${owner.name}`;
    const g = byOwner.get(key) ?? { kind, name: owner.name, files: 0, bytes: 0 };
    g.files++;
    g.bytes += bytes;
    byOwner.set(key, g);
    removedPaths.push({ path, bytes, owner: ownerLabel(owner) });
  });
  const bySize = <T extends { bytes: number }>(a: T, b: T) => b.bytes - a.bytes;
  return {
    source,
    kept,
    removed,
    removedByOwner: [...byOwner.values()].sort(bySize),
    keptByReason: [...byReason.values()].sort(bySize),
    keptUnits: [...byUnit.values()].sort(bySize),
    removedPaths,
    keptPaths,
  };
}

/** The audit with the build's sourceless bytecode: what it replaced (in `dropped`) and what it wrote. */
export function withCompiled(
  a: AuditFile,
  dropped: ReadonlySet<string>,
  compiled: CompiledFile[],
): AuditFile {
  const sources = new Set(compiled.flatMap((c) => c.sources));
  const src = { files: 0, bytes: 0 };
  const cache = { files: 0, bytes: 0 };
  const removedPaths = a.removedPaths.map((r) => {
    if (!dropped.has(r.path)) return r;
    const g = sources.has(r.path) ? src : cache;
    g.files++;
    g.bytes += r.bytes;
    return { ...r, compiled: true as const };
  });
  const archive = compiled.find((c) => c.archive);
  return {
    ...a,
    removedPaths,
    compiled: {
      files: compiled.length,
      bytes: compiled.reduce((s, c) => s + c.bytes, 0),
      sources: src,
      cache,
      asSource: compiled.filter((c) => c.asSource).length,
      ...(archive
        ? { archive: { path: archive.path, modules: archive.sources.length, bytes: archive.bytes } }
        : {}),
    },
    compiledPaths: compiled,
  };
}

/** The summary without the path lists (what JSON output and the terminal show). */
export function auditSummary(a: AuditFile): RemovalAudit {
  const { removedPaths: _r, keptPaths: _k, compiledPaths: _c, ...summary } = a;
  return summary;
}

/** The audit as Markdown: written next to the Dockerfile (audit.md) and usable in a report. */
export function auditMarkdown(a: RemovalAudit, sizes?: { source: number; minified: number }): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  const lines = [
    "## Removal audit",
    "",
    `Source file system: ${a.source.files} entries, ${mb(a.source.bytes)}. Kept ${a.kept.files} (${mb(a.kept.bytes)}), removed ${a.removed.files} (${mb(a.removed.bytes)}).`,
  ];
  if (sizes)
    lines.push(
      `Engine sizes: ${mb(sizes.source)} -> ${mb(sizes.minified)} (${mb(sizes.source - sizes.minified)} less).`,
    );
  lines.push(
    "",
    "### Removed, by owner",
    "",
    "| owner | name | files | bytes |",
    "| --- | --- | ---: | ---: |",
  );
  for (const g of a.removedByOwner) lines.push(`| ${g.kind} | ${g.name || "-"} | ${g.files} | ${g.bytes} |`);
  if (a.compiled) {
    const c = a.compiled;
    lines.push(
      "",
      "### Compiled to sourceless bytecode",
      "",
      `${c.sources.files} library sources (${mb(c.sources.bytes)}) and their cached bytecode (${c.cache.files} files, ${mb(c.cache.bytes)}), counted as removed above, are in the image as ${c.files} files (${mb(c.bytes)}) compiled by its own interpreter${c.archive ? `: ${c.archive.modules} standard-library modules in \`/${c.archive.path}\` (${mb(c.archive.bytes)}, deflated; the interpreter imports from it first), the others as sourceless \`.pyc\`` : ", as sourceless `.pyc`"}${c.asSource ? `; ${c.asSource} did not compile and are kept as source` : ""}. The image holds the kept files and these.`,
    );
  }
  lines.push("", "### Kept, by reason", "", "| reason | files | bytes |", "| --- | ---: | ---: |");
  for (const g of a.keptByReason) lines.push(`| ${g.reason} | ${g.files} | ${g.bytes} |`);
  lines.push("", "### Kept units", "", "| unit | reason | files | bytes |", "| --- | --- | ---: | ---: |");
  for (const u of a.keptUnits) lines.push(`| ${u.unit} | ${u.reason} | ${u.files} | ${u.bytes} |`);
  return `${lines.join("\n")}\n`;
}
