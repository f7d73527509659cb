/** What the app needs from Redis: one atomic increment. */
export interface CounterStore {
  incr(key: string): Promise<number>;
}

/** An in-memory store, for the tests (no Redis in the image's builder stage). */
export class MemoryCounterStore implements CounterStore {
  private readonly values = new Map<string, number>();

  async incr(key: string): Promise<number> {
    const next = (this.values.get(key) ?? 0) + 1;
    this.values.set(key, next);
    return next;
  }
}
