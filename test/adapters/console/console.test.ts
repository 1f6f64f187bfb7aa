// The console adapter end to end: the real `npm run console` entry point in a child process.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { startOpenAlexStub, type OpenAlexStub } from "../../support/openalex-stub.js";
import { CONSOLE_CLI } from "./consoleTesting.js";

// Each case starts real Node processes; a loaded 2-core machine needs more than the default.
vi.setConfig({ testTimeout: 120_000 });

const run = promisify(execFile);
const CLI = CONSOLE_CLI;
let t: TestDatabase;
let openalex: OpenAlexStub;

beforeAll(async () => {
  [t, openalex] = await Promise.all([createTestDatabase(), startOpenAlexStub()]);
  await seedDemo(t.db);
});
afterAll(async () => {
  await openalex?.close();
  await t.drop();
});

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: t.url,
  LOG_LEVEL: "silent" as const,
  OPENALEX_API_URL: openalex.url,
  OPENALEX_API_KEY: "test-openalex-key",
  ...extra,
});

async function consoleOnce(...args: string[]) {
  const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: env() });
  return { stdout, stderr };
}

describe("npm run console, looking people up in OpenAlex", () => {
  it("imports someone never seen inline, with a progress line, and prints the complete card", async () => {
    const { stdout, stderr } = await consoleOnce("/researcher Marta Quillfeather");
    expect(stdout).toMatch(/^Marta Quillfeather$/m);
    expect(stdout).toMatch(/Counts\s+14 works/);
    expect(stdout).not.toMatch(/Still importing/);
    expect(stderr).toMatch(/Importing works from OpenAlex: 14 of 14/);
    expect(openalex.requests.every((r) => r.query.api_key === "test-openalex-key")).toBe(true);
  });

  it("lists a surname's namesakes from OpenAlex, and a repeat lookup sends no second search", async () => {
    const { stdout } = await consoleOnce("/researcher Quillfeather");
    expect(stdout).toMatch(/Several researchers match “Quillfeather”/);
    expect(stdout).toMatch(/Mårten Quillfeather/);
    const searches = () => openalex.requests.filter((r) => r.query.search === "Quillfeather").length;
    expect(searches()).toBe(1);
    await consoleOnce("/researcher Quillfeather");
    expect(searches()).toBe(1);
  });

  it("finds people by ORCID URL and OpenAlex URL", async () => {
    expect((await consoleOnce("/researcher https://openalex.org/A5200000002")).stdout).toMatch(/^Mårten Quillfeather$/m);
    expect((await consoleOnce("/researcher https://orcid.org/0000-0000-0000-0028")).stdout).toMatch(/^Marta Quillfeather$/m);
  });

  it("says OpenAlex cannot be reached, and still answers for researchers already here", async () => {
    const down = { env: env({ OPENALEX_API_URL: "http://127.0.0.1:9" }) };
    const miss = await run(process.execPath, [...CLI, "/researcher Zebedee Nobody"], down);
    expect(miss.stdout).toMatch(/cannot be reached right now/);
    const hit = await run(process.execPath, [...CLI, "/researcher Jonathan Frankle"], down);
    expect(hit.stdout).toMatch(/^Jonathan Frankle$/m);
  });

  it("refuses politely when the day's budget is spent", async () => {
    const spent = await run(process.execPath, [...CLI, "/researcher Zebedee Quillfeather"], { env: env({ OPENALEX_DAILY_BUDGET_USD: "0" }) });
    expect(spent.stdout).toMatch(/used today's OpenAlex allowance/);
  });

  it("shows an admin today's OpenAlex requests and spend by kind, and nobody else", async () => {
    const { stdout } = await consoleOnce("/researcher usage", "--as", "alice");
    const day = /OpenAlex usage on (\d{4}-\d{2}-\d{2}) \(UTC\)/.exec(stdout)?.[1];
    expect(day).toBeDefined();
    const rows = await t.db.openAlexUsage.findMany({ where: { day: new Date(`${day}T00:00:00Z`) } });
    const count = (kind: string) => rows.find((r) => r.kind === kind)?.requests ?? 0;
    expect(count("search")).toBeGreaterThan(0);
    const spent = count("search") / 1000 + count("list") / 10_000;
    expect(stdout).toMatch(new RegExp(`Spent\\s+\\$${spent.toFixed(4)} of \\$1\\.00`));
    expect(stdout).toMatch(new RegExp(`Searches \\(\\$1 per 1,000\\)\\s+${count("search")} requests? · \\$${(count("search") / 1000).toFixed(4)}`));
    expect(stdout).toMatch(new RegExp(`Single records \\(free\\)\\s+${count("singleton")} requests? · \\$0\\.00`));
    expect(stdout).toMatch(new RegExp(`Lists \\(\\$0\\.10 per 1,000\\)\\s+${count("list")} requests?`));
    expect((await consoleOnce("/researcher usage", "--as", "bob")).stdout).toMatch(/Only workspace admins can see the OpenAlex usage/);
  });
});

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
    expect(out).toMatch(/ℹ You now follow Jonathan Frankle/); // the card is redrawn in place with the note
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
