/**
 * The distribution reference grammar (`[domain/]path[:tag][@digest]`, as
 * docker and the registry check it), so that a bad image name is bad input
 * (exit 2) before anything reaches the engine. Written from the grammar in
 * distribution's reference package: no maintained npm package implements it
 * without pulling in a registry client.
 */
import { InputError } from "../errors.js";

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** An image id as the engine accepts it in place of a name. */
const IMAGE_ID = /^(sha256:)?[0-9a-f]{12,64}$/;
const MAX_NAME = 255;

/** Why `ref` is not a valid image reference, or undefined when it is one. */
export function imageReferenceProblem(ref: string, opts: { allowId?: boolean } = {}): string | undefined {
  if (ref === "") return "it is empty";
  if (opts.allowId !== false && IMAGE_ID.test(ref)) return undefined;
  const m = REFERENCE.exec(ref);
  if (!m) {
    if (/[A-Z]/.test(ref.split("/").pop()?.split(/[:@]/)[0] ?? ""))
      return "repository names must be lowercase";
    if (/\s/.test(ref)) return "it contains white space";
    return "expected [REGISTRY/]NAME[:TAG][@DIGEST]";
  }
  if ((m[1] as string).length > MAX_NAME) return `the name is longer than ${MAX_NAME} characters`;
  return undefined;
}

/** Throws InputError naming `what` (e.g. "-t", "compose service web: image") when `ref` is not valid. */
export function checkImageReference(
  ref: string,
  what: string,
  opts: { allowId?: boolean; location?: InputError["location"] } = {},
): void {
  const problem = imageReferenceProblem(ref, opts);
  if (problem === undefined) return;
  throw new InputError(`${what} ${JSON.stringify(ref)} is not a valid image reference: ${problem}`, {
    hint: "image references look like python:3.11-slim, ghcr.io/org/app:1.2 or app@sha256:<digest>",
    ...(opts.location ? { location: opts.location } : {}),
  });
}
