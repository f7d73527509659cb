import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss113-add-instead-of-copy.js";

describe("SS113 add-instead-of-copy", () => {
  it("catches ADD app.py /app/", () => {
    catches(rule, "FROM debian:12\nADD app.py /app/", 1);
  });
  it("catches ADD file.zip /x/", () => {
    catches(rule, "FROM debian:12\nADD file.zip /x/", 1);
  });
  it("passes ADD rootfs.tar.xz /", () => {
    catchesNot(rule, "FROM debian:12\nADD rootfs.tar.xz /");
  });
  it("passes ADD https://example.com/x /x", () => {
    catchesNot(rule, "FROM debian:12\nADD https://example.com/x /x");
  });
});
