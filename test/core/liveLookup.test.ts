// Live lookup through the console adapter: local data first, then the OpenAlex stand-in, merged
// into one pick list; a strong match imports and shows the card; repeats cost nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../src/adapters/console/ConsoleAdapter.js";
import { type Core, createCore } from "../../src/core/Core.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { testClock, type TestClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { liveLookupFor, TEST_API_KEY } from "../support/liveLookup.js";
import { FRANKLE, QUILLFEATHER, startOpenAlexStub, type OpenAlexStub } from "../support/openalex-stub.js";

let t: TestDatabase;
let stub: OpenAlexStub;
let core: Core;
let clock: TestClock;
let consoleUser: ConsoleAdapter;

const searches = () => stub.requests.filter((r) => r.query.search !== undefined);

beforeAll(async () => {
  [t, stub] = await Promise.all([createTestDatabase(), startOpenAlexStub()]);
  await seedDemo(t.db);
  clock = testClock();
  core = createCore({ clock, db: t.db, log: { error: () => {} } });
  core.live = liveLookupFor(core, stub.url).live;
  consoleUser = new ConsoleAdapter(core, consoleContext("ada"));
});
afterAll(async () => {
  await stub?.close();
  await t?.drop();
});
beforeEach(() => {
  stub.requests.length = 0;
});

describe("live lookup", () => {
  it("answers a surname with a pick list from OpenAlex, with the hints needed to choose", async () => {
    const out = await consoleUser.answer("/researcher Quillfeather");
    expect(out).toMatch(/Several researchers match “Quillfeather”/);
    expect(out).toMatch(
      /Marta Quillfeather.*\n.*Fictional Institute of Fixture Studies · 14 works · 1,234 citations · Fixture Glaciology · ORCID 0000-0000-0000-0028 · OpenAlex/,
    );
    expect(out).toMatch(/Mårten Quillfeather.*\n.*no institution listed · 3 works · 12 citations · no ORCID/);
    expect(out).toMatch(/M\. Quillfeather/);
    expect(searches()).toHaveLength(1);
    expect(stub.requests.every((r) => r.query.api_key === TEST_API_KEY)).toBe(true);
  });

  it("picking someone from that list imports them and shows their card", async () => {
    await consoleUser.answer("/researcher Quillfeather");
    expect(searches()).toHaveLength(0); // the same search again is answered from the cache
    const marten = await consoleUser.answer("2"); // Mårten, the second by citations
    expect(marten).toMatch(/^Mårten Quillfeather$/m);
    expect(marten).toMatch(/Counts\s+3 works/);
  });

  it("answers a full name with the card at once, every work imported", async () => {
    const out = await consoleUser.answer("/researcher Marta Quillfeather");
    expect(out).toMatch(/^Marta Quillfeather$/m);
    expect(out).toMatch(/https:\/\/openalex\.org\/A5200000001/);
    expect(out).toMatch(/Affiliation\s+Fictional Institute of Fixture Studies/);
    expect(out).toMatch(/Counts\s+14 works/);
    expect(out).not.toMatch(/Still importing/);
    // recent works first: the 2025 arXiv preprint leads
    expect(out).toMatch(/Recent works \(3 of 14\)\n\s+• A fixture preprint on arXiv/);
  });

  it("sends no request at all for a repeat lookup", async () => {
    const out = await consoleUser.answer("/researcher Marta Quillfeather");
    expect(out).toMatch(/Counts\s+14 works/);
    expect(stub.requests).toEqual([]);
  });

  it("finds the right person from an ORCID URL and from an OpenAlex URL, with free singleton requests", async () => {
    const byOrcid = await consoleUser.answer(`/researcher https://orcid.org/${FRANKLE.orcid}`);
    expect(byOrcid).toMatch(/^Jonathan Frankle$/m);
    expect(byOrcid).toMatch(/Counts\s+30 works/);
    expect(stub.requests[0]?.path).toBe(`/authors/orcid:${FRANKLE.orcid}`);
    expect(searches()).toHaveLength(0);

    stub.requests.length = 0;
    const byUrl = await consoleUser.answer(`/researcher https://openalex.org/${QUILLFEATHER.fragment.openalexId}`);
    expect(byUrl).toMatch(/^M\. Quillfeather$/m);
    expect(searches()).toHaveLength(0);
  });

  it("lists a paper's authors for its DOI or arXiv id", async () => {
    const byDoi = await consoleUser.answer(`/researcher https://doi.org/${QUILLFEATHER.sharedDoi}`);
    expect(byDoi).toMatch(/Authors of “A shared fixture paper with a DOI”/);
    expect(byDoi).toMatch(/Marta Quillfeather[\s\S]*Mårten Quillfeather/);
    const byArxiv = await consoleUser.answer(`/researcher arXiv:${QUILLFEATHER.arxivId}`);
    expect(byArxiv).toMatch(/M\. Quillfeather[\s\S]*Marta Quillfeather/);
  });

  it("says what was searched and what to try when nobody matches, without suggesting an id to type", async () => {
    const out = await consoleUser.answer("/researcher Qwxyz Plorf");
    expect(out).toMatch(/No researcher found for the name “Qwxyz Plorf” in Peerlink or OpenAlex/);
    expect(out).toMatch(/try their full name/);
    expect(out).not.toMatch(/A\d{6,}|\d{4}-\d{4}-\d{4}-\d{3}[\dX]/);
    const orcid = await consoleUser.answer("/researcher 0000-0000-0000-0036");
    expect(orcid).toMatch(/No researcher found for the ORCID iD 0000-0000-0000-0036\s+in Peerlink or OpenAlex\.\s+Check the iD/);
  });

  it("retries 429 and 403 politely, then says the scholarly database is busy", async () => {
    stub.failNext(1, 429, 0);
    expect(await consoleUser.answer("/researcher Mårten")).toMatch(/Mårten Quillfeather/);
    stub.failNext(3, 403);
    expect(await consoleUser.answer("/researcher Zebedee Quillfeather")).toMatch(/OpenAlex\) is busy, try again in a minute/);
    expect(stub.requests.map((r) => r.status).slice(-3)).toEqual([403, 403, 403]);
  });
});

describe("when OpenAlex is down or the budget is spent", () => {
  it("answers with a friendly line, and researchers already here still answer", async () => {
    const { live } = liveLookupFor(core, "http://127.0.0.1:9"); // nothing listens on the discard port
    const down = createCore({ clock, db: t.db, log: { error: () => {} } });
    down.live = live;
    const shell = new ConsoleAdapter(down, consoleContext("ada"));
    expect(await shell.answer("/researcher Ada Nobodyknows")).toMatch(/OpenAlex\) cannot be reached right now/);
    expect(await shell.answer("/researcher Marta Quillfeather")).toMatch(/Counts\s+14 works/);
    expect(await shell.answer("/researcher Jonathon Frankel")).toMatch(/^Jonathan Frankle$/m);
  });

  it("refuses a new search politely once the day's budget is spent, and counts spend per UTC day", async () => {
    const budgetClock = testClock(new Date("2026-12-31T23:00:00Z"));
    const { live, usage } = liveLookupFor(core, stub.url, { dailyBudgetUsd: 0.001, clock: budgetClock });
    const tight = createCore({ clock: budgetClock, db: t.db, log: { error: () => {} } });
    tight.live = live;
    const shell = new ConsoleAdapter(tight, consoleContext("ada"));
    expect(await shell.answer("/researcher Quillfeather Frankle")).toMatch(/No researcher found/); // the one search allowed
    expect(await shell.answer("/researcher Frankle Quillfeather Again")).toMatch(/used today's OpenAlex allowance/);
    expect((await usage.today()).requests.search).toBe(1);
    budgetClock.set(new Date("2027-01-01T00:00:01Z"));
    expect((await usage.today()).spentUsd).toBe(0);
  });

  it("reads the key's allowance from OpenAlex's rate-limit headers and refuses a search the key can no longer afford", async () => {
    // Another program shares the key and has spent nearly all of today's dollar.
    stub.allowance.remainingUsd = 0.0015;
    try {
      const { live, usage } = liveLookupFor(core, stub.url);
      const shared = createCore({ clock, db: t.db, log: { error: () => {} } });
      shared.live = live;
      const shell = new ConsoleAdapter(shared, consoleContext("cy"));
      expect(await shell.answer("/researcher Shared Key One")).toMatch(/No researcher found/);
      expect(await shell.answer("/researcher Shared Key Two")).toMatch(/used today's OpenAlex allowance/);
      expect(searches()).toHaveLength(1);
      // Peerlink's own count says a search is affordable; OpenAlex's word decides.
      const today = await usage.today();
      expect(today.spentUsd).toBeLessThan(today.budgetUsd);
      expect(today.upstream).toMatchObject({ limitUsd: 1 });
      expect(today.upstream!.remainingUsd).toBeCloseTo(0.0005, 6);
      // Singletons are free, so an id lookup still goes through.
      expect(await shell.answer(`/researcher ${QUILLFEATHER.fragment.openalexId}`)).toMatch(/^M\. Quillfeather$/m);
      // Saved, so another process (npm run openalex:usage, a second bot) reads the same figure.
      await usage.flushed();
      const other = liveLookupFor(core, stub.url).usage;
      expect((await other.today()).upstream!.remainingUsd).toBeCloseTo(stub.allowance.remainingUsd, 6);
    } finally {
      stub.allowance.remainingUsd = 1;
    }
  });

  it("limits uncached searches per user per hour", async () => {
    const { live } = liveLookupFor(core, stub.url, { directory: { userSearchesPerHour: 1 } });
    const limited = createCore({ clock, db: t.db, log: { error: () => {} } });
    limited.live = live;
    const shell = new ConsoleAdapter(limited, consoleContext("bea"));
    await shell.answer("/researcher Unknown Person One");
    expect(await shell.answer("/researcher Unknown Person Two")).toMatch(/many new OpenAlex searches this hour/);
  });
});
