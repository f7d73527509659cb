import { describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { parseImageConfig } from "./image-config.js";

const doc = (config: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config,
      rootfs: { type: "layers", diff_ids: ["sha256:0"] },
    }),
  );

describe("parseImageConfig", () => {
  it("reads the run configuration, HEALTHCHECK, STOPSIGNAL and VOLUME included", () => {
    const { config } = parseImageConfig(
      doc({
        Env: ["A=1"],
        Cmd: ["python", "app.py"],
        User: "app",
        WorkingDir: "/app",
        ExposedPorts: { "5000/tcp": {} },
        Healthcheck: { Test: ["CMD", "true"], Interval: 10e9, Timeout: 5e9, StartPeriod: 0, Retries: 3 },
        StopSignal: "SIGQUIT",
        Volumes: { "/data": {}, "/cache": {} },
      }),
      "config",
    );
    expect(config).toMatchObject({
      env: ["A=1"],
      cmd: ["python", "app.py"],
      entrypoint: null,
      user: "app",
      workdir: "/app",
      exposedPorts: ["5000/tcp"],
      healthcheck: { test: ["CMD", "true"], intervalNs: 10e9, timeoutNs: 5e9, retries: 3 },
      stopSignal: "SIGQUIT",
      volumes: ["/cache", "/data"],
    });
    expect(config.healthcheck).not.toHaveProperty("startPeriodNs");
  });

  it("leaves out what the image does not set", () => {
    const { config } = parseImageConfig(doc({ Healthcheck: { Test: [] }, Volumes: null }), "config");
    expect(config.healthcheck).toBeUndefined();
    expect(config.stopSignal).toBeUndefined();
    expect(config.volumes).toBeUndefined();
  });

  it("rejects what is not an image config", () => {
    expect(() => parseImageConfig(Buffer.from("[1]"), "c.json")).toThrow(InputError);
    expect(() => parseImageConfig(Buffer.from("{"), "c.json")).toThrow(/c\.json is not valid JSON/);
  });
});
