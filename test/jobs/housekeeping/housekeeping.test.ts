// Expired one-time secrets are removed on a schedule: by the real BullMQ worker, on real Redis and Postgres.
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Core, createCore } from "../../../src/core/Core.js";
import { KEEP_EXPIRED_MS, KEEP_MISSED_WEEKS } from "../../../src/core/housekeeping/purgeExpired.js";
import { startHousekeeping } from "../../../src/jobs/housekeeping/worker.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { waitUntil } from "../invitations/harness.js";
import { TEST_START, testClock } from "../../support/clock.js";
import { liveLookupFor } from "../../support/liveLookup.js";
import { KEEP_USAGE_DAYS } from "../../../src/sources/openalex/OpenAlexUsage.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** The real housekeeping worker, purging every 200 ms on the test's Redis. */
const purgingEvery200ms = (core: Core) =>
  startHousekeeping({
    core,
    queue: { redisUrl: t.redisUrl, prefix: t.redisPrefix },
    logger: pino({ level: "silent" }),
    options: { purgeEveryMs: 200 },
  });

it("removes link codes and ORCID sign-in states a day after they expire, and keeps the rest", async () => {
  const now = TEST_START.getTime();
  const account = await t.db.account.create({ data: { displayName: "Ada" } });
  const researcher = await t.db.researcher.create({ data: { displayName: "Ada Lovelace", searchName: "ada lovelace" } });
  const claim = await t.db.claim.create({ data: { researcherId: researcher.id, accountId: account.id, method: "orcid" } });
  const at = (msAgo: number) => new Date(now - msAgo);
  const old = KEEP_EXPIRED_MS + 60_000;
  await t.db.linkCode.createMany({
    data: [
      { accountId: account.id, codeHash: "old-unused", expiresAt: at(old), createdAt: at(old + 600_000) },
      { accountId: account.id, codeHash: "old-used", expiresAt: at(old), usedAt: at(old + 1), createdAt: at(old + 600_000) },
      { accountId: account.id, codeHash: "just-expired", expiresAt: at(60_000), createdAt: at(660_000) },
      { accountId: account.id, codeHash: "live", expiresAt: at(-600_000), createdAt: at(0) },
    ],
  });
  await t.db.oAuthState.createMany({
    data: [
      { nonce: "old", claimId: claim.id, expiresAt: at(old) },
      { nonce: "live", claimId: claim.id, expiresAt: at(-600_000) },
    ],
  });

  const core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
  const housekeeping = await purgingEvery200ms(core);
  try {
    await waitUntil(async () => (await t.db.oAuthState.count()) === 1, "expired sign-in states removed");
    expect((await t.db.linkCode.findMany({ orderBy: { codeHash: "asc" } })).map((c) => c.codeHash)).toEqual(["just-expired", "live"]);
    expect((await t.db.oAuthState.findMany()).map((s) => s.nonce)).toEqual(["live"]);
  } finally {
    await housekeeping.stop();
  }
});

it("removes OpenAlex answers past the search cache TTL, usage days past the kept ones and old per-user search windows", async () => {
  const now = TEST_START.getTime();
  const hour = 3_600_000;
  const at = (msAgo: number) => new Date(now - msAgo);
  const day = (daysAgo: number) => new Date(Date.UTC(2026, 10, 25 - daysAgo));
  await t.db.openAlexCache.createMany({
    data: [
      { key: "search:old", body: [], fetchedAt: at(25 * hour) },
      { key: "author:A1", body: {}, fetchedAt: at(2 * hour) },
      { key: "search:fresh", body: [], fetchedAt: at(23 * hour) },
    ],
  });
  await t.db.openAlexUsage.createMany({
    data: [
      { day: day(KEEP_USAGE_DAYS + 1), kind: "search", requests: 3 },
      { day: day(KEEP_USAGE_DAYS - 1), kind: "search", requests: 2 },
      { day: day(0), kind: "list", requests: 1 },
    ],
  });
  await t.db.openAlexUserSearch.createMany({
    data: [
      { actor: "slack:T1:U1", windowStart: new Date(now - (now % hour) - 2 * hour), count: 5 },
      { actor: "slack:T1:U1", windowStart: new Date(now - (now % hour)), count: 1 },
    ],
  });

  const clock = testClock();
  const core = createCore({ clock, db: t.db, log: { error: () => {} } });
  // Nothing listens there: housekeeping sends no request.
  core.live = liveLookupFor(core, "http://127.0.0.1:9", { directory: { searchCacheTtlMs: 24 * hour } }).live;
  const housekeeping = await purgingEvery200ms(core);
  try {
    // The three removals run side by side in one purge: wait for all of them, not the first.
    await waitUntil(
      async () =>
        (await t.db.openAlexUserSearch.count()) === 1 && (await t.db.openAlexCache.count()) === 2 && (await t.db.openAlexUsage.count()) === 2,
      "expired directory rows removed",
    );
    expect((await t.db.openAlexCache.findMany({ orderBy: { key: "asc" } })).map((c) => c.key)).toEqual(["author:A1", "search:fresh"]);
    expect((await t.db.openAlexUsage.findMany({ orderBy: { day: "asc" } })).map((u) => u.requests)).toEqual([2, 1]);
    expect((await t.db.openAlexUserSearch.findMany()).map((w) => w.count)).toEqual([1]);
  } finally {
    await housekeeping.stop();
  }
});

it("removes weekly-summary decisions older than the kept weeks, except each account's latest", async () => {
  const weekAgo = (n: number) => new Date(TEST_START.getTime() - n * 7 * 86_400_000);
  const busy = await t.db.account.create({ data: { displayName: "Busy" } });
  const away = await t.db.account.create({ data: { displayName: "Away" } });
  const kept = KEEP_MISSED_WEEKS - 1;
  const old = KEEP_MISSED_WEEKS + 1;
  await t.db.missedSummary.createMany({
    data: [
      { accountId: busy.id, weekStart: weekAgo(old + 1), works: 2, sentAt: weekAgo(old) },
      { accountId: busy.id, weekStart: weekAgo(old), works: 0, sentAt: weekAgo(old - 1) },
      { accountId: busy.id, weekStart: weekAgo(kept), works: 1, sentAt: weekAgo(kept - 1) },
      { accountId: busy.id, weekStart: weekAgo(1), works: 0, sentAt: weekAgo(0) },
      // Away long ago: its only decision is its latest, which the next summary starts from.
      { accountId: away.id, weekStart: weekAgo(old + 3), works: 4, sentAt: weekAgo(old + 2) },
    ],
  });
  const core = createCore({ clock: testClock(), db: t.db, log: { error: () => {} } });
  const housekeeping = await purgingEvery200ms(core);
  try {
    await waitUntil(async () => (await t.db.missedSummary.count({ where: { accountId: busy.id } })) === 2, "old decisions removed");
    const left = await t.db.missedSummary.findMany({ orderBy: [{ accountId: "asc" }, { weekStart: "asc" }] });
    expect(left.map((m) => [m.accountId, m.works])).toEqual([
      [busy.id, 1],
      [busy.id, 0],
      [away.id, 4],
    ]);
  } finally {
    await housekeeping.stop();
  }
});
