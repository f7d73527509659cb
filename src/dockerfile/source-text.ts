import type { Position, Range } from "./model.js";

/** Physical lines of a text with offsets, and offset -> position lookup. */
export interface PhysicalLine {
  /** Offset of the first character. */
  start: number;
  /** Offset after the content, before trailing `\r`/`\n` characters (BuildKit's trimNewline). */
  contentEnd: number;
  /** Offset after the line terminator (== start of the next line). */
  end: number;
}

export class SourceText {
  readonly lines: PhysicalLine[] = [];

  constructor(readonly text: string) {
    let start = 0;
    const n = text.length;
    while (start < n) {
      let nl = text.indexOf("\n", start);
      const end = nl < 0 ? n : nl + 1;
      if (nl < 0) nl = n;
      let ce = nl;
      // BuildKit trims every trailing \r and \n of a line.
      while (ce > start && text.charCodeAt(ce - 1) === 13) ce--;
      this.lines.push({ start, contentEnd: ce, end });
      start = end;
    }
  }

  content(i: number): string {
    const l = this.lines[i] as PhysicalLine;
    return this.text.slice(l.start, l.contentEnd);
  }

  /** 0-based line index containing `offset`. */
  lineIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lines[mid] as PhysicalLine).start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Position {
    if (this.lines.length === 0) return { line: 1, column: 1, offset: 0 };
    const i = this.lineIndexAt(offset);
    const l = this.lines[i] as PhysicalLine;
    return { line: i + 1, column: offset - l.start + 1, offset };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}
