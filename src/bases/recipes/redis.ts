import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DockerfileRecipe } from "../recipe.js";

/**
 * Like the official image's entrypoint: arguments that look like options or a
 * .conf file go to redis-server, which runs as the redis user. Without a
 * config file it listens on every address with protected mode off (the
 * official image patches that default in; Debian's build keeps it on).
 */
export const REDIS_ENTRYPOINT = `#!/bin/sh
set -e
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*|*.conf*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
  if [ "$(id -u)" = 0 ]; then
    find . \\! -user redis -exec chown redis:redis '{}' + 2>/dev/null || true
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
`;

const DOCKERFILE = `FROM slimstage/debian:bookworm-slim
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends redis-server; \\
    rm -rf /var/lib/apt/lists/*; \\
    mkdir -p /data; chown redis:redis /data; \\
    redis-server --version
COPY docker-entrypoint.sh /usr/local/bin/
VOLUME /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
`;

export const redisRecipe: DockerfileRecipe = {
  kind: "dockerfile",
  name: "redis",
  ref: "slimstage/redis:7",
  aliases: ["redis:7", "redis:7-bookworm"],
  parent: "debian",
  summary: "Debian bookworm's redis-server 7, listening on all addresses like the official image",
  official: { ref: "redis:7" },
  async prepare(contextDir) {
    const file = join(contextDir, "docker-entrypoint.sh");
    await writeFile(file, REDIS_ENTRYPOINT);
    await chmod(file, 0o755);
    return { dockerfile: DOCKERFILE, inputs: [REDIS_ENTRYPOINT] };
  },
  smoke: ["redis-server", "--version"],
};
