import { instructionsOf } from "../facts.js";
import { isBaseImage } from "../final-command.js";
import { toolchainInstalls } from "../packages.js";
import { defineRule } from "../rule.js";

export default defineRule({
  meta: {
    id: "SS111",
    slug: "single-stage-build-tools",
    severity: "warning",
    category: "size",
    description:
      "A single-stage Dockerfile that installs build tools: split it into a builder and a runtime stage.",
    rationale:
      "With one stage, everything needed to build ships in the image. The seed lab's single-stage build with build-essential came to 430 MB; its multi-stage split to 143 MB.",
    fix: "Add a builder stage with the toolchain that produces wheels, a venv or node_modules, and a runtime stage on a slim base that copies only those.",
    stages: "file",
    stagesNote: "Looks at files with exactly one stage; multi-stage files get SS107 instead.",
    bad: "FROM python:3.12-slim\nRUN apt-get install -y build-essential && pip install -r requirements.txt",
    good: "FROM python:3.12-slim AS build\nRUN apt-get install -y build-essential && python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv",
  },
  check(ctx) {
    // A base image (no command, or an interpreter REPL, such as golang or ruby) is meant to carry its toolchain.
    if (isBaseImage(ctx)) return;
    if (ctx.df.stages.length !== 1) return;
    for (const { ins, stage } of instructionsOf(ctx.df, "RUN")) {
      for (const { install, tools } of toolchainInstalls(ins)) {
        ctx.report({
          node: install.cmd.raw,
          stage,
          message: `single-stage build installs build tools (${tools.join(", ")}): they ship in the image; split into builder and runtime stages`,
        });
      }
    }
  },
});
