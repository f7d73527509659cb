import type { DebianSuite, RootfsRecipe } from "../recipe.js";

/** The Debian slim stand-in for one suite, made by debootstrap and trimmed like the official image. */
export function debianRecipe(suite: DebianSuite): RootfsRecipe {
  return {
    kind: "rootfs",
    name: "debian",
    suite,
    ref: `slimstage/debian:${suite}-slim`,
    aliases: [`debian:${suite}-slim`],
    summary: `Debian ${suite} minbase, trimmed like the official slim image`,
    // docker-library repo-info (on-disk size); trixie-slim's is not recorded here.
    official:
      suite === "bookworm"
        ? { ref: "debian:bookworm-slim", bytes: 74_800_000 }
        : { ref: "debian:trixie-slim" },
    smoke: ["sh", "-c", "apt-get --version && cat /etc/debian_version"],
  };
}

/**
 * dpkg path filters: documentation, man pages and translations are never
 * unpacked (copyright files and locale.alias stay), as in the official slim images.
 */
export const DPKG_SLIM_CFG = `# slimstage: keep images slim, like Debian's official slim images
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
`;

/** apt settings of the official images: no package caches, no translations, no downloaded .debs kept. */
export const APT_CLEAN_CFG = `// slimstage: drop downloaded packages and binary caches after each dpkg run and update
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`;
export const APT_NO_LANGUAGES_CFG = 'Acquire::Languages "none";\n';
export const APT_GZIP_INDEXES_CFG = 'Acquire::GzipIndexes "true";\n';
export const APT_AUTOREMOVE_CFG = 'Apt::AutoRemove::SuggestsImportant "false";\n';

/** deb822 sources for the suite, its updates and its security archive. */
export function debianSources(suite: DebianSuite, mirror: string): string {
  return `Types: deb
URIs: ${mirror}
Suites: ${suite} ${suite}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: ${suite}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;
}
