// What a card says while a live import is under way, and how an old profile is refreshed behind
// its stored card (stale-while-revalidate). The import queue here only records what was queued;
// each spec then runs the queued job the way the import worker does, so every step is observable.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../src/adapters/console/ConsoleAdapter.js";
import { type Core, createCore } from "../../src/core/Core.js";
import type { LiveLookup } from "../../src/core/search/LiveLookup.js";
import { testClock, type TestClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { liveLookupFor } from "../support/liveLookup.js";
import { loadOpenAlexFixtures, QUILLFEATHER, startOpenAlexStub, type OpenAlexJson, type OpenAlexStub } from "../support/openalex-stub.js";

const DAY_MS = 86_400_000;
const STALE_AFTER_MS = 7 * DAY_MS;
const MARTA = QUILLFEATHER.marta;

let t: TestDatabase;
let stub: OpenAlexStub;
let core: Core;
let clock: TestClock;
let live: LiveLookup;
let shell: ConsoleAdapter;
const queued: number[] = [];

/** Runs the queued imports as the import worker would. */
async function runQueuedImports() {
  while (queued.length > 0) await live.completeImport(queued.shift()!);
}

beforeAll(async () => {
  [t, stub] = await Promise.all([createTestDatabase(), startOpenAlexStub()]);
  clock = testClock();
  core = createCore({ clock, db: t.db, log: { error: () => {} } });
  live = liveLookupFor(core, stub.url, {
    staleAfterMs: STALE_AFTER_MS,
    queue: { enqueueImport: async (researcherId) => void queued.push(researcherId) },
  }).live;
  core.live = live;
  shell = new ConsoleAdapter(core, consoleContext("ada"));
});
afterAll(async () => {
  await stub?.close();
  await t?.drop();
});
beforeEach(() => {
  stub.requests.length = 0;
});

describe("a card while the import is running", () => {
  it("says which figures are still arriving, and drops the note once the import is done", async () => {
    const first = await shell.answer(`/researcher ${MARTA.displayName}`);
    expect(first).toMatch(/^Marta Quillfeather$/m);
    // The first works page (5) is stored; OpenAlex says there are 14.
    expect(first).toMatch(/Counts\s+5 of 14 works so far/);
    expect(first).toMatch(/Still importing from OpenAlex: works and close collaborators are arriving, so those counts will grow\./);
    const researcher = await t.db.researcher.findUniqueOrThrow({ where: { openalexId: MARTA.openalexId } });
    expect(queued).toEqual([researcher.id]);

    await runQueuedImports();
    const done = await shell.answer(`/researcher ${MARTA.displayName}`);
    expect(done).toMatch(/Counts\s+14 works/);
    expect(done).not.toMatch(/so far|Still importing/);
  });
});

describe("stale-while-revalidate", () => {
  it("shows the stored card of a profile past its age at once, and refreshes it in the background", async () => {
    const before = await t.db.researcher.findUniqueOrThrow({ where: { openalexId: MARTA.openalexId } });
    expect(before.citedByCount).toBe(1234);

    // A week and a day later OpenAlex knows one more paper and more citations.
    clock.advance(STALE_AFTER_MS + DAY_MS);
    const fixtures = loadOpenAlexFixtures();
    const author = structuredClone(fixtures.authors.find((a) => a.id.endsWith(MARTA.openalexId))!);
    stub.addAuthor({ ...author, works_count: 15, cited_by_count: 1300 });
    const template = fixtures.works.find((w) => w.id.endsWith("W5200000001"))!;
    const newWork: OpenAlexJson = {
      ...structuredClone(template),
      id: "https://openalex.org/W5200000099",
      ids: { openalex: "https://openalex.org/W5200000099" },
      title: "A fixture paper from after the first import",
      display_name: "A fixture paper from after the first import",
      publication_year: 2026,
      publication_date: "2026-11-20",
    };
    stub.addWork(newWork);

    const stale = await shell.answer(`/researcher ${MARTA.displayName}`);
    // The stored card, straight away: nothing was asked of OpenAlex before it was shown.
    expect(stale).toMatch(/Counts\s+14 works/);
    expect(stale).not.toMatch(/fixture paper from after the first import/);
    expect(stub.requests).toEqual([]);
    expect(queued).toEqual([before.id]);

    await runQueuedImports();
    const paths = stub.requests.map((r) => r.path);
    expect(paths).toContain(`/authors/${MARTA.openalexId}`);
    expect(stub.requests.filter((r) => r.path === "/works" && r.query.filter?.includes(MARTA.openalexId)).length).toBeGreaterThan(0);
    expect(stub.requests.filter((r) => r.query.search !== undefined)).toEqual([]);

    const after = await t.db.researcher.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.citedByCount).toBe(1300);
    expect(after.sourceWorksCount).toBe(15);
    expect(after.fetchedAt!.getTime()).toBeGreaterThanOrEqual(before.fetchedAt!.getTime() + STALE_AFTER_MS);
    expect(after.worksImportedAt!.getTime()).toBe(after.fetchedAt!.getTime());

    stub.requests.length = 0;
    const fresh = await shell.answer(`/researcher ${MARTA.displayName}`);
    expect(fresh).toMatch(/Counts\s+15 works/);
    expect(fresh).toMatch(/A fixture paper from after the first import/);
    expect(fresh).not.toMatch(/Still importing/);
    // Fresh again: no second refresh, no request.
    expect(queued).toEqual([]);
    expect(stub.requests).toEqual([]);
  });

  it("leaves a profile younger than the configured age alone", async () => {
    clock.advance(STALE_AFTER_MS - DAY_MS);
    expect(await shell.answer(`/researcher ${MARTA.displayName}`)).toMatch(/Counts\s+15 works/);
    expect(queued).toEqual([]);
    expect(stub.requests).toEqual([]);
  });
});
