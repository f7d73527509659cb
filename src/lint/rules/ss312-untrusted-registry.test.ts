import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss312-untrusted-registry.js";

describe("SS312 untrusted-registry", () => {
  it("passes FROM random.example/debian:12", () => {
    catchesNot(rule, "FROM random.example/debian:12");
  });
  it("reports images from registries outside trustedRegistries", () => {
    const config = { trustedRegistries: ["docker.io", "*.corp.example"] };
    catches(rule, "FROM random.example/debian:12", 1, { config });
    catches(rule, "FROM debian:12\nCOPY --from=ghcr.io/x/y:1 /a /a", 1, { config });
    catchesNot(rule, "FROM debian:12\nFROM registry.corp.example/base:1", { config });
    catchesNot(rule, "FROM docker.io/library/debian:12 AS b\nFROM b", { config });
  });
});
