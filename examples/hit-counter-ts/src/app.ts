import type { IncomingMessage, ServerResponse } from "node:http";
import type { CounterStore } from "./counter.js";

export const HITS_KEY = "hits";

export function greeting(count: number): string {
  return `Hello from Node! I have been seen ${count} times.\n`;
}

/** The request handler: `/` counts a hit in the store, `/health` needs no store. */
export function createHandler(store: CounterStore) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "method not allowed\n");
    } else if (path === "/") {
      try {
        send(res, 200, greeting(await store.incr(HITS_KEY)));
      } catch (err) {
        send(res, 503, `counter unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    } else if (path === "/health") {
      send(res, 200, "ok\n");
    } else {
      send(res, 404, "not found\n");
    }
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
}
