import pc from "picocolors";
import type { CliRuntime } from "./runtime.js";

type LogUpdate = ((text: string) => void) & { clear(): void; done(): void };

export type RowState = "running" | "done" | "cached" | "failed" | "info" | "interrupted";

interface Row {
  text: string;
  state: RowState;
  detail?: string;
  startedAt: number;
  endedAt: number;
}

/**
 * A live progress display for long work (builds, verification): one line per
 * step, redrawn in place on a TTY; on anything else, one plain line when a
 * step finishes. Writes to stderr only, and nothing with --json or --quiet.
 */
export class ProgressDisplay {
  private readonly rows = new Map<string, Row>();
  private live: LogUpdate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly enabled: boolean;

  constructor(
    private readonly rt: CliRuntime,
    private readonly title?: string,
  ) {
    this.enabled = !rt.json && !rt.quiet;
    if (this.enabled && !rt.interactive && title) rt.info(title);
    // log-update loads only for a terminal, and in the background: it costs start-up time.
    if (this.enabled && rt.interactive) {
      this.loading = import("log-update").then(({ createLogUpdate }) => {
        if (this.finished) return;
        this.live = createLogUpdate(process.stderr);
        this.timer = setInterval(() => this.render(), 100).unref();
        this.render();
      });
    }
  }

  private loading: Promise<void> | undefined;
  private finished = false;

  /** The display for this runtime, with the terminal renderer loaded. */
  static async create(rt: CliRuntime, title?: string): Promise<ProgressDisplay> {
    const d = new ProgressDisplay(rt, title);
    await d.loading;
    return d;
  }

  private icon(s: RowState): string {
    const c = this.rt.color;
    switch (s) {
      case "running":
        return c ? pc.cyan("…") : "…";
      case "done":
        return c ? pc.green("✓") : "✓";
      case "cached":
        return c ? pc.dim("=") : "=";
      case "failed":
        return c ? pc.red("✗") : "✗";
      case "info":
        return c ? pc.dim("·") : "·";
      case "interrupted":
        return c ? pc.yellow("⊘") : "⊘";
    }
  }

  private line(r: Row): string {
    const width = Math.max(40, (process.stderr.columns ?? 100) - 2);
    const detail =
      r.state === "running"
        ? `${((Date.now() - r.startedAt) / 1000).toFixed(1)}s`
        : r.state === "interrupted"
          ? `interrupted after ${formatMs(r.endedAt - r.startedAt)}`
          : (r.detail ?? "");
    const text = `${this.icon(r.state)} ${r.text}`;
    const room = width - detail.length - 2;
    const shown = text.length > room ? `${text.slice(0, Math.max(10, room - 1))}…` : text;
    return detail ? `${shown}  ${this.rt.color ? pc.dim(detail) : detail}` : shown;
  }

  private footer: (() => string) | undefined;

  /** A last line redrawn with the rows on a terminal (the overall phase count and ETA). */
  setFooter(footer: () => string): void {
    this.footer = footer;
  }

  private render(): void {
    if (!this.live) return;
    const lines = [...(this.title ? [this.title] : []), ...[...this.rows.values()].map((r) => this.line(r))];
    // Only the newest rows fit on a small terminal; finished ones scroll away.
    const max = Math.max(5, (process.stderr.rows ?? 30) - 2) - (this.footer ? 1 : 0);
    const shown = lines.slice(-max);
    if (this.footer) shown.push(this.rt.color ? pc.dim(this.footer()) : this.footer());
    this.live(shown.join("\n"));
  }

  /** Adds or updates the row `key`. */
  set(key: string, text: string, state: RowState, detail?: string): void {
    if (!this.enabled) return;
    const prev = this.rows.get(key);
    // A step that ends after Ctrl-C was cut short: it did not finish, whatever it reports.
    const cut = this.rt.signal.aborted && (state === "done" || state === "cached" || state === "failed");
    const row: Row = {
      text,
      state: cut ? "interrupted" : state,
      startedAt: prev?.startedAt ?? Date.now(),
      endedAt: Date.now(),
      ...(detail !== undefined ? { detail } : {}),
    };
    this.rows.set(key, row);
    if (!this.rt.interactive && state !== "running") this.rt.info(this.line(row));
    else this.render();
  }

  /** A plain note line (kept above the live rows on a TTY). */
  note(text: string): void {
    if (!this.enabled) return;
    if (this.live) {
      this.live.clear();
      process.stderr.write(`${text}\n`);
      this.render();
    } else this.rt.info(text);
  }

  /** Stops redrawing and leaves the final state on screen. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    // Steps still running when the work ended after Ctrl-C were interrupted: drawn so, not as running or done.
    if (this.enabled && this.rt.signal.aborted) {
      for (const [key, r] of this.rows) {
        if (r.state !== "running") continue;
        const cut: Row = { ...r, state: "interrupted", endedAt: Date.now() };
        this.rows.set(key, cut);
        if (!this.rt.interactive) this.rt.info(this.line(cut));
      }
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) {
      this.render();
      this.live.done();
    } else if (this.enabled && this.rt.interactive) {
      // Finished before the renderer loaded: the final state, once.
      for (const r of this.rows.values()) this.rt.info(this.line(r));
    }
  }
}

/**
 * The overall progress of a long run: phases started and finished out of a
 * planned total, elapsed time, and an estimate of the time left (the mean
 * time of the finished phases times the phases left). The total is a plan:
 * it grows when more phases start than were planned.
 */
export class PhaseClock {
  private started = 0;
  private finished = 0;
  private readonly t0: number;

  constructor(
    private total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.t0 = now();
  }

  /** More phases than planned (a fallback tier, another lab). */
  plan(more: number): void {
    this.total += more;
  }

  start(): void {
    this.started++;
    if (this.started > this.total) this.total = this.started;
  }

  finish(): void {
    this.finished++;
    if (this.finished > this.started) this.start();
  }

  /** "phase 3/12 · 1m20s elapsed · about 2m40s left". */
  line(): string {
    const elapsed = this.now() - this.t0;
    const current = Math.min(this.total, Math.max(this.started, 1));
    const left = this.total - this.finished;
    const eta =
      this.finished === 0
        ? "time left known after the first phase"
        : left <= 0
          ? "done"
          : `about ${formatMs(Math.round((elapsed / this.finished) * left))} left`;
    return `phase ${current}/${this.total} · ${formatMs(elapsed)} elapsed · ${eta}`;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000
    ? `${ms}ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)}s`
      : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export { formatBytes } from "../image/format/units.js";
