/**
 * Escapes text for HTML content and attribute values (also valid in inline
 * SVG). Hand-written: five replacements, which a dependency would not shorten.
 */
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c); // the regex matches only ENTITIES' keys
}

/** Shortens a label for a chart axis; the full text goes in a <title>. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
