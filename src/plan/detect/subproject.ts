/**
 * Discovery of a project that lives in a sub-folder (#15 item 5): a root
 * with a Dockerfile and a `service/` folder that holds the requirements.txt
 * or package.json, built by `COPY service /service`. The folders the
 * Dockerfile copies from the context come first (they say which folder is
 * the app); without such a hint, a single sub-folder with a project in it is
 * taken, and several are an error that names them.
 */
import path from "node:path";
import { InputError } from "../../errors.js";
import { languagesOf } from "../languages/index.js";
import type { ExistingDockerfile } from "./existing.js";
import { type ProjectFiles, scanProject } from "./files.js";

export interface Subproject {
  files: ProjectFiles;
  /** The sub-folder, relative to the root ("service"). */
  rel: string;
  /** How it was found, for the plan's decisions. */
  source: string;
}

const isProject = (f: ProjectFiles) => languagesOf(f).length > 0;

/** The first folder of a context path (`./service/app.py` -> `service`), when it is one folder deep or more. */
function topFolder(source: string): string | undefined {
  const clean = source.replace(/^\.\//, "").replace(/\/+$/, "");
  if (!clean || clean === "." || clean.startsWith("..") || clean.startsWith("/") || /[*?[$]/.test(clean))
    return undefined;
  return clean.split("/")[0];
}

/** The sub-folder with the project, when `files` (the root) holds none itself; undefined when the root is one. */
export async function findSubproject(
  files: ProjectFiles,
  existing: ExistingDockerfile | undefined,
): Promise<Subproject | undefined> {
  if (isProject(files)) return undefined;
  const folders = [
    ...new Set(files.list.filter((f) => f.includes("/")).map((f) => f.split("/")[0] as string)),
  ];
  const withProject: Subproject[] = [];
  for (const rel of folders) {
    const sub = await scanProject(path.join(files.dir, rel));
    if (isProject(sub)) withProject.push({ files: sub, rel, source: "the only project below the folder" });
  }
  // The Dockerfile's own COPY/ADD from the context name the app's folder.
  for (const st of existing?.model.stages ?? [])
    for (const ins of st.instructions) {
      if ((ins.keyword !== "COPY" && ins.keyword !== "ADD") || (ins.keyword === "COPY" && ins.from)) continue;
      for (const src of ins.sources) {
        const hit = withProject.find((s) => s.rel === topFolder(src));
        if (hit)
          return {
            ...hit,
            source: `${ins.keyword} ${ins.sources.join(" ")} ${ins.dest} in ${existing?.file}:${ins.range.start.line}`,
          };
      }
    }
  if (withProject.length === 1) return withProject[0];
  if (withProject.length > 1)
    throw new InputError(
      `no project in ${files.dir} itself, and ${withProject.length} sub-folders hold one: ${withProject.map((s) => `${s.rel}/`).join(", ")}`,
      {
        hint: `pass the folder of the app to optimize, for example slimstage optimize ${path.join(files.dir, withProject[0]?.rel ?? "")}`,
      },
    );
  return undefined;
}
