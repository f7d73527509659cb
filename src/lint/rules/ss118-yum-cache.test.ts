import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss118-yum-cache.js";

describe("SS118 yum-cache", () => {
  it("catches RUN yum install -y httpd", () => {
    catches(rule, "FROM centos:7\nRUN yum install -y httpd", 1);
  });
  it("passes RUN yum install -y httpd && yum clean all", () => {
    catchesNot(rule, "FROM centos:7\nRUN yum install -y httpd && yum clean all");
  });
  it("catches RUN yum clean all && yum install -y httpd", () => {
    catches(rule, "FROM centos:7\nRUN yum clean all && yum install -y httpd", 1);
  });
});
