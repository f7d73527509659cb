/**
 * Walks the frame and block headers of a zstd stream as it passes, without
 * decoding, so that every frame's window is checked before the decoder sees
 * the frame: fzstd allocates a frame's whole window (a header may claim
 * 2 GiB) as soon as it reads the header. Hand-written: no library exposes
 * zstd frame headers, and the format (RFC 8878, section 3.1) is small.
 */
import { LimitError } from "../../errors.js";

const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;
const ZSTD = 0xfd2fb528;

type State =
  | { at: "magic" }
  | { at: "skippable-size" }
  | { at: "fhd" }
  | { at: "header"; fhd: number }
  | { at: "block"; checksum: boolean };

export class ZstdFrameGuard {
  private state: State = { at: "magic" };
  private need = 4;
  private header: number[] = [];
  private skip = 0;
  private afterSkip: State = { at: "magic" };
  private afterSkipNeed = 4;
  frames = 0;

  constructor(
    private readonly maxWindow: number,
    private readonly name: string,
  ) {}

  /** Checks the headers inside `chunk`; throws LimitError on a frame over the window limit. */
  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        if (this.skip === 0) this.go(this.afterSkip, this.afterSkipNeed);
        continue;
      }
      this.header.push(chunk[i] as number);
      i++;
      if (this.header.length === this.need) {
        const h = this.header;
        this.header = [];
        this.step(h);
      }
    }
  }

  private go(state: State, need: number): void {
    this.state = state;
    this.need = need;
  }

  private skipThen(n: number, state: State, need: number): void {
    if (n === 0) {
      this.go(state, need);
      return;
    }
    this.skip = n;
    this.afterSkip = state;
    this.afterSkipNeed = need;
  }

  private step(h: number[]): void {
    const s = this.state;
    switch (s.at) {
      case "magic": {
        const magic =
          ((h[0] as number) |
            ((h[1] as number) << 8) |
            ((h[2] as number) << 16) |
            ((h[3] as number) << 24)) >>>
          0;
        if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) this.go({ at: "skippable-size" }, 4);
        // Anything else is the decoder's to reject (it names the problem better).
        else if (magic === ZSTD) this.go({ at: "fhd" }, 1);
        else this.go({ at: "magic" }, Number.POSITIVE_INFINITY);
        return;
      }
      case "skippable-size": {
        const size =
          ((h[0] as number) | ((h[1] as number) << 8) | ((h[2] as number) << 16)) +
          (h[3] as number) * 2 ** 24;
        this.skipThen(size, { at: "magic" }, 4);
        return;
      }
      case "fhd": {
        const fhd = h[0] as number;
        const single = (fhd >> 5) & 1;
        const did = [0, 1, 2, 4][fhd & 3] as number;
        const fcsFlag = fhd >> 6;
        const fcs = fcsFlag === 0 ? single : 1 << fcsFlag;
        this.go({ at: "header", fhd }, (single ? 0 : 1) + did + fcs);
        if (this.need === 0) this.step([]);
        return;
      }
      case "header": {
        const fhd = s.fhd;
        const single = (fhd >> 5) & 1;
        let window: number;
        if (!single) {
          const b = h[0] as number;
          const base = 2 ** (10 + (b >> 3));
          window = base + (base / 8) * (b & 7);
        } else {
          const did = [0, 1, 2, 4][fhd & 3] as number;
          const fcsFlag = fhd >> 6;
          let size = 0;
          for (let k = h.length - 1; k >= did; k--) size = size * 256 + (h[k] as number);
          window = size + (fcsFlag === 1 ? 256 : 0);
        }
        this.frames++;
        if (window > this.maxWindow)
          throw new LimitError(
            `${this.name}: zstd frame ${this.frames} has a ${Math.round(window / 1024 / 1024)} MiB window, over the ${Math.round(this.maxWindow / 1024 / 1024)} MiB this decoder accepts (it holds a whole window in memory)`,
          );
        this.go({ at: "block", checksum: ((fhd >> 2) & 1) === 1 }, 3);
        return;
      }
      case "block": {
        const v = (h[0] as number) | ((h[1] as number) << 8) | ((h[2] as number) << 16);
        const last = v & 1;
        const type = (v >> 1) & 3;
        const size = v >>> 3;
        const onWire = type === 1 ? 1 : size;
        if (last) this.skipThen(onWire + (s.checksum ? 4 : 0), { at: "magic" }, 4);
        else this.skipThen(onWire, s, 3);
        return;
      }
    }
  }
}
