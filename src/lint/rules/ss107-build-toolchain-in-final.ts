import { instructionsOf, pathReachesFinal } from "../facts.js";
import { isBaseImage } from "../final-command.js";
import { toolchainInstalls } from "../packages.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS107",
    slug: "build-toolchain-in-final",
    severity: "warning",
    category: "size",
    description:
      "Compilers and headers (build-essential, gcc, build-base, `*-dev`) installed in a stage whose filesystem reaches the final image.",
    rationale:
      "A toolchain is needed to build wheels or native modules, not to run them: build-essential alone adds about 250 MB, and every header package widens the attack surface.",
    fix: "Install the toolchain in a builder stage, build there (wheels, a venv, node_modules) and copy only the result into a runtime stage.",
    stages: "reaches-final",
    stagesNote:
      "Multi-stage files only (single-stage files get SS111). Fires in the target's FROM ancestry, or where /usr of a stage is copied onward; a builder stage that hands on only a venv or wheels is fine. Silent when the same RUN removes the packages again (`apk del .build-deps`).",
    bad: "FROM python:3.12-slim AS build\n...\nFROM build\nRUN apt-get install -y gcc",
    good: "FROM python:3.12-slim AS build\nRUN apt-get install -y gcc && pip wheel -w /wheels .\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels",
  },
  check(ctx) {
    // A base image (no command, or an interpreter REPL, such as golang or ruby) is meant to carry its toolchain.
    if (isBaseImage(ctx)) return;
    if (ctx.df.stages.length < 2) return;
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      if (!pathReachesFinal(ctx, stage, "/usr/bin")) continue;
      for (const { install, tools } of toolchainInstalls(ins)) {
        ctx.report({
          node: install.cmd.raw,
          stage,
          message: `build toolchain (${tools.join(", ")}) installed in a stage whose files reach the final image`,
        });
      }
    }
  },
});
