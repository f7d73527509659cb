import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { createHandler, greeting } from "../src/app.js";
import { MemoryCounterStore } from "../src/counter.js";

let server: Server;
let base: string;

before(async () => {
  const handler = createHandler(new MemoryCounterStore());
  server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

test("the counter goes up 1, 2, 3", async () => {
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    bodies.push(await res.text());
  }
  assert.deepEqual(bodies, [greeting(1), greeting(2), greeting(3)]);
});

test("/health answers without touching the store", async () => {
  const res = await fetch(`${base}/health`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "ok\n");
});

test("unknown paths are 404 and other methods 405", async () => {
  assert.equal((await fetch(`${base}/nope`)).status, 404);
  assert.equal((await fetch(`${base}/`, { method: "POST" })).status, 405);
});

test("a failing store gives 503, not a crash", async () => {
  const failing = createHandler({
    incr: async () => {
      throw new Error("connection refused");
    },
  });
  const s = createServer((req, res) => {
    void failing(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /connection refused/);
  } finally {
    s.close();
  }
});
