/**
 * The layering of src/, checked by `npm run deps` (part of `npm run check`).
 * ARCHITECTURE.md explains the layers; this file is their one machine-readable
 * copy. Type-only imports count: a type is a dependency on the module that owns it.
 */

/** Test-only code (the files tsconfig.build.json keeps out of dist/): held to the cycle and resolution rules only. */
const TEST_ONLY = [
  "\\.test\\.ts$",
  "/test-helpers/",
  "/testdata/",
  "^src/lint/corpus/",
  "^src/dockerfile/test-corpus\\.ts$",
];

/** The shared modules at the root of src/ (errors, version, YAML input): everyone may import them. */
const SHARED = "^src/[^/]+\\.ts$";

/**
 * What each area's production code may import besides itself and SHARED.
 * An area not listed here is refused: a new folder under src/ gets a line.
 */
const MAY_IMPORT = {
  dockerfile: [],
  lint: ["dockerfile"],
  engine: [],
  image: ["engine"],
  bases: ["engine", "image"],
  verify: ["engine", "image", "bases"],
  plan: ["dockerfile", "lint", "engine", "image", "bases", "verify"],
  minify: ["dockerfile", "engine", "image", "verify"],
  report: ["dockerfile", "lint", "image", "verify"],
  lab: ["dockerfile", "lint", "engine", "image", "bases", "verify", "plan", "minify", "report"],
  host: ["engine", "bases"],
  cli: [
    "dockerfile",
    "lint",
    "engine",
    "image",
    "bases",
    "verify",
    "plan",
    "minify",
    "report",
    "lab",
    "host",
  ],
};

/**
 * Imports that break the rules today, each with why and what removes it.
 * Keep this list short: an entry is a debt with an owner, not a permission.
 */
const KNOWN_EXCEPTIONS = [
  // None today. An entry is { from: "^src/AREA/file\\.ts$", to: "^src/OTHER/file\\.ts$" }
  // with a comment saying why and which issue removes it.
];

/**
 * Cycles that exist today, same contract as KNOWN_EXCEPTIONS: a cycle among modules that all
 * match `via` is tolerated; one that pulls in any other module is refused.
 */
const KNOWN_CYCLES = [
  // None today. An entry is { from: "^src/AREA/(a|b)\\.ts$", via: "^src/AREA/(a|b)\\.ts$" }.
];

/**
 * Plug-in folders: one module per rule, image source or probe kind, reached only through
 * the entry named here (the registry or the table that picks one), so adding one touches
 * no other area. `entry` lists the only modules (or folders) outside the folder allowed to
 * import it; `open` the modules of the folder that are not plug-ins, which anyone may import.
 */
const PLUGINS = [
  { folder: "lint/rules", entry: ["lint/rules/index.ts"], note: "rules/index.ts is the one registry" },
  { folder: "image/sources", entry: ["image/open.ts"], note: "open.ts picks the source by scheme" },
  { folder: "image/archive", entry: ["image/"], note: "the archive readers are private to image/" },
  {
    folder: "verify/probes",
    entry: ["verify/"],
    // Not probe kinds: the registry and the translations from lab.yaml and probes files.
    open: ["verify/probes/index.ts", "verify/probes/config.ts", "verify/probes/probes-file.ts"],
    note: "probes/index.ts is the registry of probe kinds; wait strategies and request discovery in verify/ reuse the kinds' connection primitives",
  },
];

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const areaPath = (area) => `^src/${reEscape(area)}/`;

/** One rule per area: its production code imports only itself, SHARED and MAY_IMPORT[area]. */
const layerRules = Object.entries(MAY_IMPORT).map(([area, allowed]) => {
  const exceptions = KNOWN_EXCEPTIONS.filter((e) => e.from.startsWith(areaPath(area)));
  return {
    name: `layer-${area}`,
    comment: `src/${area}/ may import ${allowed.length ? allowed.join(", ") : "nothing"} besides itself and the shared root modules (ARCHITECTURE.md)`,
    severity: "error",
    from: { path: areaPath(area), pathNot: [...TEST_ONLY, ...exceptions.map((e) => e.from)] },
    to: { path: "^src/", pathNot: [areaPath(area), SHARED, ...allowed.map(areaPath)] },
  };
});

const pluginRules = PLUGINS.map(({ folder, entry, open = [], note }) => ({
  name: `plug-in-${folder.replace("/", "-")}`,
  comment: `src/${folder}/ is reached through ${entry.join(", ")} only (${note})`,
  severity: "error",
  from: {
    path: "^src/",
    pathNot: [
      `^src/${reEscape(folder)}/`,
      ...entry.map((e) => `^src/${reEscape(e)}${e.endsWith("/") ? "" : "$"}`),
      ...TEST_ONLY,
    ],
  },
  to: {
    path: `^src/${reEscape(folder)}/`,
    pathNot: [...entry, ...open].map((e) => `^src/${reEscape(e)}$`),
  },
}));

/** A file with a known exception still obeys its area's rule for every other import. */
const exceptionRules = KNOWN_EXCEPTIONS.map((e, i) => {
  const area = e.from.match(/^\^src\/([^/]+)\//)[1];
  return {
    name: `layer-${area}-known-exception-${i + 1}`,
    comment: `known exception (see KNOWN_EXCEPTIONS in .dependency-cruiser.cjs): ${e.from} -> ${e.to} only`,
    severity: "error",
    from: { path: e.from },
    to: { path: "^src/", pathNot: [areaPath(area), SHARED, ...MAY_IMPORT[area].map(areaPath), e.to] },
  };
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A cycle makes two modules one: split out the part both need (often types) into a leaf module.",
      severity: "error",
      from: { path: "^src/", pathNot: KNOWN_CYCLES.map((c) => c.from) },
      to: { circular: true },
    },
    ...KNOWN_CYCLES.map((c) => ({
      name: "no-circular-known-exception",
      comment: "A known cycle may not grow: it stays among the modules named in KNOWN_CYCLES.",
      severity: "error",
      from: { path: c.from },
      to: { circular: true, viaSomeNot: c.via },
    })),
    {
      name: "no-unknown-area",
      comment: "Every folder under src/ has a line in MAY_IMPORT (and a section in ARCHITECTURE.md).",
      severity: "error",
      from: { path: "^src/[^/]+/", pathNot: [...Object.keys(MAY_IMPORT).map(areaPath)] },
      to: {},
    },
    ...layerRules,
    ...exceptionRules,
    {
      name: "index-exports-public-entries",
      comment:
        "src/index.ts is the library API: it re-exports each area's public.ts and the shared modules, nothing else.",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/", pathNot: ["^src/[^/]+/public\\.ts$", SHARED] },
    },
    {
      name: "shared-is-a-leaf",
      comment: "The shared root modules (errors, version, YAML input) import no area.",
      severity: "error",
      from: { path: SHARED, pathNot: ["^src/index\\.ts$", ...TEST_ONLY] },
      to: { path: "^src/[^/]+/" },
    },
    ...pluginRules,
    {
      name: "no-test-code-in-production",
      comment: "Production modules (what ships in dist/) never import test files, test helpers or test data.",
      severity: "error",
      from: { path: "^src/", pathNot: TEST_ONLY },
      to: { path: TEST_ONLY },
    },
    {
      name: "no-dev-dependencies-in-production",
      comment: "What ships in dist/ imports only runtime dependencies.",
      severity: "error",
      from: { path: "^src/", pathNot: TEST_ONLY },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "only-engine-talks-to-the-engine",
      comment:
        "dockerode (the Engine API client) is imported by src/engine/ alone; its types stay out of other areas.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/engine/", ...TEST_ONLY] },
      to: { path: "(^|/)node_modules/(dockerode|docker-modem|@types/dockerode)/" },
    },
    {
      name: "only-cli-owns-the-terminal",
      comment: "Argument parsing, live terminal updates and colour detection belong to the CLI.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/cli/", ...TEST_ONLY] },
      to: { path: "(^|/)node_modules/(commander|log-update|supports-color)/" },
    },
    {
      name: "src-stands-alone",
      comment:
        "src/ does not import bench/, scripts/, test/ or examples/ (they use src/, not the other way).",
      severity: "error",
      from: { path: "^src/", pathNot: TEST_ONLY },
      to: { path: "^(bench|scripts|test|examples)/" },
    },
    {
      name: "no-unresolvable",
      comment: "An import that does not resolve is a typo or a missing dependency.",
      severity: "error",
      from: {},
      // sarif is @types/sarif, types without a runtime module.
      to: { couldNotResolve: true, pathNot: ["^sarif$"] },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser; swc parses the sources.
    parser: "swc",
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["/testdata/", "^src/plan/testdata/"] },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
