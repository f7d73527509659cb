/**
 * Keys and credentials never reach an image optimize writes (#16): the
 * generated .dockerignore leaves the usual key and credential files and
 * folders out of the build context, and any file that would still enter it
 * and looks like a private key or a credential file stops the run, unless the
 * user allows that one path explicitly (`--allow-secret PATH`).
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";

/** .dockerignore patterns for key and credential files and folders, in any folder. */
export const SECRET_IGNORE = [
  "**/*.pem",
  "**/*.key",
  "**/*.p12",
  "**/*.pfx",
  "**/id_rsa*",
  "**/id_dsa*",
  "**/id_ecdsa*",
  "**/id_ed25519*",
  "**/.ssh",
  "**/.aws",
  "**/.gnupg",
  "**/.docker/config.json",
  "**/.npmrc",
  "**/.pypirc",
  "**/.netrc",
  "**/.git-credentials",
  "**/.env",
  "**/.env.*",
];

/** File names that are credentials by name. */
const SECRET_NAME =
  /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials|[^/]*\.(pem|key|p12|pfx))$/i;
const SECRET_DIR = /(^|\/)(\.ssh|\.aws|\.gnupg)\//;
/** PEM and OpenSSH private key headers (the first bytes of such a file). */
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )?PRIVATE KEY-----|-----BEGIN OPENSSH PRIVATE KEY-----/;
const HEAD_BYTES = 4096;

async function head(file: string): Promise<string> {
  const fh = await open(file, "r").catch(() => undefined);
  if (!fh) return "";
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString("latin1");
  } finally {
    await fh.close();
  }
}

export interface SecretFinding {
  /** Relative POSIX path in the project. */
  file: string;
  why: string;
}

/**
 * Files of `contextFiles` (those the .dockerignore lets through) that look
 * like private keys or credentials, minus the explicitly allowed ones.
 */
export async function findSecretFiles(
  dir: string,
  contextFiles: readonly string[],
  allowed: readonly string[] = [],
): Promise<SecretFinding[]> {
  const allow = new Set(allowed.map((a) => path.posix.normalize(a.replace(/\\/g, "/")).replace(/^\.\//, "")));
  const out: SecretFinding[] = [];
  for (const rel of contextFiles) {
    if (allow.has(rel)) continue;
    if (SECRET_DIR.test(rel) || (SECRET_NAME.test(rel) && !rel.endsWith(".pub"))) {
      out.push({ file: rel, why: "named like a key or credential file" });
      continue;
    }
    if (PRIVATE_KEY.test(await head(path.join(dir, rel))))
      out.push({ file: rel, why: "holds a private key (PEM/OpenSSH header)" });
  }
  return out;
}

/** Throws an InputError naming every secret-looking file that would enter the image. */
export async function refuseSecretFiles(
  dir: string,
  contextFiles: readonly string[],
  allowed: readonly string[] = [],
): Promise<void> {
  const found = await findSecretFiles(dir, contextFiles, allowed);
  if (found.length === 0) return;
  const list = found.map((f) => `${f.file} (${f.why})`).join(", ");
  throw new InputError(
    `refusing to copy ${found.length === 1 ? "a file" : `${found.length} files`} that look${found.length === 1 ? "s" : ""} like a private key or credentials into the image: ${list}`,
    {
      location: { file: path.join(dir, found[0]?.file ?? ""), line: 1, column: 1 },
      hint: `move ${found.length === 1 ? "it" : "them"} out of the project (mount secrets at run time or use RUN --mount=type=secret), add ${found.length === 1 ? "it" : "them"} to .dockerignore, or allow one explicitly with --allow-secret PATH`,
    },
  );
}
