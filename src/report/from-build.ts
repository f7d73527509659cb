/**
 * The variants of a build as compare's images: reads the `--json` output of
 * `slimstage build` (one entry per variant with its image id and tags).
 */
import { Ajv } from "ajv";
import { ConfigError, ParseError } from "../errors.js";
import type { NamedImage } from "./compare-run.js";

const BUILD_OUTPUT_SCHEMA = {
  type: "object",
  required: ["images"],
  properties: {
    images: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["imageId"],
        properties: {
          variant: { type: "string", minLength: 1 },
          imageId: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
          tags: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
} as const;

interface BuildOutput {
  images: Array<{ variant?: string; imageId: string; tags?: string[] }>;
}

const validate = new Ajv({ strict: false }).compile<BuildOutput>(BUILD_OUTPUT_SCHEMA);

/** What compare needs of a build result (`buildVariants`' results fit). */
export interface BuiltImage {
  variant?: string;
  imageId: string;
  tags?: readonly string[];
}

/**
 * One image per built variant, named after the variant (else its first tag),
 * and referred to by image id, so a tag moved since the build cannot swap it.
 */
export function imagesFromBuilds(builds: readonly BuiltImage[]): NamedImage[] {
  return builds.map((b) => ({
    name: b.variant ?? b.tags?.[0] ?? b.imageId.replace(/^sha256:/, "").slice(0, 12),
    ref: b.imageId,
  }));
}

/** The same from the `--json` output of `slimstage build`, validated. */
export function imagesFromBuildOutput(text: string, file = "<build.json>"): NamedImage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, {
      hint: "give the --json output of `slimstage build`",
    });
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new ConfigError(
      `${file}: ${first ? `${first.instancePath || "the document"} ${first.message ?? "is invalid"}` : "is not build output"}`,
      { ...(first ? { key: first.instancePath } : {}), hint: "give the --json output of `slimstage build`" },
    );
  }
  return imagesFromBuilds(value.images);
}
