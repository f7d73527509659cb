/**
 * `fetch` that keeps the process alive until the response's headers arrive.
 *
 * Why: Node 20's fetch (undici) never settles when the server accepts the
 * connection and closes it without answering (a proxy whose backend is not
 * up yet, such as docker-proxy before the app listens, or a registry behind
 * a load balancer that drops the request). Only the abort signal settles it
 * then, and AbortSignal.timeout's timer does not keep the event loop alive:
 * with nothing else pending, Node exits with code 13 ("unsettled top-level
 * await") and prints nothing. `npm run bench -- startup` ended that way on
 * its first probe of a starting Flask app; `inspect registry://` would too.
 * A referenced timer for as long as the headers are awaited lets the timeout
 * (or the caller's signal) settle the request instead.
 */
export async function fetchAlive(url: string, init: RequestInit = {}): Promise<Response> {
  const keep = setInterval(() => {}, 1 << 30);
  try {
    return await fetch(url, init);
  } finally {
    clearInterval(keep);
  }
}
