// Issue #13 part 3, "Replies that help", through the console adapter: what a newcomer types and reads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import { createCore } from "../../../src/core/Core.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { testClock } from "../../support/clock.js";

let t: TestDatabase;
let dir: string;
let core: ReturnType<typeof createCore>;
/** The console wraps long lines at 96 columns; specs compare the words. */
const oneLine = (s: string) => s.replace(/\s+/g, " ");
const as = (name: string) => new ConsoleAdapter(core, consoleContext(name), dir);

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  dir = mkdtempSync(join(tmpdir(), "peerlink-replies-"));
  core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

describe("console: mistyped commands", () => {
  it("answers a mistyped subcommand with “Did you mean follow?” and its usage, not a name search", async () => {
    const out = await as("tester").answer("/researcher folow Jonathan Frankle");
    expect(out).toMatch(/^! Did you mean follow\? “folow” is not a command\./);
    expect(out).toContain("Usage: /researcher follow <name | ORCID iD | OpenAlex id>");
    expect(out).toContain("Type: /researcher follow Jonathan Frankle");
    expect(out).not.toMatch(/No researcher found/);
  });

  it("still looks up a name whose first word is not a command", async () => {
    expect(await as("tester").answer("/researcher Jonathan Frankle")).toMatch(/^Jonathan Frankle\n/);
  });

  it("says a lone unknown word is neither a command nor a name, and how to look someone up", async () => {
    const out = oneLine(await as("tester").answer("/researcher frobnicate"));
    expect(out).toContain("“frobnicate” is not a command.");
    expect(out).toContain("No researcher found for “frobnicate”");
    expect(out).toContain("type /researcher and their name (e.g. /researcher Jonathan Frankle); /researcher help lists every command");
  });

  it("tells a line that does not start with /researcher how commands start", async () => {
    expect(await as("tester").answer("follow Jonathan Frankle")).toBe(
      "ℹ Commands start with /researcher. Did you mean “/researcher follow Jonathan Frankle”? Type /researcher help for every command, or the number of an action to use it.",
    );
    expect(await as("tester").answer("/reseacher help")).toContain("Did you mean “/researcher help”?");
    expect(await as("tester").answer("/help")).toContain("Did you mean “/researcher help”?");
  });
});

describe("console: abstracts", () => {
  it("prints the demo's arXiv abstracts without TeX escapes", async () => {
    const out = oneLine(
      (await as("tester").answer("/researcher works Jonathan Frankle")) + (await as("tester").answer("/researcher works Jonathan Frankle 2")),
    );
    expect(out).toContain("is that — after just a few hundred steps");
    expect(out).toContain("Neural network pruning—the task");
    expect(out).not.toMatch(/\\unicode|---/);
  });
});
