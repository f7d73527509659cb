import { Parser } from "htmlparser2";
import { type HttpAnswer, httpRequest } from "./http.js";
import { ConnectError } from "./kind.js";

/** One request of the differential request set. */
export interface DiscoveredRequest {
  method: string;
  port: number;
  /** Path with query. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Why it is in the set: `probe`, `default`, `link from /`, `openapi /openapi.json`, `must not exist`, `HEAD /`. */
  source: string;
}

/** What discovery may do (everything is bounded). */
export interface DiscoveryLimits {
  /** Requests in the whole set (default 60). */
  maxRequests: number;
  /** Link depth followed from the seeds (default 2). */
  maxDepth: number;
  /** Body bytes read per answer (default 1 MB). */
  maxBytes: number;
  /** Time for discovery, ms (default 30 s; never past the run's deadline). */
  maxMs: number;
}

export const DEFAULT_DISCOVERY_LIMITS: DiscoveryLimits = {
  maxRequests: 60,
  maxDepth: 2,
  maxBytes: 1_000_000,
  maxMs: 30_000,
};

/** A path that no app serves: the original's answer (usually 404) is what the candidate must give. */
export const MUST_NOT_EXIST_PATH = "/.slimstage-must-not-exist";
/** Where apps serve their OpenAPI / Swagger document (FastAPI, Swagger UI, springdoc, NestJS's `SwaggerModule.setup("api" | "docs")`). */
export const OPENAPI_PATHS = ["/openapi.json", "/swagger.json", "/v3/api-docs", "/api-json", "/docs-json"];
/**
 * Where frameworks serve the pages that document an API (FastAPI's Swagger UI
 * and ReDoc, NestJS's and swagger-ui-express's usual mounts, springdoc): no
 * page links to them, and their assets (Swagger UI's stylesheet and scripts,
 * served by the app itself in NestJS) are what a minified image loses first.
 */
export const API_DOC_PAGES = ["/docs", "/redoc", "/api", "/api-docs", "/swagger", "/swagger-ui/index.html"];

/** A request and the original's answer to it (or why it got none). */
export interface Exchange {
  request: DiscoveredRequest;
  answer?: HttpAnswer;
  error?: string;
}

export interface DiscoveryContext {
  host: string;
  timeoutMs: number;
  deadline: number;
  signal?: AbortSignal;
}

export const keyOf = (r: Pick<DiscoveredRequest, "method" | "port" | "path" | "body">): string =>
  `${r.method} :${r.port}${r.path}${r.body !== undefined ? ` ${r.body}` : ""}`;

/** Sends one request of the set; connection trouble is an answer too (recorded as the error). */
export async function send(ctx: DiscoveryContext, r: DiscoveredRequest, maxBytes: number): Promise<Exchange> {
  const left = ctx.deadline - Date.now();
  if (left <= 0) return { request: r, error: "not sent: out of time" };
  try {
    const answer = await httpRequest(ctx.host, r.port, {
      path: r.path,
      method: r.method,
      ...(r.headers ? { headers: r.headers } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
      timeoutMs: Math.min(ctx.timeoutMs, left),
      signal: ctx.signal,
      maxBytes,
    });
    return { request: r, answer };
  } catch (e) {
    if (e instanceof ConnectError) return { request: r, error: e.message };
    throw e;
  }
}

/** Same-origin URLs that an HTML page links: anchors, stylesheets, scripts, images, GET forms. */
export function linksInHtml(html: string, pagePath: string, port: number): string[] {
  const base = new URL(pagePath, `http://app:${port}`);
  const out: string[] = [];
  const add = (ref: string | undefined) => {
    if (!ref || /^(javascript|mailto|data|tel):/i.test(ref.trim())) return;
    let u: URL;
    try {
      u = new URL(ref.trim(), base);
    } catch {
      return;
    }
    if (u.protocol !== "http:" || u.host !== base.host) return;
    out.push(u.pathname + u.search);
  };
  // htmlparser2: a tolerant, streaming HTML parser (real pages are rarely well-formed).
  const parser = new Parser({
    onopentag(name, a) {
      if (name === "a" || name === "link" || name === "area") add(a.href);
      else if (name === "script" || name === "img" || name === "source" || name === "iframe") add(a.src);
      else if (name === "form" && (a.method ?? "get").toLowerCase() === "get") add(a.action ?? pagePath);
    },
  });
  parser.write(html);
  parser.end();
  return [...new Set(out)];
}

/** The boundary of the multipart bodies discovery sends (fixed: the same body in every run). */
export const FORM_BOUNDARY = "slimstage-form-7c2f";

/**
 * POST forms of an HTML page, each as the request a browser would send with
 * the form's own values (hidden inputs, defaults, the first option, checked
 * boxes; an empty text otherwise), url-encoded, or multipart with a small
 * text file for each file input. GET forms are links (linksInHtml).
 */
export function formsInHtml(html: string, pagePath: string, port: number): DiscoveredRequest[] {
  const base = new URL(pagePath, `http://app:${port}`);
  const out: DiscoveredRequest[] = [];
  interface Field {
    name: string;
    value: string;
    file?: boolean;
  }
  let form: { action: URL; multipart: boolean; fields: Field[] } | undefined;
  let textarea: Field | undefined;
  let select: { name: string; value?: string; chosen?: boolean } | undefined;
  const parser = new Parser({
    onopentag(name, a) {
      if (name === "form") {
        form = undefined;
        if ((a.method ?? "get").toLowerCase() !== "post") return;
        let action: URL;
        try {
          action = new URL((a.action ?? "").trim() || pagePath, base);
        } catch {
          return;
        }
        if (action.protocol !== "http:" || action.host !== base.host) return;
        form = { action, multipart: /multipart\/form-data/i.test(a.enctype ?? ""), fields: [] };
        return;
      }
      if (name === "option" && select) {
        // The selected option, else the first (what a browser sends).
        if (select.value === undefined || ("selected" in a && !select.chosen)) {
          select.value = a.value ?? "";
          select.chosen = "selected" in a;
        }
        return;
      }
      if (!form || !a.name || "disabled" in a) return;
      if (name === "input") {
        const type = (a.type ?? "text").toLowerCase();
        if (type === "submit" || type === "button" || type === "reset" || type === "image") return;
        if ((type === "checkbox" || type === "radio") && !("checked" in a)) return;
        if (type === "file") form.fields.push({ name: a.name, value: "", file: true });
        else form.fields.push({ name: a.name, value: a.value ?? (type === "checkbox" ? "on" : "") });
      } else if (name === "textarea") {
        textarea = { name: a.name, value: "" };
        form.fields.push(textarea);
      } else if (name === "select") {
        select = { name: a.name };
      }
    },
    ontext(text) {
      if (textarea) textarea.value += text;
    },
    onclosetag(name) {
      if (name === "textarea") textarea = undefined;
      else if (name === "select" && select && form) {
        form.fields.push({ name: select.name, value: select.value ?? "" });
        select = undefined;
      } else if (name === "form" && form) {
        out.push(formRequest(form, port, pagePath));
        form = undefined;
      }
    },
  });
  parser.write(html);
  parser.end();
  return out;
}

function formRequest(
  form: { action: URL; multipart: boolean; fields: Array<{ name: string; value: string; file?: boolean }> },
  port: number,
  pagePath: string,
): DiscoveredRequest {
  const path = form.action.pathname + form.action.search;
  const source = `form on ${pagePath}`;
  if (!form.multipart) {
    const body = new URLSearchParams(form.fields.map((f): [string, string] => [f.name, f.value])).toString();
    return {
      method: "POST",
      port,
      path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      source,
    };
  }
  const parts = form.fields.map((f) =>
    f.file
      ? `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name}"; filename="slimstage.txt"\r\nContent-Type: text/plain\r\n\r\nuploaded by slimstage's differential check\n\r\n`
      : `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n${f.value}\r\n`,
  );
  return {
    method: "POST",
    port,
    path,
    headers: { "content-type": `multipart/form-data; boundary=${FORM_BOUNDARY}` },
    body: `${parts.join("")}--${FORM_BOUNDARY}--\r\n`,
    source: `upload form on ${pagePath}`,
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A small JSON value that satisfies a schema's types and required fields (example/default first). */
export function sampleFromSchema(schema: unknown, doc: unknown, depth = 0): Json {
  if (depth > 6 || schema === null || typeof schema !== "object") return null;
  let s = schema as Record<string, unknown>;
  if (typeof s.$ref === "string") {
    const target = resolveRef(doc, s.$ref);
    if (!target) return null;
    s = target as Record<string, unknown>;
  }
  if (s.example !== undefined) return s.example as Json;
  if (s.default !== undefined) return s.default as Json;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as Json;
  const variants = (s.anyOf ?? s.oneOf ?? s.allOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return sampleFromSchema(variants[0], doc, depth + 1);
  switch (s.type) {
    case "string":
      return "slimstage";
    case "integer":
      return 1;
    case "number":
      return 1.5;
    case "boolean":
      return true;
    case "array":
      return [sampleFromSchema(s.items, doc, depth + 1)];
    default: {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : Object.keys(props);
      const out: Record<string, Json> = {};
      for (const k of required) out[k] = sampleFromSchema(props[k], doc, depth + 1);
      return out;
    }
  }
}

function resolveRef(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return cur;
}

/** Requests an OpenAPI (3.x) or Swagger (2.0) document declares: GETs and JSON-body POSTs, parameters filled in. */
export function requestsFromOpenApi(doc: unknown, port: number, docPath: string): DiscoveredRequest[] {
  if (doc === null || typeof doc !== "object") return [];
  const paths = (doc as { paths?: unknown }).paths;
  if (paths === null || typeof paths !== "object") return [];
  const prefix = basePath(doc);
  const out: DiscoveredRequest[] = [];
  const source = `openapi ${docPath}`;
  for (const [p, item] of Object.entries(paths as Record<string, unknown>)) {
    if (item === null || typeof item !== "object") continue;
    const ops = item as Record<string, unknown>;
    const shared = Array.isArray(ops.parameters) ? ops.parameters : [];
    const get = ops.get as Record<string, unknown> | undefined;
    if (get) {
      const path = fillParams(`${prefix}${p}`, [...shared, ...paramsOf(get)], doc);
      if (path !== undefined) out.push({ method: "GET", port, path, source });
    }
    const post = ops.post as Record<string, unknown> | undefined;
    if (post) {
      const body = jsonBodySchema(post);
      const path = fillParams(`${prefix}${p}`, [...shared, ...paramsOf(post)], doc);
      if (body !== undefined && path !== undefined)
        out.push({
          method: "POST",
          port,
          path,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(sampleFromSchema(body, doc)),
          source,
        });
    }
  }
  return out;
}

function paramsOf(op: Record<string, unknown>): unknown[] {
  return Array.isArray(op.parameters) ? op.parameters : [];
}

/**
 * The path with each `{name}` filled from its parameter (example, default,
 * first enum value, or a value of its type) and the required query
 * parameters appended; undefined when a required header, cookie or an
 * undeclared path parameter cannot be given.
 */
function fillParams(template: string, params: unknown[], doc: unknown): string | undefined {
  const resolved = params
    .map((p) =>
      typeof (p as { $ref?: unknown }).$ref === "string" ? resolveRef(doc, (p as { $ref: string }).$ref) : p,
    )
    .filter((p): p is Record<string, unknown> => p !== null && typeof p === "object");
  const value = (p: Record<string, unknown>): string => {
    // OpenAPI 3 keeps the type in `schema`, Swagger 2 on the parameter itself.
    const v =
      p.example !== undefined
        ? (p.example as Json)
        : sampleFromSchema(p.schema ?? { type: p.type ?? "string", enum: p.enum, default: p.default }, doc);
    return typeof v === "string" ? v : JSON.stringify(v);
  };
  let missing = false;
  const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const p = resolved.find((x) => x.in === "path" && x.name === name);
    if (!p) {
      missing = true;
      return "";
    }
    return encodeURIComponent(value(p));
  });
  if (missing) return undefined;
  const query = new URLSearchParams();
  for (const p of resolved) {
    if (p.required !== true || typeof p.name !== "string") continue;
    if (p.in === "query") query.append(p.name, value(p));
    else if (p.in === "header" || p.in === "cookie" || p.in === "formData") return undefined;
  }
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

function basePath(doc: object): string {
  const d = doc as { basePath?: unknown; servers?: { url?: unknown }[] };
  const raw =
    typeof d.basePath === "string"
      ? d.basePath
      : typeof d.servers?.[0]?.url === "string"
        ? (d.servers[0].url as string)
        : "";
  // Only a relative server URL is the app's own prefix (an absolute one points elsewhere).
  return raw.startsWith("/") ? raw.replace(/\/$/, "") : "";
}

function jsonBodySchema(op: Record<string, unknown>): unknown {
  const rb = op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
  const content = rb?.content ?? {};
  for (const [type, c] of Object.entries(content)) if (/json/i.test(type)) return c.schema ?? {};
  // Swagger 2.0: an `in: body` parameter.
  const params = (op.parameters ?? []) as { in?: string; schema?: unknown }[];
  return params.find((p) => p.in === "body")?.schema;
}

const isHtml = (a: HttpAnswer) => /text\/html|application\/xhtml/i.test(a.contentType);

/**
 * Discovers the request set on the original, sending each request once:
 * the seeds (the user's probes, or GET / on each port), same-origin links and
 * POST forms (uploads too) of HTML pages to `maxDepth`, the operations of an
 * OpenAPI document with their parameters filled in, a path that
 * must not exist and HEAD /. Returns every request with the original's answer.
 */
export async function discover(
  ctx: DiscoveryContext,
  seeds: DiscoveredRequest[],
  limits: DiscoveryLimits = DEFAULT_DISCOVERY_LIMITS,
): Promise<{ exchanges: Exchange[]; truncated: string[] }> {
  const stopAt = Math.min(ctx.deadline, Date.now() + limits.maxMs);
  const c = { ...ctx, deadline: stopAt };
  const seen = new Set<string>();
  const exchanges: Exchange[] = [];
  const truncated: string[] = [];
  const full = () => exchanges.length >= limits.maxRequests;
  const run = async (r: DiscoveredRequest): Promise<Exchange | undefined> => {
    const k = keyOf(r);
    if (seen.has(k)) return undefined;
    if (full()) {
      if (!truncated.includes("maxRequests")) truncated.push("maxRequests");
      return undefined;
    }
    if (Date.now() >= stopAt) {
      if (!truncated.includes("time")) truncated.push("time");
      return undefined;
    }
    seen.add(k);
    const x = await send(c, r, limits.maxBytes);
    exchanges.push(x);
    return x;
  };

  const ports = [...new Set(seeds.map((s) => s.port))];
  let frontier: DiscoveredRequest[] = [];
  for (const s of seeds) {
    const x = await run(s);
    if (x) frontier.push(s);
  }
  // Links, breadth first, GET only.
  for (let depth = 1; depth <= limits.maxDepth && frontier.length > 0; depth++) {
    const next: DiscoveredRequest[] = [];
    for (const page of frontier) {
      const x = exchanges.find((e) => e.request === page);
      if (!x?.answer || x.answer.status >= 400 || !isHtml(x.answer)) continue;
      for (const path of linksInHtml(x.answer.body, page.path, page.port)) {
        const r: DiscoveredRequest = {
          method: "GET",
          port: page.port,
          path,
          source: `link from ${page.path}`,
        };
        if (await run(r)) next.push(r);
      }
      // Forms post to the app (a fresh container in every run): sent once, their answers compared, not followed.
      for (const r of formsInHtml(x.answer.body, page.path, page.port)) await run(r);
    }
    frontier = next;
  }
  for (const port of ports) {
    for (const docPath of OPENAPI_PATHS) {
      if (seen.has(keyOf({ method: "GET", port, path: docPath }))) continue;
      // Looked for without being part of the set: only a document that exists joins it.
      const probe = await send(c, { method: "GET", port, path: docPath, source: "" }, limits.maxBytes);
      if (probe.answer?.status !== 200) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(probe.answer.body);
      } catch {
        continue;
      }
      if (doc === null || typeof doc !== "object" || !("paths" in doc)) continue;
      const self = { ...probe, request: { ...probe.request, source: "openapi document" } };
      if (!full()) {
        seen.add(keyOf(self.request));
        exchanges.push(self);
      }
      for (const r of requestsFromOpenApi(doc, port, docPath)) await run(r);
      break;
    }
    for (const page of API_DOC_PAGES) {
      if (seen.has(keyOf({ method: "GET", port, path: page }))) continue;
      // Like the document: looked for, and joins the set only as an HTML page the original serves, with its assets.
      const probe = await send(c, { method: "GET", port, path: page, source: "" }, limits.maxBytes);
      if (probe.answer?.status !== 200 || !isHtml(probe.answer) || full()) continue;
      seen.add(keyOf(probe.request));
      exchanges.push({ ...probe, request: { ...probe.request, source: "API documentation page" } });
      for (const path of linksInHtml(probe.answer.body, page, port))
        await run({ method: "GET", port, path, source: `link from ${page}` });
    }
    await run({ method: "GET", port, path: MUST_NOT_EXIST_PATH, source: "must not exist" });
    await run({ method: "HEAD", port, path: "/", source: "HEAD /" });
  }
  return { exchanges, truncated };
}
