/**
 * Native code among the dependencies. Binary wheels carry their own
 * libraries, so the builder needs a toolchain only for packages that build
 * from source (no wheel exists or the project says so) and for the project's
 * own C extensions. The runtime libraries are worked out again from the ELF
 * needs of the built extensions inside the builder (see elf-needs.ts); this
 * table only explains and seeds that list.
 */
import type { NativeNeeds } from "../project.js";

interface NativeEntry {
  build: string[];
  runtime: string[];
  why: string;
}

/** Python packages that compile from source on Debian (no manylinux wheel, or sdist by design). */
const PYTHON_SOURCE_BUILDS: Record<string, NativeEntry> = {
  psycopg2: { build: ["libpq-dev"], runtime: ["libpq5"], why: "psycopg2 builds from source against libpq" },
  mysqlclient: {
    build: ["default-libmysqlclient-dev", "pkg-config"],
    runtime: ["libmariadb3"],
    why: "mysqlclient builds from source against libmariadb",
  },
  "python-ldap": {
    build: ["libldap2-dev", "libsasl2-dev"],
    runtime: ["libldap-2.5-0", "libsasl2-2"],
    why: "python-ldap builds from source against OpenLDAP",
  },
  pycairo: {
    build: ["libcairo2-dev", "pkg-config"],
    runtime: ["libcairo2"],
    why: "pycairo builds against cairo",
  },
  uwsgi: { build: [], runtime: [], why: "uWSGI is compiled from source" },
  pygraphviz: { build: ["graphviz-dev"], runtime: ["libgvc6"], why: "pygraphviz builds against graphviz" },
  "dbus-python": {
    build: ["libdbus-1-dev", "pkg-config"],
    runtime: ["libdbus-1-3"],
    why: "dbus-python builds against libdbus",
  },
};

/** C headers included by a project's own extension, mapped to Debian dev and runtime packages. */
const HEADER_PACKAGES: Array<[RegExp, string, string]> = [
  [/^libpq-fe\.h$|^postgresql\//, "libpq-dev", "libpq5"],
  [/^mysql\/mysql\.h$|^mysql\.h$/, "default-libmysqlclient-dev", "libmariadb3"],
  [/^openssl\//, "libssl-dev", "libssl3"],
  [/^zlib\.h$/, "zlib1g-dev", "zlib1g"],
  [/^sqlite3\.h$/, "libsqlite3-dev", "libsqlite3-0"],
  [/^ffi\.h$/, "libffi-dev", "libffi8"],
  [/^yaml\.h$/, "libyaml-dev", "libyaml-0-2"],
  [/^curl\/curl\.h$/, "libcurl4-openssl-dev", "libcurl4"],
  [/^libxml\//, "libxml2-dev", "libxml2"],
  [/^jpeglib\.h$/, "libjpeg62-turbo-dev", "libjpeg62-turbo"],
  [/^png\.h$/, "libpng-dev", "libpng16-16"],
  [/^hiredis\//, "libhiredis-dev", "libhiredis0.14"],
];

export function emptyNative(): NativeNeeds {
  return { buildPackages: [], runtimePackages: [], reasons: [] };
}

function add(n: NativeNeeds, build: string[], runtime: string[], why: string): void {
  for (const b of build) if (!n.buildPackages.includes(b)) n.buildPackages.push(b);
  for (const r of runtime) if (!n.runtimePackages.includes(r)) n.runtimePackages.push(r);
  n.reasons.push(why);
}

/** Native needs of a Python project from its dependency names and its own sources. */
export function pythonNativeNeeds(
  depNames: string[],
  ownSources: Array<{ path: string; text: string }>,
  hasOwnExtension: boolean,
): NativeNeeds {
  const n = emptyNative();
  for (const d of depNames) {
    const e = PYTHON_SOURCE_BUILDS[d];
    if (e) add(n, ["build-essential", ...e.build], e.runtime, e.why);
  }
  if (hasOwnExtension) {
    const headers = new Set<string>();
    for (const s of ownSources) {
      for (const m of s.text.matchAll(/#\s*include\s*[<"]([^>"]+)[>"]/g)) if (m[1]) headers.add(m[1]);
    }
    const build = ["build-essential"];
    const runtime: string[] = [];
    for (const h of headers) {
      for (const [re, dev, rt] of HEADER_PACKAGES) {
        if (re.test(h)) {
          build.push(dev);
          runtime.push(rt);
        }
      }
    }
    const files = ownSources.map((s) => s.path).join(", ");
    add(n, build, runtime, `the project compiles its own C extension (${files || "setup.py ext_modules"})`);
  }
  n.buildPackages.sort((a, b) =>
    a === "build-essential" ? -1 : b === "build-essential" ? 1 : a.localeCompare(b),
  );
  return n;
}

/** npm packages that run node-gyp at install time (no prebuilt binary in the package). */
const NODE_GYP_PACKAGES = new Set([
  "bcrypt",
  "node-sass",
  "sqlite3",
  "better-sqlite3",
  "canvas",
  "libxmljs",
  "re2",
]);

export function nodeNativeNeeds(depNames: string[], lockHasInstallScripts: string[]): NativeNeeds {
  const n = emptyNative();
  const hits = [
    ...new Set([...depNames.filter((d) => NODE_GYP_PACKAGES.has(d)), ...lockHasInstallScripts]),
  ].sort();
  if (hits.length > 0) {
    add(
      n,
      ["build-essential", "python3"],
      [],
      `${hits.join(", ")} compile${hits.length === 1 ? "s" : ""} native addons with node-gyp`,
    );
  }
  return n;
}
