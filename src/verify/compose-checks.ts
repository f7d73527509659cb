/** Checks on compose values that must fail (or warn) before anything reaches the engine. */
import { isAbsolute, relative } from "node:path";
import { ConfigError, type SourceLocation } from "../errors.js";
import { imageReferenceProblem } from "../image/reference-grammar.js";

/** A service's image, refused as bad input when it is not an image reference (`redis:7; touch x`). */
export function checkedImage(
  image: string,
  service: string,
  file: string,
  at: { location: SourceLocation },
): string {
  // `${TAG}` is compose interpolation, resolved by compose itself: nothing to check yet.
  if (image.includes("$")) return image;
  const problem = imageReferenceProblem(image);
  if (problem === undefined) return image;
  throw new ConfigError(
    `${file}: services.${service}.image ${JSON.stringify(image)} is not a valid image reference: ${problem}`,
    {
      key: `services.${service}.image`,
      ...at,
    },
  );
}

/**
 * Why a build context is worth a warning: one outside the compose file's
 * folder (`../../../../`) sends everything under it to the engine.
 */
export function contextOutside(projectDir: string, context: string): string | undefined {
  const rel = relative(projectDir, context);
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return undefined;
  return `is outside the project (${context}): everything under it is sent to the engine as the build context`;
}
