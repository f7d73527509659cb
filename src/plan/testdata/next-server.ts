/**
 * A small real Next.js app without `output: "standalone"` (#15 item 2),
 * written for these tests: a plain `next build` served by `next start -p
 * 3000`. An app router page with a client component (so the page loads
 * /_next/static chunks), an API route returning JSON, and a file in public/.
 * next, react and react-dom are pinned and locked (the lockfile beside this
 * file was written by `npm install --package-lock-only` from this
 * package.json), so that two builds serve the same bytes.
 */
import { readFileSync } from "node:fs";
import type { Fixture } from "./fixtures.js";

const LOCK = readFileSync(new URL("./next-server.package-lock.json", import.meta.url), "utf8");

export const nextServer: Fixture = {
  "package.json": `{
  "name": "next-server-fixture",
  "version": "0.1.0",
  "private": true,
  "scripts": { "dev": "next dev", "build": "next build", "start": "next start -p 3000" },
  "dependencies": { "next": "16.5.0", "react": "19.3.1", "react-dom": "19.3.1" }
}
`,
  "package-lock.json": LOCK,
  "next.config.mjs": `/** @type {import('next').NextConfig} */
const config = {
  // One id for every build of the same sources.
  generateBuildId: async () => "lamp",
};
export default config;
`,
  "app/layout.js": `export const metadata = { title: "Lamp shop" };

export default function Layout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.js": `import Switch from "./switch";

export default function Home() {
  return (
    <main>
      <h1>Lamp shop</h1>
      <img src="/lamp.svg" alt="a lamp" width="48" height="48" />
      <Switch />
    </main>
  );
}
`,
  "app/switch.js": `"use client";
import { useState } from "react";

export default function Switch() {
  const [on, setOn] = useState(false);
  return <button onClick={() => setOn(!on)}>{on ? "light on" : "light off"}</button>;
}
`,
  "app/api/stock/route.js": `export const dynamic = "force-dynamic";

export async function GET(request) {
  const item = new URL(request.url).searchParams.get("item") ?? "lamp";
  return Response.json({ item, inStock: 3, server: "next start" });
}
`,
  "public/lamp.svg":
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><circle cx="24" cy="18" r="12" fill="#fc3"/></svg>\n',
};

/** The same app with the usual one-stage Dockerfile (npm ci, next build, `npm start`): the original image. */
export const nextServerWithDockerfile: Fixture = {
  ...nextServer,
  ".dockerignore": "node_modules\n.next\n",
  Dockerfile: `FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["npm", "start"]
`,
};
