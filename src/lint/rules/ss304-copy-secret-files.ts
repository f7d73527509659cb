import { basename, isReachable, located, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

const SECRET_FILE =
  /^(\.env(\..+)?|id_(rsa|dsa|ecdsa|ed25519)|.+\.(pem|key|p12|pfx|jks|keystore|kdbx)|credentials(\.json)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.aws|\.ssh|\.docker|secrets?(\.[a-z]+)?|service-account.*\.json)$/i;
const SAFE = /^\.env\.(example|sample|template|dist)$/i;

export default defineRule({
  meta: {
    id: "SS304",
    slug: "copy-secret-files",
    severity: "error",
    category: "security",
    description: "COPY or ADD of .env files, private keys or credential files.",
    rationale:
      "A copied key or .env file is in the image layer for anyone who pulls it, even if a later step deletes it.",
    fix: "Keep such files out (.dockerignore) and mount them at build time with `RUN --mount=type=secret`, or inject them at run time.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target: a secret in a builder stage is still in its layers and the build cache.",
    bad: "COPY .env /app/.env",
    good: "RUN --mount=type=secret,id=env,target=/app/.env ./build.sh",
  },
  check(ctx) {
    for (const { ins, stage } of located(ctx.df)) {
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      if (!isReachable(ctx.graph, stage) && stage >= 0) continue;
      if (ins.keyword === "COPY" && ins.from !== undefined) continue;
      const hits = ins.sources.map(unquote).filter((s) => {
        const b = basename(s.replace(/\/+$/, ""));
        return SECRET_FILE.test(b) && !SAFE.test(b);
      });
      const dest = unquote(ins.dest);
      if (hits.length) ctx.report({ node: ins, message: `copies ${hits.join(", ")} into the image` });
      else if (/\/\.ssh(\/|$)/.test(dest)) ctx.report({ node: ins, message: `copies files into ${dest}` });
    }
  },
});
