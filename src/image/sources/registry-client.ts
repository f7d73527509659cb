/**
 * A small client for the OCI distribution API (the registry v2 protocol):
 * manifests by tag or digest, blobs streamed, anonymous bearer tokens. Node's
 * fetch does the HTTP; the protocol on top is a few requests, and the one
 * well-kept client for it (oras-js) is not on npm, so it is written here.
 */
import { createHash } from "node:crypto";
import {
  basicAuth,
  credentialsFor,
  dockerConfigPath,
  type RegistryCredentials,
} from "../../engine/credentials.js";
import { InputError, InterruptedError } from "../../errors.js";
import { fetchAlive } from "../../fetch-alive.js";

/** `HOST[:PORT]/NAME[:TAG|@sha256:...]`, split. */
export interface RegistryReference {
  host: string;
  /** Repository name ("library/debian", "team/app"). */
  name: string;
  /** A tag or a digest ("sha256:..."). */
  reference: string;
  /** "http" for loopback registries (as the engine treats 127.0.0.0/8), else "https". */
  protocol: "http" | "https";
}

const NAME_PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Parses the part after `registry://`; the tag defaults to "latest". */
export function parseRegistryReference(text: string): RegistryReference {
  const bad = (why: string) =>
    new InputError(`registry://${text}: ${why}`, {
      hint: "write registry://HOST[:PORT]/NAME[:TAG] or registry://HOST[:PORT]/NAME@sha256:DIGEST",
    });
  const slash = text.indexOf("/");
  if (slash <= 0) throw bad("no registry host");
  const host = text.slice(0, slash);
  if (!/^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.test(host)) throw bad(`bad host ${host}`);
  let rest = text.slice(slash + 1);
  let reference = "latest";
  const at = rest.indexOf("@");
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(reference)) throw bad(`bad digest ${reference}`);
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(reference)) throw bad(`bad tag ${reference}`);
    }
  }
  if (rest === "" || !rest.split("/").every((p) => NAME_PART.test(p)))
    throw bad(`bad repository name ${rest}`);
  return { host, name: rest, reference, protocol: isLoopback(host) ? "http" : "https" };
}

export const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

const TIMEOUT_MS = 30_000;

export class RegistryClient {
  /** The Authorization value once the registry asked for one (Bearer token or Basic credentials). */
  private authorization: string | undefined;
  /** Looked up on the first 401 only: a public registry never needs them. */
  private credentials: RegistryCredentials | undefined | null = null;
  constructor(
    readonly ref: RegistryReference,
    private readonly signal?: AbortSignal,
  ) {}

  get where(): string {
    return `registry://${this.ref.host}/${this.ref.name}`;
  }

  private url(path: string): string {
    return `${this.ref.protocol}://${this.ref.host}/v2/${this.ref.name}/${path}`;
  }

  private async send(url: string, headers: Record<string, string>, what: string): Promise<Response> {
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(this.signal ? [this.signal] : [])];
    const all = { ...headers, ...(this.authorization ? { Authorization: this.authorization } : {}) };
    try {
      return await fetchAlive(url, { headers: all, signal: AbortSignal.any(signals), redirect: "follow" });
    } catch (e) {
      if (this.signal?.aborted) throw new InterruptedError();
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new InputError(
        `${this.where}: cannot reach the registry for ${what}: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
        { hint: `is a registry listening at ${this.ref.protocol}://${this.ref.host}?` },
      );
    }
  }

  private async creds(): Promise<RegistryCredentials | undefined> {
    if (this.credentials === null) this.credentials = await credentialsFor(this.ref.host);
    return this.credentials;
  }

  /**
   * GET, answering one 401 as the docker CLI does: a Basic challenge with the
   * user's credentials, a Bearer challenge with a token from the realm
   * (fetched with the credentials when there are any, anonymously else).
   */
  async get(path: string, headers: Record<string, string>, what: string): Promise<Response> {
    const url = this.url(path);
    let res = await this.send(url, headers, what);
    if (res.status === 401 && this.authorization === undefined) {
      const challenge = res.headers.get("www-authenticate") ?? "";
      await res.body?.cancel();
      this.authorization = await this.answerChallenge(challenge, what);
      if (this.authorization !== undefined) res = await this.send(url, headers, what);
    }
    if (res.ok) return res;
    const body = (await res.text().catch(() => "")).slice(0, 300).trim();
    const detail = body ? `: ${body}` : "";
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      const c = this.credentials ?? undefined;
      throw new InputError(`${this.where}: the registry refused ${what} (HTTP ${res.status})${detail}`, {
        hint: c
          ? `it refused the credentials from ${c.from}; check them with \`docker login ${this.ref.host}\``
          : `no credentials for ${this.ref.host} in ${dockerConfigPath()}: \`docker login ${this.ref.host}\` stores them where slimstage reads them`,
      });
    }
    if (res.status === 404) {
      throw new InputError(`${this.where}: ${what} not found (HTTP 404)${detail}`, {
        hint: "check the name and tag (GET /v2/_catalog lists a registry's repositories)",
      });
    }
    throw new InputError(`${this.where}: the registry failed on ${what} (HTTP ${res.status})${detail}`);
  }

  /** The Authorization value that answers a challenge, or undefined when nothing can. */
  private async answerChallenge(challenge: string, what: string): Promise<string | undefined> {
    if (/^basic\b/i.test(challenge)) {
      const c = await this.creds();
      return c ? basicAuth(c) : undefined;
    }
    if (!/^bearer\s/i.test(challenge)) return undefined;
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, key = "", value = ""]) => [
        key.toLowerCase(),
        value,
      ]),
    );
    if (!params.realm) return undefined;
    const u = new URL(params.realm);
    if (params.service) u.searchParams.set("service", params.service);
    const scope = params.scope ?? `repository:${this.ref.name}:pull`;
    u.searchParams.set("scope", scope);
    const c = await this.creds();
    let res: Response;
    if (c?.identityToken) {
      // The OAuth2 refresh-token grant, as the docker CLI uses an identity token.
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: c.identityToken,
        service: params.service ?? "",
        scope,
        client_id: "slimstage",
      });
      res = await this.sendToken(params.realm, { method: "POST", body: form }, what);
    } else {
      const basic = c ? basicAuth(c) : undefined;
      res = await this.sendToken(u.href, basic ? { headers: { Authorization: basic } } : {}, what);
    }
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const doc = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const t = doc.token ?? doc.access_token;
    return typeof t === "string" ? `Bearer ${t}` : undefined;
  }

  /** A request to the token service (its own host: never with the registry's Authorization). */
  private async sendToken(url: string, init: RequestInit, what: string): Promise<Response> {
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(this.signal ? [this.signal] : [])];
    try {
      return await fetchAlive(url, { ...init, signal: AbortSignal.any(signals), redirect: "follow" });
    } catch (e) {
      if (this.signal?.aborted) throw new InterruptedError();
      throw new InputError(
        `${this.where}: cannot reach the token service for ${what}: ${(e as Error).message}`,
      );
    }
  }

  /** A manifest or index, verified against the digest that names it (or that the registry sends). */
  async manifest(reference: string, maxBytes: number): Promise<{ bytes: Buffer; digest: string }> {
    const what = `manifest ${reference}`;
    const res = await this.get(`manifests/${reference}`, { Accept: MANIFEST_TYPES.join(", ") }, what);
    const bytes = await readCapped(res, maxBytes, `${this.where}: ${what}`);
    const actual = sha256(bytes);
    const claimed = DIGEST.test(reference) ? reference : res.headers.get("docker-content-digest");
    if (claimed && claimed !== actual) {
      throw new InputError(
        `${this.where}: ${what} has the wrong content: it should be ${claimed}, its sha256 is ${actual}`,
        { hint: "the registry (or something between) altered the manifest" },
      );
    }
    return { bytes, digest: actual };
  }

  /** A small blob (config, nested manifest) read whole, its size and digest checked. */
  async smallBlob(digest: string, size: number, maxBytes: number, what: string): Promise<Buffer> {
    const res = await this.get(`blobs/${digest}`, {}, what);
    const bytes = await readCapped(
      res,
      Math.min(maxBytes, size >= 0 ? size : maxBytes),
      `${this.where}: ${what}`,
    );
    if (size >= 0 && bytes.length !== size) {
      throw new InputError(`${this.where}: ${what} is ${bytes.length} bytes, the manifest says ${size}`);
    }
    return bytes;
  }

  /**
   * A blob streamed as Buffers; the stream fails as soon as it passes the
   * manifest's size and when it ends short of it (digest is the reader's job).
   */
  async blobStream(digest: string, size: number, what: string): Promise<AsyncIterable<Buffer>> {
    const res = await this.get(`blobs/${digest}`, {}, what);
    const length = res.headers.get("content-length");
    if (size >= 0 && length !== null && Number(length) !== size) {
      await res.body?.cancel();
      throw new InputError(`${this.where}: ${what} is ${length} bytes, the manifest says ${size}`);
    }
    const body = res.body;
    if (!body) throw new InputError(`${this.where}: ${what} came without a body`);
    const where = `${this.where}: ${what}`;
    return (async function* () {
      let n = 0;
      for await (const chunk of body) {
        n += chunk.length;
        if (size >= 0 && n > size)
          throw new InputError(`${where} is larger than the ${size} bytes the manifest says`);
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      }
      if (size >= 0 && n !== size) throw new InputError(`${where} is ${n} bytes, the manifest says ${size}`);
    })();
  }
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function readCapped(res: Response, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body) {
    n += chunk.length;
    if (n > max) {
      await res.body.cancel().catch(() => undefined);
      throw new InputError(`${what} is larger than ${max} bytes`);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }
  return Buffer.concat(chunks);
}
