import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_PICTURES, ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import { createCore } from "../../../src/core/Core.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { pngSize } from "../../support/png.js";
import { testClock } from "../../support/clock.js";

let t: TestDatabase;
let adapter: ConsoleAdapter;
let dir: string;
let frankleId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId: frankleId } = await seedDemo(t.db));
  dir = mkdtempSync(join(tmpdir(), "peerlink-console-"));
  adapter = new ConsoleAdapter(createCore({ clock: testClock(), db: t.db, log: { error: () => {} } }), consoleContext("tester"), dir);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

describe("console: pictures", () => {
  it("writes the research graph to a PNG file and prints its path after the list", async () => {
    const out = await adapter.answer("/researcher graph Jonathan Frankle");
    expect(out).toMatch(/^Research graph: Jonathan Frankle\n/);
    expect(out).toContain("• Gintare Karolina Dziugaite — [1] View profile\n  Co-author · 3 shared works · latest 2024");
    const path = out
      .trimEnd()
      .split("\n")
      .at(-1)!
      .replace(/^Picture: /, "");
    expect(path).toMatch(new RegExp(`^${dir}/research-graph-${frankleId}-2026\\d{4}-\\d{6}\\.png$`));
    expect(pngSize(readFileSync(path))).toEqual({ width: 1200, height: 800 });
  });

  it("writes one file per render, so a second graph keeps the first", async () => {
    const pictureOf = async () =>
      (await adapter.answer("/researcher graph Jonathan Frankle"))
        .trimEnd()
        .split("\n")
        .at(-1)!
        .replace(/^Picture: /, "");
    const [first, second] = [await pictureOf(), await pictureOf()];
    expect(second).not.toBe(first);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining([basename(first), basename(second)]));
  });

  it("puts pictures in the project's git-ignored pictures/ folder by default", () => {
    expect(CONSOLE_PICTURES).toBe(join(process.cwd(), "pictures/"));
    expect(readFileSync(".gitignore", "utf8").split("\n")).toContain("pictures/");
  });

  it("prints no picture line for replies without one", async () => {
    expect(await adapter.answer("/researcher Jonathan Frankle")).not.toContain("Picture:");
  });
});
