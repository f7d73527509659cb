import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss320-copy-from-image-unpinned.js";

describe("SS320 copy-from-image-unpinned", () => {
  it("catches an untagged image", () =>
    catches(rule, "FROM alpine:3.22\nCOPY --from=busybox /bin/busybox /bin/", 1));
  it("catches :latest", () =>
    catches(rule, "FROM alpine:3.22\nCOPY --from=docker:latest /usr/local/bin/docker /usr/local/bin/", 1));
  it("passes a tagged image", () =>
    catchesNot(rule, "FROM alpine:3.22\nCOPY --from=docker:28-cli /usr/local/bin/docker /usr/local/bin/"));
  it("passes a stage", () =>
    catchesNot(rule, "FROM alpine:3.22 AS tools\nFROM alpine:3.22\nCOPY --from=tools /x /x"));
  it("passes a stage index", () =>
    catchesNot(rule, "FROM alpine:3.22\nFROM alpine:3.22\nCOPY --from=0 /x /x"));
});
