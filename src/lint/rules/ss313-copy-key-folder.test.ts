import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import ss304 from "./ss304-copy-secret-files.js";
import rule from "./ss313-copy-key-folder.js";

describe("SS313 copy-key-folder", () => {
  it("catches COPY keys/ /app/keys/ (issue #16: a key folder SS304 does not see)", () => {
    catches(rule, "FROM debian:12\nCOPY keys/ /app/keys/", 1);
    catchesNot(ss304, "FROM debian:12\nCOPY keys/ /app/keys/");
  });
  it("catches the copy between stages that optimize wrote: COPY --from=test /app/keys ./keys", () => {
    const [f] = catches(
      rule,
      "FROM debian:12 AS test\nRUN true\nFROM debian:12\nCOPY --from=test /app/keys ./keys",
      1,
    );
    if (!f?.message.includes("from stage test")) throw new Error(f?.message);
  });
  it("catches a file inside a credential folder: COPY config/.aws/config /root/.aws/", () => {
    catches(rule, "FROM debian:12\nCOPY config/.aws/config /root/.aws/", 1);
  });
  it("catches an id_* key with a suffix: COPY deploy/id_ed25519_ci /root/", () => {
    catches(rule, "FROM debian:12\nCOPY deploy/id_ed25519_ci /root/", 1);
  });
  it("catches .ssh copied from another stage (SS304 skips --from)", () => {
    catches(rule, "FROM debian:12 AS b\nRUN true\nFROM debian:12\nCOPY --from=b /root/.ssh /root/.ssh", 1);
  });
  it("leaves a plain COPY .ssh to SS304, which reports it", () => {
    catchesNot(rule, "FROM debian:12\nCOPY .ssh /root/.ssh");
    catches(ss304, "FROM debian:12\nCOPY .ssh /root/.ssh", 1);
  });
  it("passes public keys and ordinary folders", () => {
    catchesNot(
      rule,
      "FROM debian:12\nCOPY deploy/id_ed25519.pub /etc/ssh/\nCOPY keyboard/ /app/\nCOPY src/ /app/",
    );
  });
  it("catches any file inside keys/: the folder is where keys live", () => {
    catches(rule, "FROM debian:12\nCOPY keys/README.md /app/", 1);
  });
  it("passes stages the target does not need", () => {
    catchesNot(rule, "FROM debian:12 AS unused\nCOPY keys/ /k/\nFROM debian:12\nRUN true");
  });
});
