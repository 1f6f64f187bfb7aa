// The console adapter end to end: the real `npm run console` entry point in a child process.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

// Each case starts real Node processes; a loaded 2-core machine needs more than the default.
vi.setConfig({ testTimeout: 120_000 });

const run = promisify(execFile);
/** What `npm run console --` runs, without npm's start-up cost. */
const CLI = ["--import", "tsx", "src/adapters/console/cli.ts"];
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
});
afterAll(() => t.drop());

const env = () => ({ ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" as const });

async function consoleOnce(...args: string[]) {
  const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: env() });
  return { stdout, stderr };
}

describe("npm run console", () => {
  it("prints Jonathan Frankle's card with 8 works, tier Emerging, L1, unclaimed, and exits 0", async () => {
    const { stdout } = await consoleOnce("/researcher Jonathan Frankle");
    expect(stdout).toMatch(/^Jonathan Frankle$/m);
    expect(stdout).toMatch(/Counts\s+8 works · 0 followers · 3 topics · 2 close collaborators/);
    expect(stdout).toMatch(/Trust\s+21 · Emerging/);
    expect(stdout).toMatch(/Verification\s+L1/);
    expect(stdout).toMatch(/Claim\s+Unclaimed author/);
    expect(stdout).toMatch(/preprint · 2024 · arXiv/);
  });

  it("acts as another local user with --as", async () => {
    await consoleOnce("/researcher follow Jonathan Frankle", "--as", "alice");
    const { stdout } = await consoleOnce("/researcher following", "--as", "alice");
    expect(stdout).toMatch(/You follow 1 researcher/);
    const other = await consoleOnce("/researcher following", "--as", "bob");
    expect(other.stdout).toMatch(/You don't follow anyone yet/);
  });

  it.each([
    ["an unknown subcommand-like option", "/researcher --frobnicate", /Unknown option/],
    ["over-long input", `/researcher ${"a".repeat(1200)}`, /too long/],
    ["control characters", "/researcher Jon\u001b[31mathan", /control characters/],
    ["an unknown name", "/researcher Qwxyz Plorf", /No researcher found/],
  ])("answers %s with a clear message and exit code 0", async (_what, input, message) => {
    const { stdout, stderr } = await consoleOnce(input);
    expect(stdout).toMatch(message);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("runs an interactive shell where numbers press the last reply's buttons", async () => {
    const child = spawn(process.execPath, [...CLI, "--as", "carol"], { env: env() });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stdin.end("/researcher Jonathon Frankel\n1\n/researcher help\n99\n\u0000\nexit\n");
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/Actions: \[1\] Follow/);
    expect(out).toMatch(/✓ You now follow Jonathan Frankle/);
    expect(out).toMatch(/Peerlink commands/);
    expect(out).toMatch(/There is no action with that number/);
    expect(out).toMatch(/control characters/);
  });

  it("stops with one clear line when the database cannot be reached", async () => {
    const failed = await run(process.execPath, [...CLI, "help"], {
      env: { ...env(), DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    const { stderr } = failed as { stderr: string };
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  });
});
