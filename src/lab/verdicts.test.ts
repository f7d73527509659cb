import { describe, expect, it } from "vitest";
import { explainDifference } from "./explain.js";
import { type ImageFacts, wasteGroupOf } from "./image-facts.js";
import type { LabClaim } from "./lab-config.js";
import type { VariantRun } from "./lab-result.js";
import { judgeClaim, parseThreshold } from "./verdicts.js";

const MB = 1_000_000;

function facts(over: Partial<ImageFacts> = {}): ImageFacts {
  return {
    ref: "x",
    imageId: "sha256:0",
    sizeBytes: 100 * MB,
    finalBytes: 100 * MB,
    compressedBytes: null,
    layers: 5,
    historyEntries: 9,
    history: [],
    wastedBytes: 0,
    wastedBy: [],
    buildOnlyBytes: 0,
    byCategory: [],
    byOwnerKind: { "os-package": 80 * MB, python: 20 * MB },
    packages: [],
    user: "",
    cmd: ["python", "app.py"],
    entrypoint: null,
    ...over,
  };
}

function variant(name: string, f: ImageFacts | undefined, over: Partial<VariantRun> = {}): VariantRun {
  return {
    name,
    dockerfile: `Dockerfile.${name}`,
    expect: "works",
    build: { ok: true, durationMs: 1000, steps: [] },
    ...(f ? { facts: f } : {}),
    verify: {
      ok: true,
      startupMs: 800,
      peakMemoryBytes: 30 * MB,
      probes: [{ name: "http", ok: true, detail: '200, body "Hello"' }],
    },
    outcome: { status: "works", asExpected: true, summary: "built and passed its probe" },
    ...over,
  };
}

const claim = (measure: LabClaim["measure"]): LabClaim => ({ id: "c", text: "a claim", measure });

// lab-000 as measured: the multi-stage copy of site-packages lands over the base's pip and setuptools.
const single = facts({
  sizeBytes: 141 * MB,
  // The base's own waste: in both images, so not part of the difference.
  wastedBytes: 1.3 * MB,
  wastedBy: [{ name: "/usr/share/zoneinfo", bytes: 1.3 * MB, files: 1 }],
  byOwnerKind: { "os-package": 80 * MB, python: 61 * MB },
  packages: [
    { ecosystem: "python", name: "pip", version: "24.0", bytes: 12 * MB },
    { ecosystem: "python", name: "setuptools", version: "65.5.0", bytes: 7 * MB },
    { ecosystem: "python", name: "Flask", version: "3.1.0", bytes: 1 * MB },
  ],
});
const multi = facts({
  sizeBytes: 155 * MB,
  wastedBytes: 21.2 * MB,
  wastedBy: [
    { name: "pip", bytes: 12.5 * MB, files: 800 },
    { name: "setuptools", bytes: 7.9 * MB, files: 600 },
    { name: "/usr/share/zoneinfo", bytes: 1.3 * MB, files: 1 },
  ],
  history: [
    {
      createdBy: "/bin/sh -c #(nop) ADD file:abc in /",
      sizeBytes: 75 * MB,
      wastedBytes: 0,
      changedBytes: 0,
      empty: false,
    },
    {
      createdBy:
        "COPY /usr/local/lib/python3.11/site-packages /usr/local/lib/python3.11/site-packages # buildkit",
      sizeBytes: 23 * MB,
      wastedBytes: 0,
      changedBytes: 21.2 * MB,
      empty: false,
    },
  ],
  byOwnerKind: { "os-package": 80 * MB, python: 53.8 * MB },
  packages: single.packages,
});

describe("parseThreshold", () => {
  it("reads percentages and sizes", () => {
    expect(parseThreshold("10%")).toEqual({ percent: 10 });
    expect(parseThreshold("20MB")).toEqual({ bytes: 20 * MB });
    expect(parseThreshold("1.5 GiB")).toEqual({ bytes: 1.5 * 1024 ** 3 });
    expect(() => parseThreshold("some")).toThrow(/not a threshold/);
  });
});

describe("smaller", () => {
  it("is false for lab-000's multi-stage image, which is larger, and says why from the analysis", () => {
    const v = judgeClaim(claim({ kind: "smaller", subject: "multi", than: "single", byAtLeast: "10%" }), [
      variant("single", single),
      variant("multi", multi, {
        lint: [
          {
            ruleId: "SS109",
            severity: "warning",
            category: "size",
            message: "copies all of site-packages",
            line: 15,
          },
        ],
      }),
    ]);
    expect(v.verdict).toBe(false);
    expect(v.measured).toBe("multi 155 MB vs single 141 MB: 14 MB (9.9%) LARGER");
    expect(v.why).toMatch(/^multi is 14 MB larger than single/);
    expect(v.why).toMatch(/\+19\.9 MB wasted in multi/);
    expect(v.why).not.toMatch(/zoneinfo/);
    expect(v.why).toMatch(/pip 12\.5 MB, setuptools 7\.9 MB/);
    expect(v.why).toMatch(/overwrites 21\.2 MB/);
    expect(v.why).toMatch(/SS109 \(line 15\)/);
  });

  it("is true only when the saving reaches the threshold", () => {
    const big = facts({ sizeBytes: 430 * MB });
    const small = facts({ sizeBytes: 143 * MB });
    const runs = [variant("single", big), variant("multi", small)];
    const yes = judgeClaim(
      claim({ kind: "smaller", subject: "multi", than: "single", byAtLeast: "30%" }),
      runs,
    );
    expect(yes.verdict).toBe(true);
    expect(yes.measured).toMatch(/287 MB \(66\.7%\) smaller; the claim needs at least 30%/);
    const no = judgeClaim(
      claim({ kind: "smaller", subject: "multi", than: "single", byAtLeast: "300MB" }),
      runs,
    );
    expect(no.verdict).toBe(false);
    const plain = judgeClaim(claim({ kind: "smaller", subject: "multi", than: "single" }), runs);
    expect(plain.verdict).toBe(true);
  });

  it("cannot be measured when a variant has no image", () => {
    const broken = variant("multi", undefined, {
      build: { ok: false, durationMs: 1, steps: [], error: '"/app/venv": not found' },
      outcome: { status: "build-failed", asExpected: true, summary: "fails" },
    });
    const v = judgeClaim(claim({ kind: "smaller", subject: "multi", than: "single" }), [
      variant("single", single),
      broken,
    ]);
    expect(v.verdict).toBeNull();
    expect(v.why).toMatch(/multi did not build \("\/app\/venv": not found\)/);
  });
});

describe("order", () => {
  const runs = [
    variant("multistage", facts({ sizeBytes: 120 * MB })),
    variant("nonmultistage", facts({ sizeBytes: 140 * MB })),
    variant("python-slim", facts({ sizeBytes: 134 * MB })),
  ];
  it("is true when the sizes go up in the given order", () => {
    const v = judgeClaim(
      claim({ kind: "order", smallestFirst: ["multistage", "python-slim", "nonmultistage"] }),
      runs,
    );
    expect(v.verdict).toBe(true);
    expect(v.measured).toBe("multistage 120 MB < python-slim 134 MB < nonmultistage 140 MB");
  });
  it("names the pair that breaks the order", () => {
    const v = judgeClaim(
      claim({ kind: "order", smallestFirst: ["multistage", "nonmultistage", "python-slim"] }),
      runs,
    );
    expect(v.verdict).toBe(false);
    expect(v.why).toMatch(/^nonmultistage is not smaller than python-slim/);
  });
});

describe("works and fails", () => {
  it("works: the probe result, with the start-up time", () => {
    const v = judgeClaim(claim({ kind: "works", variant: "multi" }), [variant("multi", multi)]);
    expect(v.verdict).toBe(true);
    expect(v.why).toBe('http: 200, body "Hello", first answer after 800 ms');
  });

  it("works is false when the probe failed, with the last log line", () => {
    const v = judgeClaim(claim({ kind: "works", variant: "m" }), [
      variant("m", multi, {
        verify: {
          ok: false,
          startupMs: null,
          peakMemoryBytes: null,
          probes: [],
          error: "the container exited with code 1",
          logsTail: "Traceback...\nImportError: libpq.so.5: cannot open shared object file",
        },
        outcome: { status: "verify-failed", asExpected: false, summary: "" },
      }),
    ]);
    expect(v.verdict).toBe(false);
    expect(v.why).toMatch(/exited with code 1; last log line: ImportError: libpq\.so\.5/);
  });

  it("fails: true with the build error and the linter's finding", () => {
    const broken = variant("multi", undefined, {
      expect: { fails: "build", diagnosis: { build: "not found", lint: ["SS403"], explain: "no venv" } },
      build: {
        ok: false,
        durationMs: 1,
        steps: [],
        error: 'failed to compute cache key: "/app/venv": not found',
        errorAt: "Dockerfile.multi:18",
      },
      lint: [
        {
          ruleId: "SS403",
          severity: "error",
          category: "correctness",
          message: "stage builder never creates /app/venv",
          line: 18,
        },
        { ruleId: "SS307", severity: "info", category: "security", message: "not pinned", line: 3 },
      ],
      outcome: { status: "build-failed", asExpected: true, summary: "" },
    });
    const v = judgeClaim(claim({ kind: "fails", variant: "multi" }), [broken]);
    expect(v.verdict).toBe(true);
    expect(v.measured).toBe("the build failed");
    expect(v.why).toMatch(/"\/app\/venv": not found \(Dockerfile\.multi:18\)/);
    expect(v.why).toMatch(/SS403 stage builder never creates \/app\/venv \(line 18\)/);
    expect(v.why).not.toMatch(/SS307/);
  });

  it("fails is false when the variant works", () => {
    const v = judgeClaim(claim({ kind: "fails", variant: "x" }), [variant("x", multi)]);
    expect(v.verdict).toBe(false);
    expect(v.measured).toBe("it works");
  });
});

describe("contains and lacks", () => {
  const withToolchain = facts({
    packages: [{ ecosystem: "python", name: "pytest", version: "8.3.4", bytes: 3 * MB }],
    byCategory: [
      {
        category: "toolchain",
        label: "compilers and toolchains",
        bytes: 180 * MB,
        top: [{ name: "gcc-12", bytes: 90 * MB }],
      },
      { category: "headers", label: "headers", bytes: 0, top: [] },
    ],
  });
  const runs = [variant("v", withToolchain)];

  it("contains: packages by normalised name and categories by bytes", () => {
    const v = judgeClaim(
      claim({ kind: "contains", variant: "v", packages: ["PyTest"], categories: ["toolchain"] }),
      runs,
    );
    expect(v.verdict).toBe(true);
    expect(v.why).toMatch(/PyTest 8\.3\.4 \(3 MB\); compilers and toolchains 180 MB \(gcc-12 90 MB\)/);
    const h = judgeClaim(claim({ kind: "contains", variant: "v", categories: ["headers"] }), runs);
    expect(h.verdict).toBe(false);
  });

  it("lacks: false when any is present, naming it", () => {
    const v = judgeClaim(claim({ kind: "lacks", variant: "v", packages: ["pytest"] }), runs);
    expect(v.verdict).toBe(false);
    expect(v.why).toMatch(/^v still contains pytest 8\.3\.4/);
    expect(judgeClaim(claim({ kind: "lacks", variant: "v", packages: ["typescript"] }), runs).verdict).toBe(
      true,
    );
  });
});

describe("non-root, fewer-layers, build-step", () => {
  it("non-root reads the config's user", () => {
    expect(
      judgeClaim(claim({ kind: "non-root", variant: "v" }), [variant("v", facts({ user: "node" }))]).verdict,
    ).toBe(true);
    expect(
      judgeClaim(claim({ kind: "non-root", variant: "v" }), [variant("v", facts({ user: "" }))]).verdict,
    ).toBe(false);
    expect(
      judgeClaim(claim({ kind: "non-root", variant: "v" }), [variant("v", facts({ user: "0:0" }))]).verdict,
    ).toBe(false);
  });

  it("fewer-layers compares filesystem layers", () => {
    const runs = [variant("a", facts({ layers: 4 })), variant("b", facts({ layers: 4 }))];
    const v = judgeClaim(claim({ kind: "fewer-layers", subject: "a", than: "b" }), runs);
    expect(v.verdict).toBe(false);
    expect(v.measured).toBe("a 4 layers (9 history entries) vs b 4 layers (9 history entries)");
  });

  it("build-step: the output of a step that ran, or a cached step", () => {
    const step = (cached: boolean, output: string[]) =>
      variant("prod", facts(), {
        build: {
          ok: true,
          durationMs: 1,
          steps: [
            {
              instruction: "RUN python -m pytest -q tests/",
              stage: "builder",
              cached,
              durationMs: 2100,
              output,
            },
          ],
        },
      });
    const m = { kind: "build-step", variant: "prod", step: "pytest", output: "[1-9][0-9]* passed" } as const;
    const ran = judgeClaim(claim(m), [step(false, ["..", "2 passed in 0.05s"])]);
    expect(ran.verdict).toBe(true);
    expect(ran.why).toMatch(/printed "2 passed in 0\.05s"/);
    expect(judgeClaim(claim(m), [step(false, ["no tests ran"])]).verdict).toBe(false);
    const cached = judgeClaim(claim(m), [step(true, [])]);
    expect(cached.verdict).toBe(true);
    expect(cached.measured).toBe("step succeeded (cached)");
    expect(judgeClaim(claim({ ...m, step: "npm test" }), [step(false, [])]).verdict).toBe(false);
  });
});

describe("explainDifference and waste groups", () => {
  it("groups wasted files by package", () => {
    expect(wasteGroupOf("usr/local/lib/python3.11/site-packages/pip/_internal/x.py")).toBe("pip");
    expect(wasteGroupOf("usr/local/lib/python3.11/site-packages/setuptools-65.5.0.dist-info/RECORD")).toBe(
      "setuptools",
    );
    expect(wasteGroupOf("app/node_modules/@types/node/index.d.ts")).toBe("@types/node");
    expect(wasteGroupOf("var/cache/apt/pkgcache.bin")).toBe("/var/cache/apt");
    expect(wasteGroupOf("/var/cache/debconf/config.dat")).toBe("/var/cache/debconf");
  });

  it("names the packages that take more room when both images have them (a venv's own pip)", () => {
    const pkgs = [
      { ecosystem: "python", name: "pip", version: "26.2.1", bytes: 5.6 * MB },
      { ecosystem: "python", name: "setuptools", version: "84.0.0", bytes: 2.7 * MB },
    ];
    const venv = facts({
      sizeBytes: 158 * MB,
      byOwnerKind: { "os-package": 80 * MB, python: 78 * MB },
      packages: [...pkgs, ...pkgs],
    });
    const base = facts({
      sizeBytes: 140 * MB,
      byOwnerKind: { "os-package": 80 * MB, python: 60 * MB },
      packages: pkgs,
    });
    expect(explainDifference("venv", venv, "single", base)).toBe(
      "venv is 18 MB larger than single: +18 MB Python packages, more of them in venv: pip +5.6 MB (2 copies), setuptools +2.7 MB (2 copies).",
    );
  });

  it("names the build-only content and the packages only one image has", () => {
    const big = facts({
      sizeBytes: 430 * MB,
      buildOnlyBytes: 250 * MB,
      byCategory: [
        {
          category: "toolchain",
          label: "compilers and toolchains",
          bytes: 200 * MB,
          top: [{ name: "gcc-12", bytes: 90 * MB }],
        },
      ],
      byOwnerKind: { "os-package": 380 * MB, python: 50 * MB },
      packages: [{ ecosystem: "deb", name: "gcc-12", version: "12.2", bytes: 90 * MB }],
    });
    const small = facts({ sizeBytes: 143 * MB, byOwnerKind: { "os-package": 93 * MB, python: 50 * MB } });
    const text = explainDifference("single", big, "multistage", small);
    expect(text).toMatch(
      /^single is 287 MB larger than multistage: \+287 MB OS packages, only in single: gcc-12 90 MB/,
    );
    expect(text).toMatch(
      /\+250 MB build-only content \(single has compilers and toolchains 200 MB \(gcc-12\)\)/,
    );
  });
});

describe("expected verdicts (expect: true|false)", () => {
  const runs = [
    variant("small", facts({ sizeBytes: 50 * MB })),
    variant("big", facts({ sizeBytes: 100 * MB })),
  ];
  const smallerClaim = (expectVerdict?: boolean): LabClaim => ({
    ...claim({ kind: "smaller", subject: "small", than: "big" }),
    ...(expectVerdict !== undefined ? { expect: expectVerdict } : {}),
  });

  it("is as expected when the verdict is the stated one, or when none is stated", () => {
    expect(judgeClaim(smallerClaim(true), runs)).toMatchObject({
      verdict: true,
      expected: true,
      asExpected: true,
    });
    expect(judgeClaim(smallerClaim(), runs)).toMatchObject({ verdict: true, asExpected: true });
    expect(judgeClaim(smallerClaim(), runs).expected).toBeUndefined();
  });

  it("is not as expected when the verdict differs, or when the claim could not be measured", () => {
    expect(judgeClaim(smallerClaim(false), runs)).toMatchObject({
      verdict: true,
      expected: false,
      asExpected: false,
    });
    const unmeasured = judgeClaim(
      { ...smallerClaim(false), measure: { kind: "smaller", subject: "gone", than: "big" } },
      runs,
    );
    expect(unmeasured).toMatchObject({ verdict: null, asExpected: false });
  });
});
