import { instructionsOf, isReachable, unquote } from "../facts.js";
import { defineRule } from "../rule.js";

const NAME =
  /(PASSWORD|PASSWD|PWD_|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|AUTH_?KEY|CREDENTIAL|CLIENT_SECRET)/i;
const HARMLESS = /(_FILE|_PATH|_DIR|_URL|_URI|_ID|_NAME|_ENDPOINT|_HEADER)$/i;
const VALUE = [
  /AKIA[0-9A-Z]{16}/, // AWS access key id
  /gh[pousr]_[A-Za-z0-9]{30,}/, // GitHub token
  /xox[abposr]-[A-Za-z0-9-]{10,}/, // Slack token
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /sk_live_[A-Za-z0-9]{16,}/, // Stripe
];

export default defineRule({
  meta: {
    id: "SS303",
    slug: "secret-in-env-arg",
    severity: "error",
    buildkit: "SecretsUsedInArgOrEnv",
    category: "security",
    description:
      "A secret in an ENV or ARG: by its name (PASSWORD, TOKEN, API_KEY, ...) or by its value (AWS keys, GitHub tokens, private keys).",
    rationale:
      "ENV values are stored in the image config and ARG values in the build history: anyone who can pull the image can read them (`docker history`, `docker inspect`).",
    fix: "Pass secrets at build time with `RUN --mount=type=secret,id=...` and at run time through the orchestrator's secrets or environment.",
    stages: "reachable",
    stagesNote:
      "Fires in every stage needed for the target: build args and env of builder stages are in the build cache and history too.",
    bad: "ENV DB_PASSWORD=hunter2",
    good: "RUN --mount=type=secret,id=db_password ./configure",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "ENV")) {
      if (!isReachable(ctx.graph, stage)) continue;
      for (const p of ins.pairs) {
        const v = unquote(p.value);
        if (VALUE.some((re) => re.test(v)))
          ctx.report({
            node: { range: p.range },
            stage,
            message: `ENV ${p.key} holds what looks like a credential`,
          });
        else if (NAME.test(p.key) && !HARMLESS.test(p.key) && v !== "" && !/^\$\{?[A-Za-z_]/.test(v))
          ctx.report({
            node: { range: p.range },
            stage,
            message: `ENV ${p.key} puts a secret into the image config`,
          });
      }
    }
    for (const { ins, stage } of instructionsOf(ctx.df, "ARG")) {
      if (!isReachable(ctx.graph, stage) && stage >= 0) continue;
      for (const d of ins.decls) {
        const v = d.defaultValue === undefined ? "" : unquote(d.defaultValue);
        if (VALUE.some((re) => re.test(v)) || (NAME.test(d.name) && !HARMLESS.test(d.name)))
          ctx.report({
            node: { range: d.range },
            stage,
            message: `ARG ${d.name} passes a secret through the build history`,
          });
      }
    }
  },
});
