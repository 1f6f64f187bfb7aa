// ReminderService on its own, with a recording messenger (the platform port) and a frozen test
// clock moved past each threshold: what is owed, what is skipped, and what a failing platform does.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { Destination, Messenger } from "../../../src/core/ports.js";
import type { Reply } from "../../../src/core/reply.js";
import { REMINDER_MAX_ATTEMPTS } from "../../../src/core/reminders/ReminderLedger.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { type TestClock, testClock } from "../../support/clock.js";
import { claimant, inChannel, person } from "../invitations/fixtures.js";

const HOUR = 3600 * 1000;
let t: TestDatabase;
let core: Core;
let clock: TestClock;
let sent: Array<{ to: Destination; reply: Reply }> = [];
let failing = false;
const recorder: Messenger = {
  send: async (to, reply) => {
    if (failing) throw new Error("platform down");
    sent.push({ to, reply });
    return { messageRef: `m${sent.length}` };
  },
};
const titles = () => sent.map((s) => (s.reply.kind === "card" ? s.reply.title : s.reply.kind === "notice" ? s.reply.text : ""));

beforeAll(async () => {
  t = await createTestDatabase();
  clock = testClock(undefined, { frozen: true });
  core = createCore({ clock, db: t.db, log: { error: () => {} }, messengers: { slack: recorder } });
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => {
  sent = [];
  failing = false;
});

const alice = person("slack", "T1", "UALICE", "Alice Adams");

async function delivered(userId: string, name: string) {
  const them = await claimant(core, person("slack", "T1", userId, name), name);
  await core.router.handleText(`/researcher invite ${name}: hello`, inChannel(alice));
  return t.db.invitation.findFirstOrThrow({ where: { researcherId: them.researcherId, status: "delivered" } });
}

describe("reminder sweep", () => {
  it("does not remind of an invitation withdrawn between the row being written and sent", async () => {
    const inv = await delivered("UWEN", "Wen Wang");
    sent = [];
    clock.advance(49 * HOUR);
    await t.db.reminder.create({ data: { kind: "invitation_unanswered", subject: inv.id, createdAt: clock.now() } });
    await t.db.invitation.update({ where: { id: inv.id }, data: { status: "withdrawn" } });
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 0 });
    expect((await t.db.reminder.findFirstOrThrow({ where: { subject: inv.id } })).status).toBe("skipped");
    expect(titles()).toEqual([]);
  });

  it("tries a reminder the platform refused again at the next sweep, and gives up after the last attempt", async () => {
    const inv = await delivered("UXU", "Xu Xia");
    sent = [];
    clock.advance(49 * HOUR);
    failing = true;
    expect(await core.reminders.tick()).toEqual({ recorded: 1, sent: 0 });
    const row = await t.db.reminder.findFirstOrThrow({ where: { subject: inv.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: platform down" });

    failing = false;
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 1 });
    expect(titles()).toEqual(["Reminder: Alice Adams invites you to collaborate"]);

    const other = await delivered("UYAN", "Yan Yu");
    sent = [];
    clock.advance(49 * HOUR);
    failing = true;
    for (let i = 0; i < REMINDER_MAX_ATTEMPTS + 2; i++) await core.reminders.tick();
    expect(await t.db.reminder.findFirstOrThrow({ where: { subject: other.id } })).toMatchObject({
      status: "failed",
      attempts: REMINDER_MAX_ATTEMPTS,
    });
    failing = false;
    await core.reminders.tick();
    expect(titles()).toEqual([]);
  });

  it("leaves a reminder another worker is sending alone until its lease runs out", async () => {
    const inv = await delivered("UZOE", "Zoe Zhu");
    sent = [];
    clock.advance(49 * HOUR);
    await t.db.reminder.create({
      data: { kind: "invitation_unanswered", subject: inv.id, status: "sending", claimedAt: clock.now(), createdAt: clock.now(), attempts: 1 },
    });
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 0 });
    clock.advance(2 * 60_000);
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 1 });
    expect(await core.reminders.tick()).toEqual({ recorded: 0, sent: 0 });
  });

  it("writes no claim review reminders when no review channel is configured", async () => {
    const me = await core.accounts.resolve(person("slack", "T1", "UCLAIM", "Cleo Claim"));
    const r = await t.db.researcher.create({ data: { displayName: "Open Claim", searchName: "open claim" } });
    await t.db.claim.create({ data: { researcherId: r.id, accountId: me.accountId, method: "admin_review", createdAt: clock.now() } });
    clock.advance(3 * 24 * HOUR);
    await core.reminders.tick();
    expect(await t.db.reminder.count({ where: { kind: "claim_review" } })).toBe(0);
  });
});
