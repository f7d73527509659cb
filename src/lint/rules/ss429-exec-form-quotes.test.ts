import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss429-exec-form-quotes.js";

describe("SS429 exec-form-quotes", () => {
  it("catches \"'daemon off;'\" and fixes it", () => {
    const [f] = catches(rule, `FROM nginx:1.29\nCMD ["nginx", "-g", "'daemon off;'"]`, 1);
    expect(f!.fix?.edits[0]?.text).toBe('"daemon off;"');
  });
  it("passes plain arguments", () => catchesNot(rule, `FROM nginx:1.29\nCMD ["nginx", "-g", "daemon off;"]`));
  it("passes the shell form", () => catchesNot(rule, `FROM nginx:1.29\nCMD nginx -g 'daemon off;'`));
});
