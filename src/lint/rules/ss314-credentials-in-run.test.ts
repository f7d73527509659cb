import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss314-credentials-in-run.js";

const df = (run: string) => `FROM debian:12\nRUN ${run}`;

describe("SS314 credentials-in-run", () => {
  it("catches curl -u admin:s3cr3t (issue #16) without repeating the password", () => {
    const [f] = catches(rule, df("curl -fsSL -u admin:s3cr3t -o /tmp/x https://repo.example.com/x"), 1);
    expect(f?.message).not.toContain("s3cr3t");
  });
  it("catches --user=admin:s3cr3t and wget --password", () => {
    catches(rule, df("curl --user=admin:s3cr3t https://h/x"), 1);
    catches(rule, df("wget --user admin --password s3cr3t https://h/x"), 1);
    catches(rule, df("wget --http-password=s3cr3t https://h/x"), 1);
  });
  it("catches a URL with user:password", () => {
    const [f] = catches(
      rule,
      df("pip install --index-url https://bob:hunter2@pypi.example.com/simple flask"),
      1,
    );
    expect(f?.message).not.toContain("hunter2");
    catches(rule, df("git clone https://ci:ghp_abc123@github.com/org/repo.git"), 1);
  });
  it("catches docker login -p", () => {
    catches(rule, df("docker login -u me -p s3cr3t registry.example.com"), 1);
  });
  it("catches writing a .netrc, by redirection or tee, and netrc text", () => {
    catches(rule, df("echo 'machine repo.example.com login admin password s3cr3t' > /root/.netrc"));
    catches(rule, df("printf '%s' \"$NETRC\" > ~/.netrc"), 1);
    catches(rule, df("echo x | tee /root/.git-credentials"), 1);
  });
  it("passes credentials taken from variables or secret mounts", () => {
    catchesNot(rule, df('curl -u "$USER:$TOKEN" https://h/x'));
    catchesNot(rule, df("curl -u admin:$TOKEN https://h/x"));
    catchesNot(rule, df("docker login -u me --password-stdin < /run/secrets/pw"));
    catchesNot(rule, df("git clone https://$GH_USER:$GH_TOKEN@github.com/org/repo.git"));
    catchesNot(
      rule,
      "FROM debian:12\nRUN --mount=type=secret,id=netrc,target=/root/.netrc curl --netrc https://h/x",
    );
  });
  it("passes ordinary commands: -u meaning something else, URLs without passwords", () => {
    catchesNot(rule, df("useradd -u 1000 app && sort -u list && curl https://user@h.example.com/x"));
    catchesNot(rule, df("cat ~/.netrc.example && ls > /tmp/netrc-list"));
  });
});
