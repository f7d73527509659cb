import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { containerPortOf, dependencyOrder, parseCompose, parseDuration } from "./compose.js";

const lab = `version: "3.8"
services:
  web:
    build:
      context: ./app
      dockerfile: Dockerfile.prod
    ports:
      - "8000:5000"
    environment:
      - REDIS_HOST=redis
      - FLASK_ENV
    depends_on:
      redis:
        condition: service_healthy
    volumes:
      - ./app:/app
  redis:
    image: redis:7
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 1s
      timeout: 3s
      retries: 5
      start_period: 500ms
`;

describe("parseCompose", () => {
  it("reads the supported subset", () => {
    const c = parseCompose(lab, "/labs/x/docker-compose.yml", { FLASK_ENV: "production" });
    const web = c.services.web;
    expect(web?.build).toEqual({ context: "/labs/x/app", dockerfile: "Dockerfile.prod", args: {} });
    expect(web?.ports).toEqual([5000]);
    expect(web?.environment).toEqual({ REDIS_HOST: "redis", FLASK_ENV: "production" });
    expect(web?.dependsOn).toEqual([{ service: "redis", condition: "service_healthy" }]);
    expect(c.services.redis?.healthcheck).toEqual({
      test: ["CMD", "redis-cli", "ping"],
      intervalMs: 1000,
      timeoutMs: 3000,
      retries: 5,
      startPeriodMs: 500,
    });
    expect(c.warnings).toEqual(["services.web.volumes is ignored (line 15)"]);
    expect(dependencyOrder(c, "web").map((s) => s.name)).toEqual(["redis"]);
  });

  it("names an unsupported key and its line", () => {
    const text = "services:\n  web:\n    image: x\n    privileged: true\n";
    try {
      parseCompose(text, "c.yml");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(err.message).toMatch(/"services\.web\.privileged" is not supported/);
      expect(err.key).toBe("services.web.privileged");
      expect(err.location).toMatchObject({ file: "c.yml", line: 4, column: 5 });
      expect(err.hint).toMatch(/supported: image, build/);
    }
  });

  it("rejects bad values, missing images, unknown dependencies and cycles", () => {
    expect(() => parseCompose("services:\n  a:\n    image: 3\n", "c.yml")).toThrow(
      /services\.a\.image must be string/,
    );
    expect(() => parseCompose("services:\n  a:\n    environment: {}\n", "c.yml")).toThrow(
      /neither image nor build/,
    );
    expect(() => parseCompose("services:\n  a:\n    image: x\n    depends_on: [b]\n", "c.yml")).toThrow(
      /depends on "b", which is not defined/,
    );
    const cyc = parseCompose(
      "services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: y\n    depends_on: [a]\n",
      "c.yml",
    );
    expect(() => dependencyOrder(cyc, "a")).toThrow(/cycle: a -> b -> a/);
    expect(() => dependencyOrder(cyc, "zzz")).toThrow(/not in c\.yml/);
    expect(() => parseCompose("services: [\n", "c.yml")).toThrow(/not valid YAML/);
    expect(() =>
      parseCompose(
        "services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_ready}\n  b: {image: y}\n",
        "c.yml",
      ),
    ).toThrow(/condition/);
    expect(() => parseCompose("servics:\n  a: {image: x}\n", "c.yml")).toThrow(/"servics" is not supported/);
  });

  it("orders transitive dependencies first", () => {
    const c = parseCompose(
      "services:\n  web: {image: w, depends_on: [api]}\n  api: {image: a, depends_on: [db, cache]}\n  db: {image: d}\n  cache: {image: c, depends_on: [db]}\n  other: {image: o}\n",
      "c.yml",
    );
    expect(dependencyOrder(c, "web").map((s) => s.name)).toEqual(["db", "cache", "api"]);
  });
});

describe("helpers", () => {
  it("parses durations and ports", () => {
    expect(parseDuration("1m30s", "x")).toBe(90_000);
    expect(parseDuration("250ms", "x")).toBe(250);
    expect(() => parseDuration("ten seconds", "x")).toThrow(/not a duration/);
    expect(containerPortOf("127.0.0.1:8080:5000/tcp")).toBe(5000);
    expect(containerPortOf(6379)).toBe(6379);
    expect(containerPortOf("3000-3001")).toBe(3000);
  });
});

describe("extension fields and anchors", () => {
  it("accepts x- fields and resolves anchors", () => {
    const c = parseCompose(
      "x-env: &env\n  A: '1'\nservices:\n  a:\n    image: x\n    environment: *env\n    x-note: hi\n",
      "c.yml",
    );
    expect(c.services.a?.environment).toEqual({ A: "1" });
  });
});

describe("compose values checked before the engine (issue #16, finding 8)", () => {
  it("an image that is not an image reference is a ConfigError at its line", () => {
    const text = "services:\n  cache:\n    image: redis:7; touch x\n";
    expect(() => parseCompose(text, "c.yml", {})).toThrow(
      /services\.cache\.image "redis:7; touch x" is not a valid image reference/,
    );
    try {
      parseCompose(text, "c.yml", {});
    } catch (e) {
      expect((e as ConfigError).location?.line).toBe(3);
    }
  });
  it("a build context outside the project is warned about", () => {
    const c = parseCompose("services:\n  web:\n    build: ../../../../\n", "/tmp/p/q/c.yml", {});
    expect(c.warnings.join("\n")).toMatch(/services\.web\.build\.context is outside the project/);
    const inside = parseCompose("services:\n  web:\n    build: ./app\n", "/tmp/p/q/c.yml", {});
    expect(inside.warnings).toEqual([]);
  });
});
