# A TypeScript service built in many stages: dependencies, a build, tests,
# a pruned production tree and a small runtime, with cache mounts and a
# heredoc that writes the health check script.
ARG NODE_VERSION=22
ARG APP_HOME=/srv/app

FROM node:${NODE_VERSION}-slim AS base
ARG APP_HOME
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR ${APP_HOME}
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates tini; \
    rm -rf /var/lib/apt/lists/*; \
    groupadd --system --gid 1001 app; \
    useradd --system --uid 1001 --gid app --no-log-init --home-dir "${APP_HOME}" app

FROM base AS deps
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends python3 make g++ git; \
    rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc* ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    set -eux; \
    if [ -f package-lock.json ]; then \
        npm ci --include=dev --no-audit --no-fund; \
    else \
        echo "package-lock.json is required" >&2; \
        exit 1; \
    fi; \
    npm ls --depth=0 || true

FROM deps AS build
COPY tsconfig*.json ./
COPY src ./src
COPY scripts ./scripts
RUN set -eux; \
    npx tsc -p tsconfig.build.json; \
    node scripts/embed-version.mjs "$(node -p 'require("./package.json").version')"; \
    find dist -name '*.map' -delete; \
    for f in dist/*.js; do \
        test -s "$f" || { echo "empty output: $f" >&2; exit 1; }; \
    done; \
    du -sh dist

FROM build AS test
COPY test ./test
RUN --mount=type=cache,target=/root/.npm \
    set -eux; \
    npm run lint --if-present; \
    CI=true npx vitest run --reporter=dot 2>&1 | tee /tmp/test.log; \
    grep -q "passed" /tmp/test.log; \
    rm -f /tmp/test.log

FROM deps AS prod-deps
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    set -eux; \
    npm prune --omit=dev; \
    npm cache verify >/dev/null; \
    find node_modules -type f \( -name '*.md' -o -name '*.ts' -o -name '*.map' -o -name 'LICENSE*' \) \
        -not -path '*/typescript/*' -delete; \
    find node_modules -type d \( -name test -o -name tests -o -name __tests__ -o -name docs -o -name example \) \
        -prune -exec rm -rf '{}' +; \
    du -sh node_modules

FROM base AS runtime
ARG APP_HOME
COPY --from=prod-deps --chown=app:app ${APP_HOME}/node_modules ./node_modules
COPY --from=build --chown=app:app ${APP_HOME}/dist ./dist
COPY --chown=app:app package.json ./
COPY <<'HEALTH' /usr/local/bin/healthcheck.mjs
const port = Number(process.env.PORT ?? 3000);
const controller = new AbortController();
const timer = setTimeout(() => controller.abort(), 2000);
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: controller.signal });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
} finally {
  clearTimeout(timer);
}
HEALTH
RUN <<'SETUP'
set -eux
chmod 0555 /usr/local/bin/healthcheck.mjs
mkdir -p /var/run/app /var/log/app
chown app:app /var/run/app /var/log/app
for dir in /tmp /var/tmp; do
  chmod 1777 "$dir"
done
node --version
npm --version
SETUP
USER app
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["node", "/usr/local/bin/healthcheck.mjs"]
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/server.js"]
