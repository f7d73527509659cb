/**
 * A small real NestJS 11 app (#15 item 2), written for these tests: `nest
 * build` compiles src/ to dist/, and the project's own Dockerfile starts it
 * the way many do, through `sh -c "npm run start:prod"` (script: `node
 * dist/main`). One GET health route and one POST route that answers from its
 * JSON body alone, so that every image gives the same request the same
 * answer. Dependencies are pinned and locked (the lockfile beside this file
 * was written by `npm install --package-lock-only` from this package.json).
 */
import { readFileSync } from "node:fs";
import type { Fixture } from "./fixtures.js";

const LOCK = readFileSync(new URL("./nest-app.package-lock.json", import.meta.url), "utf8");

export const nestApp: Fixture = {
  "package.json": `{
  "name": "nest-library",
  "version": "0.1.0",
  "private": true,
  "scripts": {
    "build": "nest build",
    "start": "nest start",
    "start:prod": "node dist/main"
  },
  "dependencies": {
    "@nestjs/common": "11.2.12",
    "@nestjs/core": "11.2.12",
    "@nestjs/platform-express": "11.2.12",
    "reflect-metadata": "0.2.2",
    "rxjs": "7.8.2"
  },
  "devDependencies": {
    "@nestjs/cli": "11.0.13",
    "typescript": "5.9.3"
  }
}
`,
  "nest-cli.json": `{
  "sourceRoot": "src",
  "compilerOptions": { "deleteOutDir": true }
}
`,
  "tsconfig.json": `{
  "compilerOptions": {
    "module": "commonjs",
    "target": "ES2022",
    "declaration": false,
    "emitDecoratorMetadata": true,
    "experimentalDecorators": true,
    "outDir": "./dist",
    "rootDir": "./src",
    "strict": true,
    "skipLibCheck": true
  },
  "include": ["src"]
}
`,
  "src/main.ts": `import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { LibraryModule } from "./library.module";

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(LibraryModule, { logger: ["error", "warn"] });
  await app.listen(3000, "0.0.0.0");
}

void bootstrap();
`,
  "src/library.module.ts": `import { Module } from "@nestjs/common";
import { BooksController } from "./books.controller";

@Module({ controllers: [BooksController] })
export class LibraryModule {}
`,
  "src/books.controller.ts": `import { BadRequestException, Body, Controller, Get, HttpCode, Post } from "@nestjs/common";

interface NewBook {
  title?: unknown;
  pages?: unknown;
}

@Controller()
export class BooksController {
  @Get("health")
  health(): { status: string } {
    return { status: "ok" };
  }

  // Answers from the JSON body alone: the same request gets the same answer from every image.
  @Post("books")
  @HttpCode(201)
  add(@Body() book: NewBook): { title: string; pages: number; slug: string; long: boolean } {
    if (typeof book.title !== "string" || typeof book.pages !== "number")
      throw new BadRequestException("title (string) and pages (number) are required");
    const slug = book.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return { title: book.title, pages: book.pages, slug, long: book.pages > 300 };
  }
}
`,
  "package-lock.json": LOCK,
  ".dockerignore": "node_modules\ndist\n",
  // The project's own health check (awesome-compose's react-express-mysql shape): exactly 200, not "under 500".
  "healthcheck.js": `const req = require("http").get({ host: "127.0.0.1", port: 3000, path: "/health", timeout: 2000 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on("error", () => process.exit(1));
`,
  Dockerfile: `FROM node:22-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci
HEALTHCHECK --interval=2s --retries=5 \\
  CMD node healthcheck.js
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["sh", "-c", "npm run start:prod"]
`,
};
