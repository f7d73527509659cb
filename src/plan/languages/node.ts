/** Node: package.json projects (npm, pnpm, Yarn; TypeScript builds, NestJS, Next.js). */
import { detectNode, isNodeProject } from "../detect/node.js";
import type { NodeProject } from "../project.js";
import { nodePlan } from "../templates/node.js";
import type { Language } from "./language.js";

export const node: Language<NodeProject> = {
  kind: "node",
  name: "Node",
  dependencyFolder: "the production node_modules",
  manifests: ["package.json"],
  keepAlive: ["node", "-e", "setTimeout(() => {}, 3600e3)"],
  isProject: isNodeProject,
  detect: detectNode,
  plan: nodePlan,
  writable: () => [],
};
