import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss434-copy-ignored-file.js";

const env = { dockerignore: ".env*\nnode_modules\n" };
describe("SS434 copy-ignored-file", () => {
  it("catches a copied file the .dockerignore excludes", () =>
    catches(rule, "FROM alpine:3.22\nCOPY .env.production /app/", 1, { env }));
  it("passes other files and whole-context copies", () =>
    catchesNot(rule, "FROM alpine:3.22\nCOPY config.yaml /app/\nCOPY . /app", { env }));
  it("passes copies from stages", () =>
    catchesNot(rule, "FROM alpine:3.22 AS b\nFROM alpine:3.22\nCOPY --from=b /node_modules /n", { env }));
});
