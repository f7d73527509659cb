/**
 * slimstage's public library API. Nothing outside this file is public:
 * each area re-exports its public names through its own `public.ts`.
 */

export * from "./bases/public.js";
export * from "./dockerfile/public.js";
export * from "./engine/public.js";
export * from "./errors.js";
export * from "./host/public.js";
export * from "./image/public.js";
export * from "./lab/public.js";
export * from "./lint/public.js";
export * from "./minify/public.js";
export * from "./plan/public.js";
export * from "./report/public.js";
export * from "./verify/public.js";
export { VERSION } from "./version.js";
