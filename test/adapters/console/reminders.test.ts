// The console's inbox as a reminder's destination: an invitation between two local users, left
// unanswered past INVITE_REMIND_AFTER_HOURS, reminds its recipient once, buttons included. The
// console shell runs no invitation workers, so the sweep the workers schedule is run here by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { attachConsoleMessenger } from "../../../src/adapters/console/consolePlatform.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { type TestClock, testClock } from "../../support/clock.js";
import { researcher } from "../../core/invitations/fixtures.js";

const HOUR = 3600 * 1000;
let t: TestDatabase;
let core: Core;
let clock: TestClock;
const as = (name: string) => new ConsoleAdapter(core, consoleContext(name));
const flat = (s: string) => s.replace(/\s+/g, " ");

beforeAll(async () => {
  t = await createTestDatabase();
  clock = testClock();
  core = createCore({ clock, db: t.db, log: { error: () => {} }, invitations: { reminders: { unansweredAfterHours: 12 } } });
  attachConsoleMessenger(core);
});
afterAll(async () => {
  await t.drop();
});

describe("console: invitation reminders", () => {
  it("puts one reminder with Accept / Decline in the recipient's inbox once the invitation is 12 hours unanswered", async () => {
    const kim = await core.accounts.resolve(consoleContext("kim").actor);
    await researcher(t.db, "Katherine Johnson", kim.accountId);
    expect(await as("lee").answer("/researcher invite Katherine Johnson: orbital mechanics?")).toMatch(/on its way/);
    const inboxBefore = flat(await as("kim").answer("/researcher inbox"));
    expect(inboxBefore).not.toContain("Reminder");

    clock.advance(11 * HOUR);
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 0 });

    clock.advance(2 * HOUR);
    expect(await core.reminders.tick()).toEqual({ recorded: 1, sent: 1 });
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 0 });
    const inbox = flat(await as("kim").answer("/researcher inbox"));
    expect(inbox.match(/Reminder: lee invites you to collaborate/g)).toHaveLength(1);
    expect(inbox).toContain("still waiting for your answer");
    expect(inbox).toMatch(/Accept .*Decline/);
  });
});
