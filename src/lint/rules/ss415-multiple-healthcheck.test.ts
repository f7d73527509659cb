import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss415-multiple-healthcheck.js";

describe("SS415 multiple-healthcheck", () => {
  it('catches HEALTHCHECK CMD ["b"]', () => {
    catches(rule, 'FROM debian:12\nHEALTHCHECK CMD ["a"]\nHEALTHCHECK CMD ["b"]', 1);
  });
  it('passes HEALTHCHECK CMD ["a"]', () => {
    catchesNot(rule, 'FROM debian:12\nHEALTHCHECK CMD ["a"]');
  });
});
