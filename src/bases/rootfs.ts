import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BuildKitClient, runCli } from "../engine/build/client.js";
import { BuildError } from "../errors.js";
import type { RecipeHost, RootfsRecipe } from "./recipe.js";
import {
  APT_AUTOREMOVE_CFG,
  APT_CLEAN_CFG,
  APT_GZIP_INDEXES_CFG,
  APT_NO_LANGUAGES_CFG,
  DPKG_SLIM_CFG,
  debianSources,
} from "./recipes/debian.js";

export const DEBIAN_MIRROR = process.env.SLIMSTAGE_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";

/**
 * Removes from a fresh debootstrap tree what the official slim images do not
 * carry: docs except copyright files, man pages, translations, apt lists and
 * caches, logs, the machine id. Shell, because it runs over a whole foreign
 * root file system where find(1) says it best.
 */
export const TRIM_SCRIPT = `set -eu
cd "$1"
find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find usr/share/doc -mindepth 1 -depth -type d -empty -delete
rm -rf usr/share/man/* usr/share/groff/* usr/share/info/* usr/share/lintian/* usr/share/linda/*
find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf '{}' +
rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb var/cache/apt/archives/partial/*
rm -rf var/log/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old tmp/* var/tmp/*
rm -f var/log/dpkg.log var/log/alternatives.log var/log/bootstrap.log var/cache/ldconfig/aux-cache
rm -f etc/apt/sources.list etc/resolv.conf etc/hostname
if [ -e etc/machine-id ]; then : > etc/machine-id; fi
`;

/** Everything that decides the content of the root file system, for the recipe hash. */
export async function rootfsInputs(recipe: RootfsRecipe, host: RecipeHost): Promise<string[]> {
  const ca = await readFile(host.caBundle, "utf8");
  return [
    recipe.suite,
    DEBIAN_MIRROR,
    TRIM_SCRIPT,
    DPKG_SLIM_CFG,
    APT_CLEAN_CFG,
    APT_NO_LANGUAGES_CFG,
    APT_GZIP_INDEXES_CFG,
    APT_AUTOREMOVE_CFG,
    debianSources(recipe.suite, DEBIAN_MIRROR),
    ca,
  ];
}

async function ensureDebootstrap(host: RecipeHost): Promise<void> {
  const found = await runCli("sh", ["-c", "command -v debootstrap || test -x /usr/sbin/debootstrap"], {
    signal: host.signal,
  });
  if (found.code === 0) return;
  if (process.getuid?.() !== 0) {
    throw new BuildError("debootstrap is not installed and installing it needs root", {
      hint: "run `apt-get install -y debootstrap` as root (or `slimstage setup`), then build the bases again",
    });
  }
  host.progress("installing debootstrap (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let res = await runCli("apt-get", ["install", "-y", "-qq", "debootstrap"], { env, signal: host.signal });
  if (res.code !== 0) {
    await runCli("apt-get", ["update", "-qq"], { env, signal: host.signal });
    res = await runCli("apt-get", ["install", "-y", "-qq", "debootstrap"], { env, signal: host.signal });
  }
  if (res.code !== 0)
    throw new BuildError(`apt-get install debootstrap failed: ${res.stderr.trim().slice(-800)}`);
}

/** Unmounts whatever debootstrap left mounted under the tree (it mounts proc and sys while it works). */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = await readFile("/proc/mounts", "utf8").catch(() => "");
  const under = mounts
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of under) await runCli("umount", ["-l", m]).catch(() => undefined);
}

function pipeTarToImport(
  dir: string,
  client: BuildKitClient,
  env: NodeJS.ProcessEnv,
  changes: readonly string[],
  ref: string,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn("tar", ["--numeric-owner", "--xattrs", "-C", dir, "-c", "."], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tarErr = "";
    tar.stderr.setEncoding("utf8").on("data", (d: string) => {
      tarErr += d;
    });
    const tarDone = new Promise<number>((r) => tar.on("close", (c) => r(c ?? 1)));
    const args = ["import", ...changes.flatMap((c) => ["--change", c]), "-", ref];
    runCli(client.path, args, { env, input: tar.stdout, signal })
      .then(async (res) => {
        const tarCode = await tarDone;
        if (res.code !== 0) reject(new BuildError(`docker import failed: ${res.stderr.trim()}`));
        else if (tarCode !== 0)
          reject(new BuildError(`tar of the root file system failed: ${tarErr.trim()}`));
        else resolve();
      })
      .catch((err: unknown) => {
        tar.kill("SIGKILL");
        reject(err);
      });
  });
}

/**
 * debootstrap --variant=minbase, trimmed like the official slim image, with
 * the host's CA bundle, imported as one layer under `ref`.
 */
export async function buildRootfsImage(
  recipe: RootfsRecipe,
  host: RecipeHost,
  client: BuildKitClient,
  engineEnv: NodeJS.ProcessEnv,
  ref: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  await ensureDebootstrap(host);
  const work = await mkdtemp(join(process.env.TMPDIR ?? "/var/tmp", "slimstage-rootfs-"));
  const dir = join(work, "rootfs");
  try {
    host.progress(`debootstrap --variant=minbase ${recipe.suite} (about a minute)`);
    const boot = await runCli("debootstrap", ["--variant=minbase", recipe.suite, dir, DEBIAN_MIRROR], {
      signal: host.signal,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (boot.code !== 0) {
      const log = await readFile(join(dir, "debootstrap", "debootstrap.log"), "utf8").catch(() => "");
      throw new BuildError(
        `debootstrap ${recipe.suite} failed (exit ${boot.code}):\n${(boot.stderr + boot.stdout).trim().slice(-1000)}\n${log.slice(-1500)}`,
        { hint: "Debian's mirror must be reachable (set SLIMSTAGE_DEBIAN_MIRROR for another mirror)" },
      );
    }
    await unmountUnder(dir);
    host.progress("trimming docs, man pages, locales, apt lists and caches");
    const trim = await runCli("sh", ["-c", TRIM_SCRIPT, "sh", dir], { signal: host.signal });
    if (trim.code !== 0) throw new BuildError(`trimming the root file system failed: ${trim.stderr.trim()}`);
    await mkdir(join(dir, "etc/dpkg/dpkg.cfg.d"), { recursive: true });
    await writeFile(join(dir, "etc/dpkg/dpkg.cfg.d/docker-slim"), DPKG_SLIM_CFG);
    const aptConf = join(dir, "etc/apt/apt.conf.d");
    await mkdir(aptConf, { recursive: true });
    await writeFile(join(aptConf, "docker-clean"), APT_CLEAN_CFG);
    await writeFile(join(aptConf, "docker-no-languages"), APT_NO_LANGUAGES_CFG);
    await writeFile(join(aptConf, "docker-gzip-indexes"), APT_GZIP_INDEXES_CFG);
    await writeFile(join(aptConf, "docker-autoremove-suggests"), APT_AUTOREMOVE_CFG);
    await mkdir(join(dir, "etc/apt/sources.list.d"), { recursive: true });
    await writeFile(
      join(dir, "etc/apt/sources.list.d/debian.sources"),
      debianSources(recipe.suite, DEBIAN_MIRROR),
    );
    // The host bundle holds the CA of the TLS-inspecting proxy. Kept twice:
    // as the bundle itself, and as a local CA so update-ca-certificates (run
    // when a later image installs ca-certificates) keeps it in the bundle.
    await mkdir(join(dir, "etc/ssl/certs"), { recursive: true });
    await mkdir(join(dir, "usr/local/share/ca-certificates"), { recursive: true });
    await copyFile(host.caBundle, join(dir, "etc/ssl/certs/ca-certificates.crt"));
    await copyFile(host.caBundle, join(dir, "usr/local/share/ca-certificates/slimstage-host-bundle.crt"));

    host.progress("importing the root file system (docker import)");
    const changes = [
      'CMD ["bash"]',
      ...Object.entries(labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`),
    ];
    await pipeTarToImport(dir, client, engineEnv, changes, ref, host.signal);
  } finally {
    await unmountUnder(dir);
    await rm(work, { recursive: true, force: true });
  }
}
