import { defineConfig } from "vitest/config";

// Two projects: `unit` needs no engine and runs in seconds; `engine` talks to
// the real Docker engine that scripts/test.sh starts (never mocked).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "bench/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
          // src/plan/testdata holds projects that optimize builds (their tests run inside their images).
          exclude: ["**/*.engine.test.ts", "**/node_modules/**", "src/plan/testdata/**"],
          testTimeout: 20_000,
          setupFiles: ["test/host-path-guard.ts"],
        },
      },
      {
        test: {
          name: "engine",
          include: ["src/**/*.engine.test.ts", "examples/**/*.engine.test.ts", "test/**/*.engine.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          // Engine tests share one engine and two cores: run files one at a time.
          fileParallelism: false,
          globalSetup: ["test/engine-setup.ts"],
          setupFiles: ["test/host-path-guard.ts"],
        },
      },
    ],
  },
});
