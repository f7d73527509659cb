import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import { openImage } from "../open.js";
import { type FixtureImage, writeOciLayout } from "../test-helpers/image-writer.js";

const img: FixtureImage = {
  layers: [
    { compression: "gzip", files: [{ path: "etc/hello", content: "hi" }] },
    { compression: "zstd", files: [{ path: "data", size: 4096 }] },
  ],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slimstage-oci-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as Error;
}

describe("oci-layout source", () => {
  it("picks the image by tag, and needs one when the layout holds several", async () => {
    const d = join(dir, "two");
    await writeOciLayout(d, img, { tag: "main", otherTag: "other" });
    expect((await openImage(`oci-layout://${d}:main`)).layers).toHaveLength(2);
    expect((await openImage(`oci-layout://${d}:other`)).layers).toHaveLength(1);
    const e = await errorOf(openImage(`oci-layout://${d}`));
    expect(e.message).toMatch(/holds 2 images: name one with :TAG/);
    const wrong = await errorOf(openImage(`oci-layout://${d}:nope`));
    expect(wrong.message).toMatch(/no image tagged "nope"/);
  });

  it("opens the only image without a tag", async () => {
    const d = join(dir, "one");
    await writeOciLayout(d, img);
    const image = await openImage(`oci-layout://${d}`);
    expect(image.layers.map((l) => l.compression)).toEqual(["gzip", "zstd"]);
    expect(image.layers.every((l) => l.compressedSizeKind === "real")).toBe(true);
  });

  it("rejects a layer blob whose content does not match its digest", async () => {
    const d = join(dir, "corrupt");
    await writeOciLayout(d, img, { corruptLayer: 1 });
    const e = await errorOf(openImage(`oci-layout://${d}`));
    expect(e.message).toMatch(
      /layer 1 has the wrong content: the manifest says sha256:[0-9a-f]{64}, its sha256 is sha256:[0-9a-f]{64}/,
    );
  });

  it("rejects a missing layer blob and a directory that is not a layout", async () => {
    const d = join(dir, "missing");
    await writeOciLayout(d, img, { omitLayers: [0] });
    expect((await errorOf(openImage(`oci-layout://${d}`))).message).toMatch(/layer 0 .* missing/);
    const plain = join(dir, "plain");
    await writeOciLayout(plain, img);
    await unlink(join(plain, "oci-layout"));
    expect((await errorOf(openImage(`oci-layout://${plain}`))).message).toMatch(/not an OCI image layout/);
    expect((await errorOf(openImage(`oci-layout://${join(dir, "absent")}`))).message).toMatch(
      /not a directory/,
    );
  });

  it("rejects an index.json that is not an index", async () => {
    const d = join(dir, "badindex");
    await writeOciLayout(d, img);
    await writeFile(join(d, "index.json"), '{"schemaVersion":2}');
    expect((await errorOf(openImage(`oci-layout://${d}`))).message).toMatch(/no "manifests" list/);
  });
});
