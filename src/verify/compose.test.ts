// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are compose interpolation syntax, not templates
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { containerPortsOf, dependencyOrder, loadCompose, parseCompose, parseDuration } from "./compose.js";

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
    const c = parseCompose(lab, "/labs/x/docker-compose.yml", { env: { FLASK_ENV: "production" } });
    const web = c.services.web;
    expect(web?.build).toEqual({ context: "/labs/x/app", dockerfile: "Dockerfile.prod", args: {} });
    expect(web?.ports).toEqual([5000]);
    expect(web?.environment).toEqual({ REDIS_HOST: "redis", FLASK_ENV: "production" });
    expect(web?.dependsOn).toEqual([{ service: "redis", condition: "service_healthy", required: true }]);
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

  it("names every unsupported key in one error, with the first one's line", () => {
    const text =
      "services:\n  web:\n    image: x\n    privileged: true\n    configs: [a]\nconfigs:\n  a:\n    file: ./a\n";
    try {
      parseCompose(text, "c.yml");
      expect.unreachable();
    } catch (e) {
      const err = e as ConfigError;
      expect(err.message).toBe(
        '"configs" is not supported by slimstage\'s verification; nor "services.web.privileged" (line 4), "services.web.configs" (line 5)',
      );
      expect(err.location).toMatchObject({ file: "c.yml", line: 6 });
      // The file is named by the location, not again in the message.
      expect(err.message).not.toContain("c.yml");
    }
  });

  it("resolves file and environment secrets to /run/secrets (or the target), and refuses what it cannot give", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slimstage-compose-secrets-"));
    try {
      await writeFile(join(dir, "db-password.txt"), "s3cret\n");
      const file = join(dir, "compose.yaml");
      const text = `services:
  backend:
    image: app
    secrets:
      - db-password
      - source: token
        target: api-token
      - source: token
        target: /etc/app/token
  db:
    image: mariadb
    secrets: [db-password]
secrets:
  db-password:
    file: db-password.txt
  token:
    environment: API_TOKEN
`;
      const c = parseCompose(text, file, { env: { API_TOKEN: "t0k" } });
      expect(c.services.backend?.secrets).toEqual([
        { name: "db-password", target: "/run/secrets/db-password", file: join(dir, "db-password.txt") },
        { name: "token", target: "/run/secrets/api-token", value: "t0k" },
        { name: "token", target: "/etc/app/token", value: "t0k" },
      ]);
      expect(c.services.db?.secrets.map((x) => x.target)).toEqual(["/run/secrets/db-password"]);
      expect(() => parseCompose(text, file, { env: {} })).toThrow(
        /secret "token": the variable API_TOKEN is not set/,
      );
      const missing = text.replace("file: db-password.txt", "file: ./nope.txt");
      try {
        parseCompose(missing, file, { env: { API_TOKEN: "x" } });
        expect.unreachable();
      } catch (e) {
        expect((e as ConfigError).message).toMatch(
          /secret "db-password": its file \.\/nope\.txt does not exist/,
        );
        expect((e as ConfigError).location).toMatchObject({ file, line: 15 });
      }
      const external = text.replace("file: db-password.txt", "external: true");
      expect(() => parseCompose(external, file, { env: { API_TOKEN: "x" } })).toThrow(
        /external secret lives in a swarm/,
      );
      const undefinedSecret = text.replace("secrets: [db-password]", "secrets: [other]");
      expect(() => parseCompose(undefinedSecret, file, { env: { API_TOKEN: "x" } })).toThrow(
        /service "db" uses secret "other", which the top-level secrets do not define/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("with unsupported: warn (optimize reading builds), an unsupported key is a warning, and stop_signal is ignored", () => {
    const text =
      "services:\n  web:\n    build:\n      context: app\n      target: builder\n    privileged: true\n    stop_signal: SIGINT\n";
    expect(() => parseCompose(text, "c.yml")).toThrow(/"services\.web\.privileged" is not supported/);
    const c = parseCompose(text, "c.yml", { unsupported: "warn" });
    expect(c.services.web?.build?.target).toBe("builder");
    expect(c.warnings.join("\n")).toMatch(/"services\.web\.privileged" is not supported/);
    expect(c.warnings.join("\n")).not.toMatch(/stop_signal" is not supported/);
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
    expect(() => parseCompose("servics:\n  a: {image: x}\n", "c.yml")).toThrow(
      /"servics" is not allowed by the compose specification/,
    );
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
    expect(containerPortsOf("127.0.0.1:8080:5000/tcp")).toEqual([5000]);
    expect(containerPortsOf(6379)).toEqual([6379]);
    expect(containerPortsOf("3000-3001")).toEqual([3000, 3001]);
    expect(containerPortsOf("80-")).toEqual([]);
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

describe("compose as compose reads it", () => {
  const env = { SET: "v", EMPTY: "" };
  const one = (value: string) =>
    parseCompose(`services:\n  a:\n    image: x\n    environment:\n      V: "${value}"\n`, "c.yml", { env })
      .services.a?.environment.V;

  it("interpolates every form of the specification", () => {
    expect(one("${SET}")).toBe("v");
    expect(one("$SET-x")).toBe("v-x");
    expect(one("${UNSET:-d}")).toBe("d");
    expect(one("${EMPTY:-d}")).toBe("d");
    expect(one("${EMPTY-d}")).toBe("");
    expect(one("${UNSET-d}")).toBe("d");
    expect(one("${SET:?no}")).toBe("v");
    expect(one("${SET:+alt}")).toBe("alt");
    expect(one("${UNSET:-${SET}}")).toBe("v");
    expect(one("$$SET")).toBe("$SET");
    expect(one("${UNSET}")).toBe("");
  });

  it("fails a required variable or a bad form with the value's line", () => {
    const bad = (value: string) => () =>
      parseCompose(`services:\n  a:\n    image: x\n    environment:\n      V: "${value}"\n`, "c.yml", {
        env,
      });
    expect(bad("${EMPTY:?must be set}")).toThrow(/required variable EMPTY is missing a value: must be set/);
    expect(bad("${UNSET?}")).toThrow(/required variable UNSET/);
    expect(bad("${EMPTY?x}")).not.toThrow();
    for (const v of ["${", "${}", "$ x", "${A:x}"]) {
      try {
        bad(v)();
        expect.unreachable(v);
      } catch (e) {
        expect((e as ConfigError).message).toMatch(/invalid interpolation format/);
        expect((e as ConfigError).location?.line).toBe(5);
      }
    }
  });

  it("warns once per unset variable", () => {
    const c = parseCompose("services:\n  a:\n    image: x${T}\n    command: echo ${T}\n", "c.yml", {
      env: {},
    });
    expect(c.warnings).toEqual(["variable T is not set: using an empty string (line 3)"]);
    expect(c.services.a?.command).toEqual(["echo"]);
  });

  it("splits a command string into words as compose does (no shell)", () => {
    const c = parseCompose(
      `services:\n  a:\n    image: x\n    command: python -c 'print("a b")' "x y"\n`,
      "c.yml",
    );
    expect(c.services.a?.command).toEqual(["python", "-c", 'print("a b")', "x y"]);
  });

  it("names where volumes mount host paths (bind mounts), not named volumes or tmpfs", () => {
    const c = parseCompose(
      `services:\n  a:\n    image: x\n    volumes:\n      - ./src:/app/src:ro\n      - data:/var/lib/data\n      - /etc/tz:/etc/tz\n      - type: bind\n        source: ./static\n        target: /app/static\n      - type: tmpfs\n        target: /tmp\nvolumes:\n  data: {}\n`,
      "c.yml",
    );
    expect(c.services.a?.bindMounts).toEqual(["/app/src", "/etc/tz", "/app/static"]);
    expect(parseCompose(lab, "c.yml").services.redis?.bindMounts).toEqual([]);
  });

  it("resolves merge keys", () => {
    const c = parseCompose(
      "x-common: &common\n  image: base\n  environment: {A: '1'}\nservices:\n  a:\n    <<: *common\n    command: [run]\n",
      "c.yml",
    );
    expect(c.services.a).toMatchObject({ image: "base", environment: { A: "1" }, command: ["run"] });
  });

  it("reads env_file under environment, and the .env file beside the compose file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slimstage-compose-"));
    try {
      await writeFile(join(dir, ".env"), "TAG=from-dotenv\nPORT=5000\n");
      await writeFile(join(dir, "app.env"), "# comment\nA=file\nB='quoted value'\n");
      await writeFile(
        join(dir, "compose.yml"),
        "services:\n  web:\n    image: app:${TAG}\n    ports: ['${PORT}']\n    env_file: app.env\n    environment: [A=env]\n",
      );
      const c = await loadCompose(join(dir, "compose.yml"), { env: { PORT: "7000" } });
      expect(c.services.web).toMatchObject({ image: "app:from-dotenv", ports: [7000] });
      expect(c.services.web?.environment).toEqual({ A: "env", B: "quoted value" });
      await writeFile(
        join(dir, "compose.yml"),
        "services:\n  web:\n    image: x\n    env_file: [nope.env]\n",
      );
      await expect(loadCompose(join(dir, "compose.yml"))).rejects.toThrow(
        /env_file nope.env .* cannot be read/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("honours profiles: a dependency in an inactive profile is an error, an explicit service is enabled", () => {
    const text =
      "services:\n  web:\n    image: w\n    depends_on: [db]\n  db:\n    image: d\n    profiles: [debug]\n  tool:\n    image: t\n    profiles: [tools]\n";
    const off = parseCompose(text, "c.yml", { env: {} });
    expect(Object.values(off.services).map((s) => [s.name, s.enabled])).toEqual([
      ["web", true],
      ["db", false],
      ["tool", false],
    ]);
    expect(() => dependencyOrder(off, "web")).toThrow(/profiles \(debug\) are not active/);
    expect(dependencyOrder(off, "tool")).toEqual([]);
    const on = parseCompose(text, "c.yml", { env: {}, profiles: ["debug"] });
    expect(dependencyOrder(on, "web").map((s) => s.name)).toEqual(["db"]);
    const viaEnv = parseCompose(text, "c.yml", { env: { COMPOSE_PROFILES: "tools,debug" } });
    expect(viaEnv.profiles).toEqual(["tools", "debug"]);
    expect(viaEnv.services.db?.enabled).toBe(true);
  });

  it("resolves extends within the file and refuses what compose refuses", () => {
    const c = parseCompose(
      "services:\n  base:\n    image: b\n    environment: {A: '1', B: '1'}\n    ports: ['80:5000']\n    healthcheck: {test: [CMD, 'true'], interval: 5s}\n  web:\n    extends: {service: base}\n    environment: {B: '2'}\n    ports: ['81:5001']\n    healthcheck: {interval: 7s}\n",
      "c.yml",
    );
    expect(c.services.web).toMatchObject({
      image: "b",
      environment: { A: "1", B: "2" },
      ports: [5000, 5001],
      healthcheck: { test: ["CMD", "true"], intervalMs: 7000 },
    });
    const refused = (text: string, re: RegExp, line: number) => {
      try {
        parseCompose(text, "c.yml");
        expect.unreachable();
      } catch (e) {
        expect((e as ConfigError).message).toMatch(re);
        expect((e as ConfigError).location?.line).toBe(line);
      }
    };
    refused(
      "services:\n  a:\n    image: x\n    extends: {service: b, file: other.yml}\n  b: {image: y}\n",
      /extends.file is not supported/,
      4,
    );
    refused(
      "services:\n  a:\n    image: x\n    extends: {service: nope}\n",
      /extends "nope", which is not defined/,
      4,
    );
    refused(
      "services:\n  a:\n    image: x\n    depends_on: [c]\n  b:\n    extends: {service: a}\n  c: {image: z}\n",
      /which has depends_on/,
      6,
    );
  });

  it("validates against the compose specification with the line of the error", () => {
    try {
      parseCompose(
        "services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_ready}\n  b: {image: y}\n",
        "c.yml",
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).message).toMatch(
        /services\.a\.depends_on\.b\.condition .*compose specification/,
      );
      expect((e as ConfigError).location?.line).toBe(5);
    }
    try {
      parseCompose("services:\n  a:\n    image: x\n    helthcheck: {test: 'true'}\n", "c.yml");
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).message).toMatch(/"services\.a\.helthcheck" is not allowed/);
      expect((e as ConfigError).location?.line).toBe(4);
    }
  });
});
