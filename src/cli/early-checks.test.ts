/**
 * Exit codes and early checks (issue #16, finding 8). Each command runs
 * against an engine address that does not exist: exiting 2 (not 3) shows
 * the check happened before anything tried to reach the engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/cli.js";
import { InterruptedError, ParseError } from "../errors.js";
import { interruptedBy } from "./main.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "slimstage-early-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM debian:bookworm-slim\nRUN true\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noEngine = { DOCKER_HOST: "unix:///nonexistent/slimstage-test.sock", NO_COLOR: "1" };
const cli = (args: string[]) => runCli([...args, "--json"], { env: noEngine, cwd: dir });

function errorOf(stdout: string): { kind: string; message: string } {
  return (JSON.parse(stdout) as { error: { kind: string; message: string } }).error;
}

describe.concurrent("bad input exits 2 before any work", () => {
  it.each([
    [["build", ".", "-t", "BAD TAG!!"], /-t "BAD TAG!!" is not a valid image reference/],
    [["inspect", "UPPER CASE::@@"], /"UPPER CASE::@@" is not a valid image reference/],
    [["minify", "debian:bookworm-slim", "--picker", ""], /--picker "" is not a valid image reference/],
    [
      ["minify", "debian:bookworm-slim", "--push", "slimstage-test/no-registry:1"],
      /--push .*give a registry and a tag/,
    ],
    [
      ["minify", "debian:bookworm-slim", "--push", "BAD TAG!!"],
      /--push "BAD TAG!!" is not a valid image reference/,
    ],
    [["optimize", ".", "--push", "slimstage-test/no-registry:1"], /--push .*give a registry and a tag/],
    [["optimize", ".", "--plan-only", "--push", "localhost:5000/app:1"], /--push needs a built image/],
    [
      ["report", "--out", "/nonexistent/dir/x.html", "debian:bookworm-slim"],
      /cannot write \/nonexistent\/dir\/x.html: the folder \/nonexistent\/dir does not exist/,
    ],
    [["lint", "Dockerfile", "--today", ""], /--today : expected YYYY-MM-DD/],
    [["lint", "Dockerfile", "--context", "/nonexistent"], /--context \/nonexistent: not a directory/],
  ])(
    "%j",
    async (args, message) => {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(2);
      const e = errorOf(r.stdout);
      expect(e.kind).toBe("input");
      expect(e.message).toMatch(message);
    },
    60_000,
  );
});

describe("interruptions name the signal that arrived", () => {
  it("an InterruptedError thrown with the default SIGINT after a SIGTERM reports SIGTERM", () => {
    const ac = new AbortController();
    ac.abort("SIGTERM");
    expect(interruptedBy(new InterruptedError(), ac.signal).message).toBe("interrupted by SIGTERM");
  });
  it("leaves other errors and un-aborted runs alone", () => {
    const ac = new AbortController();
    const e = new InterruptedError();
    expect(interruptedBy(e, ac.signal)).toBe(e);
    ac.abort("SIGINT");
    const p = new ParseError("x");
    expect(interruptedBy(p, ac.signal)).toBe(p);
  });
});
