/**
 * A small real Next.js app (#15 item 2), written for these tests: one page
 * with a client component (so the page loads /_next/static chunks), one API
 * route, one file in public/, and next.config.mjs with output: "standalone".
 * next, react and react-dom are pinned and locked (the lockfile beside this
 * file was written by `npm install --package-lock-only` from this package.json),
 * so that two builds of it serve the same bytes. `withDockerfile` adds the
 * project's own Dockerfile in the usual standalone shape: a user of its own,
 * `mkdir .next && chown` for it, `COPY --chown`, `USER`.
 */
import { readFileSync } from "node:fs";
import type { Fixture } from "./fixtures.js";

const LOCK = readFileSync(new URL("./next-standalone.package-lock.json", import.meta.url), "utf8");

export const nextStandalone: Fixture = {
  "package.json": `{
  "name": "next-standalone-fixture",
  "version": "0.1.0",
  "private": true,
  "scripts": { "dev": "next dev", "build": "next build", "start": "next start" },
  "dependencies": { "next": "16.5.0", "react": "19.3.1", "react-dom": "19.3.1" }
}
`,
  "package-lock.json": LOCK,
  "next.config.mjs": `/** @type {import('next').NextConfig} */
const config = {
  output: "standalone",
  // One id for every build of the same sources, so that two images of one commit serve the same pages.
  generateBuildId: async () => "shelf",
};
export default config;
`,
  "app/layout.js": `export const metadata = { title: "Shelf" };

export default function Layout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.js": `import Counter from "./counter";

export default function Home() {
  return (
    <main>
      <h1>Book shelf</h1>
      <img src="/shelf.svg" alt="a shelf" width="64" height="64" />
      <Counter />
    </main>
  );
}
`,
  "app/counter.js": `"use client";
import { useState } from "react";

export default function Counter() {
  const [n, setN] = useState(0);
  return <button onClick={() => setN(n + 1)}>read {n}</button>;
}
`,
  "app/api/greeting/route.js": `export const dynamic = "force-dynamic";

export async function GET(request) {
  const name = new URL(request.url).searchParams.get("name") ?? "reader";
  return Response.json({ greeting: \`hello \${name}\`, runtime: process.release.name });
}
`,
  "public/shelf.svg":
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect x="4" y="40" width="56" height="6" fill="#654"/></svg>\n',
};

/** The same app with its own Dockerfile: a user, a chown of .next for it, npm ci and next build in stages. */
export const nextStandaloneWithDockerfile: Fixture = {
  ...nextStandalone,
  ".dockerignore": "node_modules\n.next\n",
  Dockerfile: `FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:22-slim AS builder
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM node:22-slim AS runner
WORKDIR /app
ENV NODE_ENV=production
RUN groupadd --system --gid 1001 web && useradd --system --uid 1001 --gid web shelf
COPY --from=builder /app/public ./public
# the prerender cache is written at run time
RUN mkdir .next && chown shelf:web .next
COPY --from=builder --chown=shelf:web /app/.next/standalone ./
COPY --from=builder --chown=shelf:web /app/.next/static ./.next/static
USER shelf
EXPOSE 3000
ENV PORT=3000 HOSTNAME=0.0.0.0
CMD ["node", "server.js"]
`,
};
