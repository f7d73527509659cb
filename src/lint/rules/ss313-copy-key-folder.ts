import { basename, isReachable, located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

/** Folders that hold keys or credentials by convention. */
const KEY_DIR =
  /^(keys?|private[-_]?keys?|secrets?|credentials|\.ssh|\.aws|\.gnupg|\.kube|\.docker|\.azure|\.config\/gcloud)$/i;
/** Key files named like ssh's (id_rsa, id_ed25519_deploy), not their public halves. */
const KEY_FILE = /^id_[a-z0-9_-]+$/i;
const PUBLIC = /\.pub$/i;
/**
 * What SS304 reports by name (a basename that is itself a secret file):
 * left to it, so one COPY is not reported twice.
 */
const SS304_NAME =
  /^(\.env(\..+)?|id_(rsa|dsa|ecdsa|ed25519)|.+\.(pem|key|p12|pfx|jks|keystore|kdbx)|credentials(\.json)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.aws|\.ssh|\.docker|secrets?(\.[a-z]+)?|service-account.*\.json)$/i;

/** The key-holding part of a path, if any: a folder segment or an id_* key file. */
function keyPart(path: string): string | undefined {
  const segs = path.replace(/\/+$/, "").split("/").filter(Boolean);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as string;
    if (KEY_DIR.test(s)) return segs.slice(0, i + 1).join("/");
    if (i === segs.length - 1 && KEY_FILE.test(s) && !PUBLIC.test(s)) return s;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "SS313",
    slug: "copy-key-folder",
    severity: "error",
    category: "security",
    description:
      "COPY or ADD of a key or credential folder (`keys/`, `.ssh/`, `.aws/`, `secrets/`), of a path inside one, or of an `id_*` key file, also between stages.",
    rationale:
      "A folder of keys copied into an image ships every key in it to anyone who pulls the image; copying it from another stage (`COPY --from=test /app/keys ./keys`) moves it into the final image just the same.",
    fix: "Leave the folder out of the image (.dockerignore, narrower COPY sources) and mount what the build needs with `RUN --mount=type=secret`; provide run-time keys as secrets or volumes.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target, including copies between stages: a key in a builder stage stays in its layers and the build cache.",
    bad: "COPY keys/ /app/keys/",
    good: "RUN --mount=type=secret,id=deploy_key,target=/root/.ssh/id_ed25519 git clone git@example.com:org/repo.git",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      if (!isReachable(ctx.graph, stage) && stage >= 0) continue;
      const fromStage = ins.keyword === "COPY" && ins.from !== undefined;
      const hits: string[] = [];
      for (const raw of ins.sources) {
        const src = unquote(raw);
        const part = keyPart(src);
        if (part === undefined) continue;
        // A plain COPY of a path whose own name is a secret file is SS304's finding.
        if (!fromStage && SS304_NAME.test(basename(src.replace(/\/+$/, "")))) continue;
        hits.push(part === src.replace(/\/+$/, "") ? src : `${src} (inside ${part})`);
      }
      if (hits.length === 0) continue;
      const from = fromStage ? ` from stage ${ins.from}` : "";
      ctx.report({ node: ins, message: `copies ${hits.join(", ")}${from} into the image` });
    }
  },
});
