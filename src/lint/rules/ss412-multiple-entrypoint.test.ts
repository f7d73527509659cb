import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss412-multiple-entrypoint.js";

describe("SS412 multiple-entrypoint", () => {
  it('catches ENTRYPOINT ["b"]', () => {
    catches(rule, 'FROM debian:12\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]', 1);
  });
  it('passes CMD ["b"]', () => {
    catchesNot(rule, 'FROM debian:12\nENTRYPOINT ["a"]\nCMD ["b"]');
  });
});
