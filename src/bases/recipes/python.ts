import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  PACKAGE_INDEX_HOST,
  PACKAGE_INDEX_HOSTNAME,
  PACKAGE_INDEX_PORT,
  PACKAGE_INDEX_URL,
} from "../index-server.js";

const LOOPBACK_INDEX_URL = `http://${PACKAGE_INDEX_HOST}:${PACKAGE_INDEX_PORT}/`;

import type { DockerfileRecipe } from "../recipe.js";
import { BASE_PYTHON_VERSION, ensureWheelhouse, wheelsFor } from "../wheelhouse.js";

/** Bookworm's python3.11 source version; the wheelhouse completes its markers for it. */
export const PYTHON_VERSION = BASE_PYTHON_VERSION;

/**
 * pip inside the Python base uses the offline index that slimstage serves
 * while it builds, by the name slimstage-index that its builds map to the
 * index's address (`--add-host`; the bridge gateway, docs/build.md). With
 * the index down pip fails at once (no retries).
 */
export const PIP_CONF = `# slimstage local stand-in: pip installs from the offline package index that
# slimstage serves while it builds, as http://slimstage-index:3141/ (builds
# get --add-host slimstage-index:ADDRESS). By hand: \`slimstage build\`.
# The loopback address is for builds on the host network that cannot be given
# the name (Podman's classic builds); pip skips whichever of the two is not there.
[global]
no-index = true
find-links =
    ${PACKAGE_INDEX_URL}
    ${LOOPBACK_INDEX_URL}
# plain http on a name that is not localhost: pip ignores it unless trusted
trusted-host = ${PACKAGE_INDEX_HOSTNAME}
timeout = 5
retries = 0
disable-pip-version-check = true
`;

// Built the way the official python image builds it (upstream tarball,
// --enable-shared into /usr/local, no tests, stripped) but without PGO/LTO,
// which would triple the build time on two cores. Runtime libraries are the
// packages owning what the built binaries link to (ldd + dpkg-query), so the
// final stage holds no compiler.
const DOCKERFILE = `FROM slimstage/debian:bookworm-slim AS build
RUN set -eux; \\
    sed -n '1,/^$/p' /etc/apt/sources.list.d/debian.sources | sed 's/^Types: deb$/Types: deb-src/' \\
      > /etc/apt/sources.list.d/debian-src.sources; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends \\
      gcc make libc6-dev dpkg-dev xz-utils binutils \\
      libssl-dev libffi-dev libsqlite3-dev zlib1g-dev libbz2-dev liblzma-dev \\
      libreadline-dev libncursesw5-dev libgdbm-dev libgdbm-compat-dev uuid-dev libexpat1-dev
RUN set -eux; \\
    mkdir -p /usr/src/debian /usr/src/python; cd /usr/src/debian; \\
    # Only the upstream tarball is needed; a point release whose .dsc is
    # missing on the mirror must not stop the build.
    apt-get source --download-only python3.11 || ls python3.11_${PYTHON_VERSION}.orig.tar.*; \\
    tar -xf python3.11_${PYTHON_VERSION}.orig.tar.* -C /usr/src/python --strip-components=1; \\
    rm -rf /usr/src/debian
WORKDIR /usr/src/python
# The test suites are deleted before \`make install\` (its install loop skips
# missing directories), so they are neither copied nor byte-compiled.
RUN set -eux; \\
    ./configure --build="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" \\
      --prefix=/usr/local --enable-shared --enable-loadable-sqlite-extensions \\
      --enable-option-checking=fatal --with-system-expat --without-ensurepip \\
      LDFLAGS="-Wl,-rpath=/usr/local/lib"; \\
    make -j2; \\
    find Lib -depth -type d \\( -name test -o -name tests -o -name idle_test \\) -exec rm -rf '{}' +; \\
    make install
RUN set -eux; \\
    find /usr/local -depth \\( \\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \\
      -o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \\) \\) \\) -exec rm -rf '{}' +; \\
    find /usr/local -type f \\( -name '*.so' -o -name '*.so.*' -o -path '/usr/local/bin/python3.11' \\) \\
      -exec strip --strip-unneeded '{}' +; \\
    for n in idle3 pydoc3 python3 python3-config; do ln -svT "$n" "/usr/local/bin/$(echo "$n" | tr -d 3)"; done
COPY wheels/ /tmp/wheels/
RUN set -eux; \\
    ldconfig; \\
    pipwhl="$(ls /tmp/wheels/pip-*.whl)"; \\
    python3 "$pipwhl/pip" install --no-index --find-links /tmp/wheels --no-cache-dir --no-compile pip setuptools wheel; \\
    find /usr/local -depth -type d -name __pycache__ -exec rm -rf '{}' +; \\
    find /usr/local -type f -executable -exec ldd '{}' ';' 2>/dev/null \\
      | awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) next; gsub("^/(usr/)?", "", so); print "*" so }' \\
      | sort -u | xargs -r dpkg-query --search | cut -d: -f1 | sort -u > /usr/src/runtime-packages; \\
    cat /usr/src/runtime-packages

FROM slimstage/debian:bookworm-slim
ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8 PYTHON_VERSION=${PYTHON_VERSION}
COPY --from=build /usr/src/runtime-packages /tmp/runtime-packages
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends ca-certificates netbase tzdata $(cat /tmp/runtime-packages); \\
    rm -rf /var/lib/apt/lists/* /tmp/runtime-packages
COPY --from=build /usr/local/ /usr/local/
COPY pip.conf /etc/pip.conf
RUN set -eux; ldconfig; python --version; pip --version; python -c 'import ssl, sqlite3, ctypes, zlib, bz2, lzma, readline, uuid'
CMD ["python3"]
`;

export const pythonRecipe: DockerfileRecipe = {
  kind: "dockerfile",
  name: "python",
  ref: "slimstage/python:3.11-slim",
  aliases: ["python:3.11-slim", "python:3.11-slim-bookworm"],
  parent: "debian",
  summary: `CPython ${PYTHON_VERSION} from bookworm's python3.11 source, in /usr/local, with pip`,
  official: { ref: "python:3.11-slim", bytes: 125_000_000 },
  async prepare(contextDir, host) {
    const wheelhouse = await ensureWheelhouse(host);
    // wheel 0.4x needs packaging; pip and setuptools carry their own dependencies.
    const wheels = await wheelsFor(wheelhouse, ["pip", "setuptools", "wheel", "packaging"]);
    await mkdir(join(contextDir, "wheels"), { recursive: true });
    for (const w of wheels) await copyFile(join(wheelhouse, w), join(contextDir, "wheels", w));
    await writeFile(join(contextDir, "pip.conf"), PIP_CONF);
    return { dockerfile: DOCKERFILE, inputs: [PIP_CONF, ...wheels] };
  },
  smoke: ["python", "-c", "import ssl, sqlite3; print(ssl.OPENSSL_VERSION)"],
};
