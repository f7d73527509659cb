/**
 * The floor of any `inspect` written for Node, run as a whole process by
 * `npm run bench -- inspect`: what `tar -tvf` does over the same layer tars
 * (list every header: mode, owner, size, name) with slimstage's own header
 * walker (src/image/archive/tar-seek.ts), and nothing else: no image
 * model, no merged tree, no analysis. The bench bundles it into one module,
 * as the CLI is bundled, so that it pays what the CLI pays to start.
 * Usage: node tar-listing.mjs LAYER.tar...
 */
import { forEachTarEntry, RandomAccessFile } from "../../src/image/archive/tar-seek.js";

const lines: string[] = [];
for (const path of process.argv.slice(2)) {
  const file = new RandomAccessFile(path);
  try {
    forEachTarEntry(file, 0, file.size, path, (e) => {
      lines.push(
        `${e.mode.toString(8)} ${e.uid}/${e.gid} ${e.size} ${e.name}${e.linkname ? ` -> ${e.linkname}` : ""}`,
      );
    });
  } finally {
    file.close();
  }
}
process.stdout.write(`${lines.join("\n")}\n`);
