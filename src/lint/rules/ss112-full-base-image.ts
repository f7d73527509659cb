import { buildsOnStage, instructionsOf, reachesFinal } from "../facts.js";
import { defineRule } from "../rule.js";

/**
 * Official images that publish a -slim variant (or a slim tag). php, golang,
 * postgres, httpd, nginx and redis publish none (php's variants are cli,
 * apache, fpm and zts, with alpine builds), so they are not here.
 */
const HAS_SLIM = new Set(["python", "node", "debian", "ruby", "openjdk", "perl", "rust"]);

export default defineRule({
  meta: {
    id: "SS112",
    slug: "full-base-image",
    severity: "warning",
    category: "size",
    description: "A full base image where a -slim variant exists.",
    rationale:
      "The full python and node images carry compilers, headers and hundreds of Debian packages (about 1 GB); their -slim variants are about 130-200 MB and run the same apps.",
    fix: "Use the -slim tag (`python:3.12-slim`, `node:22-slim`) for the runtime stage; keep the full image in a builder stage if you need its toolchain.",
    stages: "reaches-final",
    stagesNote:
      "Fires on the FROM of stages in the target's FROM ancestry; builder stages may use the full image.",
    bad: "FROM python:3.12",
    good: "FROM python:3.12-slim",
  },
  check(ctx) {
    for (const { ins, stage } of instructionsOf(ctx.df, "FROM")) {
      if (!reachesFinal(ctx.graph, stage)) continue;
      if (buildsOnStage(ctx.graph, stage)) continue;
      const ref = ins.imageRef;
      if (ref.scratch || ref.hasVariables) continue;
      const repo = ref.repository.replace(/^library\//, "").toLowerCase();
      if (!HAS_SLIM.has(repo) || (ref.registry && !/docker\.io$/.test(ref.registry))) continue;
      const tag = (ref.tag ?? "latest").toLowerCase();
      if (/(slim|alpine|windowsservercore|nanoserver|busybox)/.test(tag)) continue;
      ctx.report({ node: ins, message: `${ins.image} is the full image; a -slim variant of ${repo} exists` });
    }
  },
});
