import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { describeProbe, parseProbeArgs, parseProbeSpec } from "./probe-spec.js";

describe("parseProbeSpec", () => {
  it("reads http, tcp and cmd probes", () => {
    expect(parseProbeSpec("http://:5000/")).toEqual({ kind: "http", port: 5000, path: "/" });
    expect(parseProbeSpec("http://localhost:8080/api/hits?x=1")).toEqual({
      kind: "http",
      port: 8080,
      path: "/api/hits?x=1",
    });
    expect(parseProbeSpec("http://:3000")).toEqual({ kind: "http", port: 3000, path: "/" });
    expect(parseProbeSpec("tcp:6379")).toEqual({ kind: "tcp", port: 6379 });
    expect(parseProbeSpec("tcp://:6379")).toEqual({ kind: "tcp", port: 6379 });
    expect(parseProbeSpec('cmd:python -c "import flask"')).toEqual({
      kind: "cmd",
      command: 'python -c "import flask"',
    });
  });

  it("rejects what it cannot probe, naming the problem", () => {
    expect(() => parseProbeSpec("http://:99999/")).toThrow(/not a port/);
    expect(() => parseProbeSpec("tcp:redis")).toThrow(/not a port/);
    expect(() => parseProbeSpec("cmd:   ")).toThrow(/empty command/);
    expect(() => parseProbeSpec("https://:443/")).toThrow(/https/);
    expect(() => parseProbeSpec("http://example.com/")).toThrow(/container port/);
    expect(() => parseProbeSpec("ftp:21")).toThrow(InputError);
  });
});

describe("parseProbeArgs", () => {
  it("gives each expectation to the probe before it", () => {
    const probes = parseProbeArgs([
      "--probe",
      "http://:5000/",
      "--expect-status",
      "200",
      "--expect-body",
      "seen {n} times",
      "--repeat",
      "3",
      "--probe",
      "http://:5000/api",
      "--expect-json",
      "hits=1",
      "--expect-json=data.0.ok=true",
      "--method",
      "post",
      "--probe",
      "tcp:6379",
      "--probe",
      "cmd:true",
      "--expect-exit",
      "0",
      "--expect-output",
      "ok",
    ]);
    expect(probes).toEqual([
      { kind: "http", port: 5000, path: "/", expectStatus: 200, expectBody: "seen {n} times", repeat: 3 },
      {
        kind: "http",
        port: 5000,
        path: "/api",
        expectJson: [
          { path: "hits", value: "1" },
          { path: "data.0.ok", value: "true" },
        ],
        method: "POST",
      },
      { kind: "tcp", port: 6379 },
      { kind: "cmd", command: "true", expectExitCode: 0, expectOutput: "ok" },
    ]);
  });

  it("applies expectations given before the first probe to it", () => {
    expect(parseProbeArgs(["--expect-status", "204", "--probe", "http://:80/"])).toEqual([
      { kind: "http", port: 80, path: "/", expectStatus: 204 },
    ]);
    expect(() => parseProbeArgs(["--expect-status", "204"])).toThrow(/without a --probe/);
  });

  it("reads an expected sequence", () => {
    const [p] = parseProbeArgs(["--probe", "http://:5000/", "--expect-sequence", "1, 2,3"]);
    expect(p).toEqual({ kind: "http", port: 5000, path: "/", expectSequence: ["1", "2", "3"] });
    expect(describeProbe(p as never)).toBe("http :5000/ x3");
  });

  it("rejects expectations that do not fit the probe", () => {
    expect(() => parseProbeArgs(["--probe", "tcp:1", "--expect-status", "200"])).toThrow(
      /applies to http probes/,
    );
    expect(() => parseProbeArgs(["--probe", "http://:1/", "--expect-output", "x"])).toThrow(
      /applies to cmd probes/,
    );
    expect(() => parseProbeArgs(["--probe", "http://:1/", "--expect-status", "abc"])).toThrow(
      /not an HTTP status/,
    );
    expect(() => parseProbeArgs(["--probe", "http://:1/", "--repeat", "0"])).toThrow(/1\.\.1000/);
    expect(() => parseProbeArgs(["--probe", "http://:1/", "--expect-json", "novalue"])).toThrow(/PATH=VALUE/);
    expect(() => parseProbeArgs(["--probe"])).toThrow(/needs a value/);
  });
});
