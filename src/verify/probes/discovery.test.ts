import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_DISCOVERY_LIMITS,
  discover,
  FORM_BOUNDARY,
  formsInHtml,
  linksInHtml,
  MUST_NOT_EXIST_PATH,
  requestsFromOpenApi,
  sampleFromSchema,
} from "./discovery.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const PAGE = `<!doctype html><html><head><link rel="stylesheet" href="/s/app.css">
<script src="s/app.js"></script></head><body><img src="/s/logo.svg">
<a href="/about#team">About</a><a href="https://example.invalid/x">out</a><a href="mailto:a@b">m</a>
<form action="/search"><input name="q"></form><form method="post" action="/login"></form></body></html>`;

const SPEC = {
  openapi: "3.1.0",
  paths: {
    "/items": { get: {} },
    "/items/{id}": {
      get: { parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }] },
    },
    "/tags/{tag}": { parameters: [{ $ref: "#/components/parameters/Tag" }], get: {} },
    "/orphan/{x}": { get: {} },
    "/search": { get: { parameters: [{ name: "q", in: "query", required: true }] } },
    "/private": { get: { parameters: [{ name: "X-Token", in: "header", required: true }] } },
    "/notes": {
      post: {
        requestBody: {
          content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } },
        },
      },
    },
  },
  components: {
    parameters: {
      Tag: { name: "tag", in: "path", required: true, schema: { type: "string", example: "a b" } },
    },
    schemas: {
      Note: {
        type: "object",
        required: ["text", "tags"],
        properties: { text: { type: "string" }, tags: { type: "array", items: { type: "integer" } } },
      },
    },
  },
};

describe("request discovery", () => {
  it("finds same-origin links, stylesheets, scripts, images and GET forms in HTML", () => {
    expect(linksInHtml(PAGE, "/", 8000)).toEqual([
      "/s/app.css",
      "/s/app.js",
      "/s/logo.svg",
      "/about",
      "/search",
    ]);
    // Relative references resolve against the page's own path.
    expect(linksInHtml(`<script src="app.js"></script>`, "/docs/index.html", 8000)).toEqual(["/docs/app.js"]);
  });

  it("reads GETs and JSON POSTs from an OpenAPI document, path and required query parameters filled in", () => {
    const rs = requestsFromOpenApi(SPEC, 8000, "/openapi.json");
    expect(rs.map((r) => `${r.method} ${r.path} ${r.body ?? ""}`.trim())).toEqual([
      "GET /items",
      "GET /items/1",
      "GET /tags/a%20b",
      "GET /search?q=slimstage",
      'POST /notes {"text":"slimstage","tags":[1]}',
    ]);
    // An undeclared path parameter (/orphan/{x}) and a required header (/private) cannot be given: left out.
    expect(
      sampleFromSchema({ type: "object", properties: { a: { type: "integer", example: 7 } } }, {}),
    ).toEqual({
      a: 7,
    });
  });

  it("finds POST forms with their values, and upload forms as multipart with a small file", () => {
    const html = `<form method="post" action="/notes/new">
      <input type="hidden" name="csrf" value="t0k"><input name="title" value="hi">
      <input type="checkbox" name="pin" checked><input type="checkbox" name="skip">
      <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
      <textarea name="text">two words</textarea><input type="submit" name="go" value="Go">
    </form>
    <form method="POST" enctype="multipart/form-data"><input name="who" value="me"><input type="file" name="doc"></form>
    <form method="post" action="https://example.invalid/elsewhere"><input name="x"></form>`;
    const rs = formsInHtml(html, "/upload/", 8000);
    expect(rs).toHaveLength(2);
    expect(rs[0]).toMatchObject({
      method: "POST",
      path: "/notes/new",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=t0k&title=hi&pin=on&kind=b&text=two+words",
      source: "form on /upload/",
    });
    expect(rs[1]?.path).toBe("/upload/");
    expect(rs[1]?.headers?.["content-type"]).toBe(`multipart/form-data; boundary=${FORM_BOUNDARY}`);
    expect(rs[1]?.body).toContain('Content-Disposition: form-data; name="who"\r\n\r\nme\r\n');
    expect(rs[1]?.body).toContain('name="doc"; filename="slimstage.txt"\r\nContent-Type: text/plain');
    expect(rs[1]?.body?.endsWith(`--${FORM_BOUNDARY}--\r\n`)).toBe(true);
    expect(rs[1]?.source).toBe("upload form on /upload/");
  });

  it("discovers the set on a real server, bounded by count", async () => {
    const hits: string[] = [];
    const s = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      const url = req.url ?? "/";
      if (url === "/") {
        res.setHeader("content-type", "text/html");
        res.end(PAGE);
      } else if (url === "/openapi.json") {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(SPEC));
      } else if (url === "/docs") {
        // An API documentation page no page links to, with an asset of its own.
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.end('<html><link rel="stylesheet" href="/docs/ui.css"><div id="swagger-ui"></div></html>');
      } else if (url === "/api") {
        // JSON, not a documentation page: not joined.
        res.setHeader("content-type", "application/json");
        res.end("{}");
      } else if (
        url.startsWith("/s/") ||
        url === "/about" ||
        url === "/items" ||
        url === "/notes" ||
        url === "/docs/ui.css"
      ) {
        res.end("ok");
      } else {
        res.statusCode = 404;
        res.end("nope");
      }
    });
    servers.push(s);
    const port = await new Promise<number>((r) =>
      s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)),
    );
    const ctx = { host: "127.0.0.1", timeoutMs: 2000, deadline: Date.now() + 10_000 };
    const seed = { method: "GET", port, path: "/", source: "default" };
    const { exchanges, truncated } = await discover(ctx, [seed]);
    expect(exchanges.map((x) => `${x.request.method} ${x.request.path} ${x.answer?.status}`)).toEqual([
      "GET / 200",
      "GET /s/app.css 200",
      "GET /s/app.js 200",
      "GET /s/logo.svg 200",
      "GET /about 200",
      "GET /search 404",
      "POST /login 404",
      "GET /openapi.json 200",
      "GET /items 200",
      "GET /items/1 404",
      "GET /tags/a%20b 404",
      "GET /search?q=slimstage 404",
      "POST /notes 200",
      "GET /docs 200",
      "GET /docs/ui.css 200",
      `GET ${MUST_NOT_EXIST_PATH} 404`,
      "HEAD / 200",
    ]);
    expect(truncated).toEqual([]);
    const small = await discover(ctx, [seed], { ...DEFAULT_DISCOVERY_LIMITS, maxRequests: 3 });
    expect(small.exchanges).toHaveLength(3);
    expect(small.truncated).toEqual(["maxRequests"]);
  });
});
