// The console shell (`npm start` with no chat credentials) runs the invitation sweeps itself: it
// is the only process that can reach local users, so without them an invitation between two of
// them never expired and an unanswered one never reminded anyone. The real entry point in a child
// process, on the system clock; the invitations are sent on a clock pinned in 2001, so whatever the
// date the process reads, one of them is long expired and the other long unanswered.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { attachConsoleMessenger } from "../../../src/adapters/console/consolePlatform.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { researcher } from "../../core/invitations/fixtures.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { spawnPeerlink, stopAll } from "../../support/spawnPeerlink.js";
import { waitUntil } from "../../jobs/invitations/harness.js";

const SENT_AT = new Date("2001-01-01T12:00:00.000Z");
/** An expiry no wall clock this suite runs under has still ahead of it… */
const FAR_FUTURE = new Date("2999-01-01T00:00:00.000Z");

let t: TestDatabase;
let core: Core;
const as = (name: string) => new ConsoleAdapter(core, consoleContext(name));
const flat = (s: string) => s.replace(/\s+/g, " ");

beforeAll(async () => {
  t = await createTestDatabase();
  core = createCore({ clock: testClock(SENT_AT), db: t.db, log: { error: () => {} } });
  attachConsoleMessenger(core);
});
afterAll(async () => {
  await stopAll();
  await t.drop();
});

it("tells the sender of an expired invitation and reminds the recipient of an unanswered one, once each", async () => {
  const kim = await core.accounts.resolve(consoleContext("kim").actor);
  const ada = await core.accounts.resolve(consoleContext("ada").actor);
  await researcher(t.db, "Katherine Johnson", kim.accountId);
  await researcher(t.db, "Ada Lovelace", ada.accountId);
  expect(await as("lee").answer("/researcher invite Katherine Johnson: orbital mechanics?")).toMatch(/on its way/);
  expect(await as("lee").answer("/researcher invite Ada Lovelace: analytical engines?")).toMatch(/on its way/);
  const toAda = await t.db.invitation.findFirstOrThrow({ where: { researcher: { displayName: "Ada Lovelace" } } });
  // …so Ada's is unanswered for a very long time but not expired; Kim's expired in January 2001.
  await t.db.invitation.update({ where: { id: toAda.id }, data: { expiresAt: FAR_FUTURE } });
  expect(await t.db.invitation.count({ where: { status: "delivered" } })).toBe(2);

  // At "info" the shell keeps its logs to warnings, and the spawn waits for the started line.
  const shell = await spawnPeerlink(
    {
      DATABASE_URL: t.url,
      REDIS_URL: t.redisUrl,
      REDIS_PREFIX: t.redisPrefix,
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      DISCORD_TOKEN: "",
      LOG_LEVEL: "debug",
    },
    [],
    { stdin: "pipe" },
  );
  await waitUntil(
    async () =>
      (await t.db.invitation.count({ where: { status: "expired" } })) === 1 && (await t.db.reminder.count({ where: { status: "sent" } })) === 2,
    "the shell's sweeps expired Kim's invitation, told Lee and reminded Ada",
    30_000,
  );
  shell.child.stdin!.end(); // end of input: the shell stops
  expect(await shell.exited).toBe(0);

  const lee = flat(await as("lee").answer("/researcher inbox"));
  expect(lee.match(/Katherine Johnson/g)?.length).toBeGreaterThan(0);
  expect(lee).toMatch(/expired/i);
  const adaInbox = flat(await as("ada").answer("/researcher inbox"));
  expect(adaInbox.match(/Reminder: lee invites you to collaborate/g)).toHaveLength(1);
  expect(adaInbox).toMatch(/Accept .*Decline/);
  expect(flat(await as("kim").answer("/researcher inbox"))).not.toContain("Reminder");
}, 90_000);
