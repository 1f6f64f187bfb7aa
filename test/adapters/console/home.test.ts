// `/researcher home` in the console: the dashboard as text, every button numbered across its sections,
// so typing a section's "More" number shows that section's next page and leaves the others as they were.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import { createCore } from "../../../src/core/Core.js";
import { HOME_SECTION_SIZE } from "../../../src/core/home/HomeService.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../../../src/sources/demo/seedNeighbours.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

let t: TestDatabase;
let dir: string;
let core: ReturnType<typeof createCore>;
const oneLine = (s: string) => s.replace(/\s+/g, " ");

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  await seedNeighbours(t.db);
  dir = mkdtempSync(join(tmpdir(), "peerlink-home-"));
  core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
  const { accountId } = await core.accounts.resolve(consoleContext("dana").actor);
  const people = await t.db.researcher.findMany({ orderBy: { id: "asc" }, take: HOME_SECTION_SIZE + 1, select: { id: true } });
  await t.db.follow.createMany({ data: people.map((p) => ({ accountId, researcherId: p.id })) });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

/** The number the console printed before `label` in the section titled `title`. */
function numberOf(out: string, title: RegExp, label: string): string {
  const from = out.search(title);
  const n = new RegExp(`\\[(\\d+)\\] ${label}`).exec(out.slice(from))?.[1];
  if (from < 0 || !n) throw new Error(`no ${label} under ${title} in:\n${out}`);
  return n;
}

it("shows the dashboard and pages the follows by number", async () => {
  const dana = new ConsoleAdapter(core, consoleContext("dana"), dir);
  const home = await dana.answer("/researcher home");
  for (const section of [
    "Your claims",
    "Invitations waiting for you (0)",
    `Researchers you follow (${HOME_SECTION_SIZE + 1})`,
    "This week's notifications (0)",
    "Invitations you sent",
  ])
    expect(home).toContain(section);
  expect(oneLine(home)).toContain("You haven't claimed an author profile.");
  expect(home).toContain("Page 1 of 2");
  // every number is one button: the Unfollows of page 1, then the section's More
  expect(numberOf(home, /Researchers you follow/, "More")).toBe(String(HOME_SECTION_SIZE + 1));

  const page2 = await dana.answer(numberOf(home, /Researchers you follow/, "More"));
  expect(page2).toContain("Page 2 of 2");
  expect(page2).toMatch(/\[\d+\] Previous/);
  expect(await dana.answer(numberOf(page2, /Researchers you follow/, "Previous"))).toContain("Page 1 of 2");
});
