import { createServer } from "node:http";
import { createClient } from "redis";
import { createHandler } from "./app.js";
import type { CounterStore } from "./counter.js";

const port = Number(process.env.PORT ?? "3000");
const redisUrl = process.env.REDIS_URL ?? `redis://${process.env.REDIS_HOST ?? "redis"}:6379`;

const client = createClient({ url: redisUrl });
client.on("error", (err: unknown) => {
  console.error(`redis: ${err instanceof Error ? err.message : String(err)}`);
});
// Not awaited: the server answers /health while Redis is still starting, and
// the client queues commands until it is connected.
client.connect().catch(() => {});

const store: CounterStore = { incr: (key) => client.incr(key) };
const server = createServer((req, res) => {
  void createHandler(store)(req, res);
});
server.listen(port, () => {
  console.log(`hit counter listening on :${port}, redis at ${redisUrl}`);
});

// As PID 1 in a container, node must handle SIGTERM itself or `docker stop` waits 10 s.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    client.destroy();
  });
}
