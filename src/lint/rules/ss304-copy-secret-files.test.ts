import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss304-copy-secret-files.js";

describe("SS304 copy-secret-files", () => {
  it("catches COPY id_rsa /root/.ssh/id_rsa", () => {
    catches(rule, "FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa", 1);
  });
  it("catches COPY config/.env /app/", () => {
    catches(rule, "FROM debian:12\nCOPY config/.env /app/", 1);
  });
  it("catches COPY server.key tls/", () => {
    catches(rule, "FROM debian:12\nCOPY server.key tls/", 1);
  });
  it("passes COPY .env.example /app/", () => {
    catchesNot(rule, "FROM debian:12\nCOPY .env.example /app/");
  });
  it("passes COPY src/ /app/", () => {
    catchesNot(rule, "FROM debian:12\nCOPY src/ /app/");
  });
});
