import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { InputError } from "../errors.js";

/**
 * Registry credentials where the docker CLI keeps them, so that a user who
 * ran `docker login` needs nothing more: `$DOCKER_CONFIG/config.json`
 * (default `~/.docker/config.json`), its `credHelpers` for the host, else its
 * `credsStore`, else its `auths` entry (`auth` = base64 user:password, or
 * `username`/`password`, or an `identitytoken`).
 */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`identitytoken`), exchanged for an access token. */
  identityToken?: string;
  /** Where they came from, for messages (never the secret). */
  from: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Docker Hub is stored under its legacy index URL. */
const HUB_KEYS = ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"];

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json");
}

/** The credentials for `host` (a registry host[:port]), or undefined when there are none. */
export async function credentialsFor(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryCredentials | undefined> {
  const file = dockerConfigPath(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message})`, {
      hint: "the docker CLI's config file; fix or move it, or point DOCKER_CONFIG elsewhere",
    });
  }
  const keys = HUB_KEYS.includes(host) ? HUB_KEYS : [host, `https://${host}`, `http://${host}`];
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean) ?? config.credsStore;
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, keys[0] as string, env);
    if (fromHelper) return fromHelper;
  }
  for (const k of keys) {
    const a = config.auths?.[k];
    if (!a) continue;
    const from = `${file} (auths["${k}"])`;
    if (a.identitytoken) return { identityToken: a.identitytoken, from };
    if (a.username !== undefined && a.password !== undefined)
      return { username: a.username, password: a.password, from };
    if (a.auth) {
      const plain = Buffer.from(a.auth, "base64").toString("utf8");
      const colon = plain.indexOf(":");
      if (colon <= 0) throw new InputError(`${from}: "auth" is not base64 of user:password`);
      return { username: plain.slice(0, colon), password: plain.slice(colon + 1), from };
    }
  }
  return undefined;
}

/**
 * `docker-credential-NAME get` with the host on stdin, as the docker CLI
 * calls it: JSON `{Username, Secret}` on stdout; "credentials not found" is
 * no credentials, any other failure an error that names the helper.
 */
async function fromCredentialHelper(
  name: string,
  host: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${name}`;
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      program,
      ["get"],
      { env, timeout: 15_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === "number" ? err.code : 127) : 0,
          stdout: String(stdout),
          stderr: String(stderr || (err && typeof err.code === "string" ? err.code : "")),
        }),
    );
    child.stdin?.end(host);
  });
  if (out.code !== 0) {
    if (/credentials not found/i.test(out.stdout + out.stderr)) return undefined;
    throw new InputError(
      `${program} get ${host} failed (exit ${out.code}): ${(out.stderr || out.stdout).trim().slice(0, 200)}`,
      {
        hint: `the credential helper named in ${dockerConfigPath(env)}; is it installed and on PATH?`,
      },
    );
  }
  let doc: { Username?: unknown; Secret?: unknown };
  try {
    doc = JSON.parse(out.stdout) as typeof doc;
  } catch {
    throw new InputError(`${program} get ${host}: its answer is not JSON`);
  }
  if (typeof doc.Secret !== "string") return undefined;
  const from = `credential helper ${program}`;
  // The docker CLI's convention: the user "<token>" means the secret is an identity token.
  if (doc.Username === "<token>") return { identityToken: doc.Secret, from };
  return { username: typeof doc.Username === "string" ? doc.Username : "", password: doc.Secret, from };
}

/** The `Authorization: Basic` value of user/password credentials. */
export function basicAuth(c: RegistryCredentials): string | undefined {
  if (c.username === undefined || c.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}
