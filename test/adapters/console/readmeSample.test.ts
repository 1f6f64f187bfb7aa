// The README's sample card is what the console prints: the real one-shot CLI on the demo data,
// compared line by line with the block under `$ npm run console -- "…"` in README.md. A line that
// is only "…" there stands for any number of printed lines.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { runConsoleOnce } from "./consoleTesting.js";

vi.setConfig({ testTimeout: 120_000 });
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
});
afterAll(() => t.drop());

/** The first README sample: the command it shows and the lines it says the console prints. */
function readmeSample(): { command: string; lines: string[] } {
  const readme = readFileSync("README.md", "utf8");
  const match = /```\n\$ npm run console -- "([^"]+)"\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no sample block starting with $ npm run console -- "…"');
  return {
    command: match[1]!,
    lines: match[2]!
      .trimEnd()
      .split("\n")
      .map((l) => l.trimEnd()),
  };
}

/** Lines of `expected` that `actual` does not show in order ("…" skips ahead to the next expected line). */
function unmatched(expected: string[], actual: string[]): string[] {
  const missing: string[] = [];
  let at = 0;
  let skipping = false;
  for (const line of expected) {
    if (line.trim() === "…") {
      skipping = true;
      continue;
    }
    const found = skipping ? actual.indexOf(line, at) : actual[at] === line ? at : -1;
    if (found === -1) missing.push(line);
    else at = found + 1;
    skipping = false;
  }
  return missing;
}

it("shows in the README exactly the card the console prints for the demo researcher", async () => {
  const { command, lines } = readmeSample();
  const { stdout } = await runConsoleOnce([command], { DATABASE_URL: t.url, LOG_LEVEL: "silent" });
  const printed = stdout
    .trimEnd()
    .split("\n")
    .map((l) => l.trimEnd());
  expect(unmatched(lines, printed), `README sample vs console output:\n${stdout}`).toEqual([]);
  // The sample ends where the output ends: the actions line is the last one printed.
  expect(lines.at(-1)).toBe(printed.at(-1));
});

it("notices a README line the console does not print", () => {
  expect(unmatched(["a", "b"], ["a", "c"])).toEqual(["b"]);
  expect(unmatched(["a", "    …", "d"], ["a", "b", "c", "d"])).toEqual([]);
  expect(unmatched(["a", "    …", "x"], ["a", "b"])).toEqual(["x"]);
});
