import { configDefaults, defineConfig } from "vitest/config";

/**
 * Specs that measure time to the platform's limit (an ack inside Slack's 3 s, in-process, under load):
 * they run after everything else and alone, because beside a spec that spawns `npm start`
 * processes the two cores are saturated and what they measure is the neighbour, not Peerlink.
 */
const TIMING = ["test/adapters/load.test.ts"];

export default defineConfig({
  test: {
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
    // Two groups, one after the other: the suite, then the timing specs on a quiet machine.
    projects: [
      {
        extends: true,
        test: { name: "suite", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...TIMING], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "timing", include: TIMING, sequence: { groupOrder: 1 } } },
    ],
    // Only with --coverage (npm run test:coverage; CI runs npm test -- --coverage): the report goes
    // to coverage/ (index.html), and a run below the floor fails. The floor sits just under what the
    // suite covered when it was set: raise it when coverage rises, never lower it.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/db/generated/**"],
      reporter: ["text-summary", "html", "json-summary"],
      reportsDirectory: "coverage",
      // Measured 2026-12-01: statements 87.4 %, branches 75.9 %, functions 88.7 %, lines 90.9 %.
      thresholds: { statements: 86, branches: 74, functions: 87, lines: 89 },
    },
  },
});
