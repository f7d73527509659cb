/**
 * slimstage's public library API. Nothing outside this file is public:
 * each area re-exports its public names through its own `public.ts`.
 */
export * from "./errors.js";
export { VERSION } from "./version.js";
export * from "./dockerfile/public.js";
