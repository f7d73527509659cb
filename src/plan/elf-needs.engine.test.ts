/**
 * The distroless closure on the real engine (BuildKit, the local Python base): a scanned library
 * that needs libraries the builder does not have (a wheel's optional plugin: libkrb5 without
 * libkeyutils, as mysql-connector-python ships it) is named and left out, as in the slim tier,
 * instead of failing the tier; what is there is still copied.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildImage } from "../engine/build/build.js";
import { removeByLabel } from "../engine/cleanup.js";
import { connectEngine } from "../engine/connect.js";
import { closureCommands } from "./elf-needs.js";

const LABELS = { "org.slimstage.test": `elf-needs-${Math.random().toString(36).slice(2, 8)}` };
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  await removeByLabel(await connectEngine(), LABELS);
});

describe("closureCommands on the real engine", () => {
  it("names a library's missing needs and goes on: the closure of the rest is copied", async () => {
    dir = await mkdtemp(join(tmpdir(), "slimstage-elf-needs-"));
    const cmds = closureCommands({
      rootfs: "/rootfs",
      copy: ["/usr/local/bin/python3.11"],
      symlinks: [],
      scan: ["/usr/local/bin/python3.11", "/scan"],
      skipPrefixes: [],
      user: { name: "app", uid: 10001 },
    });
    await writeFile(
      join(dir, "Dockerfile"),
      [
        "FROM python:3.11-slim",
        // Debian's Kerberos library, unpacked, not installed: its own needs are absent from the image.
        "RUN apt-get update && cd /tmp && apt-get download libkrb5-3 && mkdir /scan && dpkg -x libkrb5-3_*.deb /scan",
        "WORKDIR /",
        // The closure's own diagnostics (stderr) are kept in a file to check.
        `RUN { ${cmds.join("; ")}; } 2> /missing.txt`,
        "RUN cat /missing.txt && grep -q 'needs libkeyutils.so.1' /missing.txt && test -x /rootfs/usr/local/bin/python3.11 && ls /rootfs/usr/lib/x86_64-linux-gnu/libc.so.6",
        "",
      ].join("\n"),
    );
    const r = await buildImage({
      context: dir,
      tags: [`slimstage-test/elf-needs:${LABELS["org.slimstage.test"]}`],
      labels: LABELS,
    });
    expect(r.imageId).toMatch(/^sha256:/);
  }, 600_000);
});
