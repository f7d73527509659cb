import type { BuildOnlyCategory, FileOwner } from "./types.js";

/**
 * Build-only content: what a compiler, a package manager or a developer
 * needs, and a running app does not. Decided per file from its path and its
 * owning package; the first matching rule wins.
 */
const TOOLCHAIN_PACKAGES =
  /^(gcc|g\+\+|cpp|gfortran|binutils|make|build-essential|dpkg-dev|libc6-dev|libc-dev-bin|linux-libc-dev|libgcc-\d+-dev|libstdc\+\+-\d+-dev|clang|llvm|lld|libclang|libllvm|rustc|cargo|golang|autoconf|automake|libtool|pkg-config|pkgconf|cmake|patch|m4|bison|flex|libasan\d*|libtsan\d*|liblsan\d*|libubsan\d*|libitm\d*|libquadmath\d*|libcc1-\d+|libisl\d*|libmpc\d*|libmpfr\d*|libbinutils|libctf\d*|libctf-nobfd\d*|libgprofng\d*|libjansson\d*|libsframe\d*|musl-dev|libc-dev|fortify-headers)(-|$|:)/;

// Each rule has a substring every matching path contains, checked before the regex (most paths match none).
const PATH_RULES: ReadonlyArray<readonly [BuildOnlyCategory, RegExp, string]> = [
  ["pm-cache", /^(root|home\/[^/]+)\/\.(cache\/pip|npm|cache\/yarn)\//, "/."],
  ["pm-cache", /^usr\/local\/share\/\.cache\/yarn\//, ".cache/"],
  ["pm-cache", /^var\/cache\/(apt|apk)\/.+/, "var/cache/"],
  ["pm-cache", /^var\/lib\/apt\/lists\/.+/, "apt/lists/"],
  ["headers", /^usr\/(local\/)?include\//, "include/"],
  ["headers", /\.(h|hh|hpp|hxx)$/, ".h"],
  ["static-libs", /\.a$/, ".a"],
  ["toolchain", /^usr\/(lib|libexec)\/gcc(-cross)?\//, "/gcc"],
  [
    "toolchain",
    /^usr\/bin\/(x86_64-linux-gnu-|aarch64-linux-gnu-)?(gcc|g\+\+|cc|c\+\+|cpp|ld|ld\.bfd|ld\.gold|as|ar|ranlib|strip|objdump|objcopy|nm|readelf|make|cmake|clang|clang\+\+|rustc|cargo)(-\d+)?$/,
    "usr/bin/",
  ],
  [
    "tests",
    /^usr\/(local\/)?lib\/python3(\.\d+)?\/(test|unittest\/test|lib2to3\/tests|idlelib\/idle_test|tkinter\/test|ctypes\/test|distutils\/tests)\//,
    "/python3",
  ],
  ["tests", /\/site-packages\/[^/]+\/(tests?)\//, "/test"],
  ["tests", /(^|\/)node_modules\/.+\/(test|tests|__tests__)\//, "test"],
  ["docs", /^usr\/(local\/)?share\/(doc|man|info|gtk-doc|help)\//, "share/"],
  ["docs", /(^|\/)node_modules\/.+\/(README|CHANGELOG|HISTORY)(\.(md|markdown|txt))?$/i, "node_modules/"],
];

/** Any rule's substring: one regex test per file (native code) instead of one includes() per rule. */
const ANY_HINT = new RegExp(PATH_RULES.map((r) => r[2].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"));

export function categorize(path: string, owner: FileOwner | undefined): BuildOnlyCategory | undefined {
  if (ANY_HINT.test(path)) {
    // Indexed loop: destructuring for-of runs the iterator protocol per file while the code is still cold.
    for (let i = 0; i < PATH_RULES.length; i++) {
      // biome-ignore lint/style/noNonNullAssertion: i < PATH_RULES.length, a constant array
      const rule = PATH_RULES[i]!;
      if (path.includes(rule[2]) && rule[1].test(path)) return rule[0];
    }
  }
  if (owner?.kind === "os-package" && isToolchainOwner(owner)) return "toolchain";
  return undefined;
}

// Owners are shared objects (one per package): the package-name regex runs once per owner, not per file.
const toolchainOwners = new WeakMap<FileOwner, boolean>();
function isToolchainOwner(owner: FileOwner): boolean {
  let yes = toolchainOwners.get(owner);
  if (yes === undefined) {
    yes = TOOLCHAIN_PACKAGES.test(owner.name);
    toolchainOwners.set(owner, yes);
  }
  return yes;
}

export function isToolchainPackage(name: string): boolean {
  return TOOLCHAIN_PACKAGES.test(name);
}
