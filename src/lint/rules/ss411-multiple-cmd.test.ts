import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss411-multiple-cmd.js";

describe("SS411 multiple-cmd", () => {
  it('catches CMD ["b"]', () => {
    catches(rule, 'FROM debian:12\nCMD ["a"]\nCMD ["b"]', 1);
  });
  it('passes CMD ["b"]', () => {
    catchesNot(rule, 'FROM debian:12 AS a\nCMD ["a"]\nFROM debian:12\nCMD ["b"]');
  });
});
