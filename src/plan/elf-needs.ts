/**
 * Shell snippets that work out native runtime needs inside the builder,
 * where the real binaries are: the Debian packages behind the shared
 * libraries that built extensions link (slim tier), and the full ELF
 * dependency closure of an interpreter (distroless tier). They run with the
 * builder's own ldd and dpkg, so they see exactly what the image will run.
 */

/** Where the builder records the Debian packages of the base, before build packages are added. */
export const BASE_PACKAGES_FILE = "/opt/slimstage/base-packages";
/** The runtime packages the slim runtime stage installs (one a line, possibly empty). */
export const RUNTIME_PACKAGES_FILE = "/opt/slimstage/runtime-packages";

/** Records the packages of the base image (run before installing build packages). */
export function recordBasePackagesCommand(): string {
  return `mkdir -p /opt/slimstage && dpkg-query -W -f='\${Package}\\n' | LC_ALL=C sort -u > ${BASE_PACKAGES_FILE}`;
}

/**
 * Finds the shared libraries that the ELF files under `roots` need, maps each
 * to the Debian package that owns it, and writes the packages the base image
 * lacks (plus `known`, packages the plan already expects) to RUNTIME_PACKAGES_FILE.
 */
export function runtimePackagesCommands(
  roots: string[],
  known: string[],
  opts: { baseFile?: string; binaries?: string[] } = {},
): string[] {
  const seed = known.length > 0 ? `printf '%s\\n' ${known.join(" ")}` : "true";
  const bins = (opts.binaries ?? []).map((b) => `echo ${b}; `).join("");
  return [
    `{ { ${bins}find ${roots.join(" ")} -type f -name '*.so*'; } | { xargs -r ldd 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\\// { print $3 }' | LC_ALL=C sort -u | while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; done | cut -d: -f1; ${seed}; } | LC_ALL=C sort -u > /tmp/needed-packages`,
    `LC_ALL=C comm -23 /tmp/needed-packages ${opts.baseFile ?? BASE_PACKAGES_FILE} > ${RUNTIME_PACKAGES_FILE}`,
    `echo "runtime packages from ELF needs: $(tr '\\n' ' ' < ${RUNTIME_PACKAGES_FILE})"`,
  ];
}

/** The runtime stage's install of what runtimePackagesCommands found (nothing when the list is empty). */
export function installRuntimePackagesCommand(file: string): string {
  return `if [ -s ${file} ]; then apt-get update && apt-get install -y --no-install-recommends $(cat ${file}) && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log /var/cache/debconf/*-old; fi && rm -f ${file}`;
}

export interface ClosureSpec {
  /** The root filesystem being assembled, e.g. /rootfs. */
  rootfs: string;
  /** Files copied as they are (with parent folders), e.g. the interpreter binary. */
  copy: string[];
  /** Symlinks to create inside the rootfs: [linkPath, target]. */
  symlinks: Array<[string, string]>;
  /** Folders and files whose ELF objects are scanned for needs (binary, rootfs stdlib, venv, node_modules). */
  scan: string[];
  /** Library paths under these prefixes come with the app and are not copied by the closure. */
  skipPrefixes: string[];
  /** Commands run after the copies and before the scan (trimming a copied tree, extra files). */
  prepare?: string[];
  /** Non-root user written to /etc/passwd and /etc/group. */
  user: { name: string; uid: number };
}

/**
 * Commands that assemble a FROM-scratch root filesystem with the ELF closure
 * of `scan`. Run them from / (WORKDIR /): `cp -a --parents` of coreutils 9.1
 * resolves the copied parents against the working directory.
 */
/** The shell the builder stages use: pipelines fail when any part fails. */
export const PIPEFAIL_SHELL = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';

export function closureCommands(spec: ClosureSpec): string[] {
  const R = spec.rootfs;
  const skip = spec.skipPrefixes.map((p) => `${p.replace(/\/$/, "")}/*`).join("|");
  return [
    "set -eu",
    `mkdir -p ${R}/usr/bin ${R}/usr/sbin ${R}/usr/lib ${R}/usr/lib64 ${R}/etc/ssl/certs ${R}/tmp`,
    // Keep the base's merged-/usr layout so that the paths ldd prints exist in the rootfs too.
    `for d in bin sbin lib lib64; do if [ -L /$d ]; then ln -s usr/$d ${R}/$d; fi; done`,
    `chmod 1777 ${R}/tmp`,
    ...spec.copy.map((f) => `cp -a --parents ${f} ${R}/`),
    ...spec.symlinks.map(([link, target]) => `ln -sf ${target} ${R}${link}`),
    ...(spec.prepare ?? []),
    // /dev/null as a first argument: ldd then heads every file's list with its name, even in a batch of one.
    `find ${spec.scan.join(" ")} -type f \\( -name '*.so*' -o -name '*.node' -o -perm -u+x \\) | { xargs -r ldd /dev/null 2>/dev/null || true; } > /tmp/ldd.out`,
    // A library the builder lacks too, the base image lacks: the original and the slim tier run without it
    // (a wheel's optional plugin: mysql-connector-python's Kerberos client needs libkeyutils). Left out
    // here alike, and named; verification shows whether the app needs it.
    `awk '/:$/ { f = substr($0, 1, length($0) - 1) } /=> not found/ { print "  " f " needs " $1 }' /tmp/ldd.out | LC_ALL=C sort -u > /tmp/ldd.missing`,
    `if [ -s /tmp/ldd.missing ]; then echo "shared libraries the builder does not have either, left out as in the slim tier:" >&2; cat /tmp/ldd.missing >&2; fi`,
    `awk '$2 == "=>" && $3 ~ /^\\// { print $3 } $1 ~ /^\\// && $2 ~ /^\\(0x/ { print $1 }' /tmp/ldd.out | LC_ALL=C sort -u > /tmp/closure`,
    `while read -r lib; do case "$lib" in ${skip || "/nonexistent/*"}) continue ;; esac; mkdir -p "${R}$(dirname "$lib")"; cp -L "$lib" "${R}$lib"; done < /tmp/closure`,
    // The loader finds /usr/local/lib (libpython) through the cache, as in the base image.
    `cp -a /etc/ld.so.conf /etc/ld.so.conf.d ${R}/etc/ && ldconfig -r ${R}`,
    `if [ -f /etc/ssl/certs/ca-certificates.crt ]; then cp /etc/ssl/certs/ca-certificates.crt ${R}/etc/ssl/certs/; fi`,
    `printf 'root:x:0:0:root:/root:/sbin/nologin\\n${spec.user.name}:x:${spec.user.uid}:${spec.user.uid}:${spec.user.name}:/nonexistent:/sbin/nologin\\n' > ${R}/etc/passwd`,
    `printf 'root:x:0:\\n${spec.user.name}:x:${spec.user.uid}:\\n' > ${R}/etc/group`,
    `echo "rootfs: $(wc -l < /tmp/closure) shared objects, $(du -sh ${R} | cut -f1)"`,
  ];
}
