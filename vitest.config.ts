import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each test file gets its own database (cloned from a migrated template) and Redis prefix,
    // so files can run in parallel without seeing each other's rows or jobs.
    fileParallelism: true,
    maxWorkers: 2,
    // No test may reach the real OpenAlex: a process that is not pointed at the stand-in finds a closed port.
    env: { OPENALEX_API_URL: "http://127.0.0.1:9" },
  },
});
