import dockerignore, { type Ignore } from "@balena/dockerignore";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { pythonDockerignore } from "./dockerignore.js";
import { optimizeProject } from "./optimize.js";
import type { PythonProject } from "./project.js";
import { findSecretFiles } from "./secrets.js";
import { poetryProject, writeFixture } from "./testdata/fixtures.js";

// Not a real key: the header alone is what the check reads.
const FAKE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n";

// The package is CommonJS with a default export (as optimize.ts unwraps it).
const ignore = ((dockerignore as { default?: unknown }).default ?? dockerignore) as () => Ignore;

describe("secrets in optimize", () => {
  it("the generated .dockerignore leaves keys and credential files out", () => {
    const text = pythonDockerignore({} as PythonProject);
    for (const p of [
      "**/*.pem",
      "**/*.key",
      "**/id_ed25519*",
      "**/.ssh",
      "**/.aws",
      "**/.npmrc",
      "**/.pypirc",
      "**/.netrc",
      "**/.env",
    ])
      expect(text.split("\n")).toContain(p);
  });

  it("the compose files stay out of the context in every spelling (compose.yaml included)", () => {
    const ig = ignore().add(pythonDockerignore({} as PythonProject).split("\n"));
    for (const f of ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.prod.yml"])
      expect(ig.ignores(f), f).toBe(true);
    expect(ig.ignores("app.py")).toBe(false);
  });

  it("finds key files by name and by content, and honours an allowed path", async () => {
    const { dir, cleanup } = await writeFixture({
      "keys/id_ed25519": FAKE_KEY,
      "keys/id_ed25519.pub": "ssh-ed25519 AAAA user@host\n",
      "config/deploy.txt": FAKE_KEY,
      "certs/server.pem": "-----BEGIN CERTIFICATE-----\n",
      "app.py": "print('hi')\n",
    });
    try {
      const all = [
        "keys/id_ed25519",
        "keys/id_ed25519.pub",
        "config/deploy.txt",
        "certs/server.pem",
        "app.py",
      ];
      const found = await findSecretFiles(dir, all);
      expect(found.map((f) => f.file)).toEqual(["keys/id_ed25519", "config/deploy.txt", "certs/server.pem"]);
      expect(found[1]?.why).toContain("private key");
      const allowed = await findSecretFiles(dir, all, ["./certs/server.pem"]);
      expect(allowed.map((f) => f.file)).toEqual(["keys/id_ed25519", "config/deploy.txt"]);
    } finally {
      await cleanup();
    }
  });

  it("optimize refuses a private key the .dockerignore does not catch, unless allowed", async () => {
    const { dir, cleanup } = await writeFixture({
      ...poetryProject,
      "keys/deploy_key": FAKE_KEY,
      "keys/id_ed25519": FAKE_KEY,
    });
    try {
      const err = await optimizeProject(dir, { planOnly: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toContain("keys/deploy_key (holds a private key");
      // id_ed25519 is already left out by the generated .dockerignore: not named.
      expect((err as InputError).message).not.toContain("keys/id_ed25519");
      expect((err as InputError).hint).toContain("--allow-secret");
      const ok = await optimizeProject(dir, { planOnly: true, allowSecrets: ["keys/deploy_key"] });
      expect(ok.dockerignore).toContain("!keys/deploy_key");
    } finally {
      await cleanup();
    }
  });
});
