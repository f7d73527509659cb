import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss501-exec-form.js";

describe("SS501 exec-form", () => {
  it("catches CMD python app.py", () => {
    catches(rule, "FROM debian:12\nCMD python app.py", 1);
  });
  it("catches ENTRYPOINT ./run.sh", () => {
    catches(rule, "FROM debian:12\nENTRYPOINT ./run.sh", 1);
  });
  it("passes HEALTHCHECK CMD curl -f localhost (its shell form is idiomatic)", () => {
    catchesNot(rule, "FROM debian:12\nHEALTHCHECK CMD curl -f localhost || exit 1");
  });
  it('passes CMD ["python", "app.py"]', () => {
    catchesNot(rule, 'FROM debian:12\nCMD ["python", "app.py"]');
  });
});
