import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss115-chown-in-later-layer.js";

describe("SS115 chown-in-later-layer", () => {
  it("catches RUN chown -R www-data /srv/app", () => {
    catches(rule, "FROM debian:12\nCOPY app /srv/app\nRUN chown -R www-data /srv/app", 1);
  });
  it("catches RUN chmod -R g+w .", () => {
    catches(rule, "FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN chmod -R g+w .", 1);
  });
  it("passes COPY --chown=www-data app /srv/app", () => {
    catchesNot(rule, "FROM debian:12\nCOPY --chown=www-data app /srv/app");
  });
  it("passes RUN chown -R www-data /var/log/app", () => {
    catchesNot(rule, "FROM debian:12\nCOPY app /srv/app\nRUN chown -R www-data /var/log/app");
  });
});
