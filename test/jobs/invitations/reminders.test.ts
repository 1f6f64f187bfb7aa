// Reminders through the real BullMQ scheduler and worker, the real Slack and Discord messengers and
// their stand-ins: an unanswered invitation reminds its recipient once, an expired one tells its
// sender once, an open claim review reminds the reviewers' channel once a day. The clock is advanced
// past each threshold; the reminder job ticks every 100 ms, so every reminder sees many ticks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseActionId } from "../../../src/adapters/slack/render.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { claimant, inChannel, person, researcher } from "../../core/invitations/fixtures.js";
import { Queue } from "bullmq";
import { MAINTENANCE_QUEUE } from "../../../src/jobs/invitations/worker.js";
import type { Service } from "../../../src/Service.js";
import { type Harness, invitationStatus, latestInvitationTo, startHarness, waitUntil } from "./harness.js";

const HOUR = 3600 * 1000;
const REVIEW = { platform: "slack", tenantId: "T0TEST", channelId: "C0REVIEW" } as const;

let t: TestDatabase;
let h: Harness;
let workers: Service;

const alice = person("slack", "T0TEST", "UALICE", "Alice Adams");
let carol: ReturnType<typeof person>;

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startHarness(t.db, { redisUrl: t.redisUrl, prefix: t.redisPrefix }, {}, { reviewChannel: REVIEW });
  carol = person("discord", h.discord.guildId, "1400000000000000021", "Carol Chen");
  workers = await h.startWorkers({ remindEveryMs: 100 });
});
afterAll(async () => {
  await h.close();
  await t.drop();
});
beforeEach(() => h.slack.reset());

const status = (id: string) => invitationStatus(t.db, id);
const invitationTo = (researcherId: number) => latestInvitationTo(t.db, researcherId);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for several reminder ticks (every 100 ms) to have run. */
const severalTicks = () => pause(600);

const slackPosts = (channel: string, containing: string) =>
  h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(containing));
const slackButtons = (call: { args: Record<string, any> }) =>
  (call.args.blocks as any[]).flatMap((b) => b.elements ?? []).filter((e: any) => e.type === "button");
const discordPosts = (containing: string) =>
  h.discord.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes(containing));

async function deliveredInvitation(from: ReturnType<typeof person>, to: ReturnType<typeof person>, name: string, channel: string) {
  const them = await claimant(h.core, to, name);
  const sent = await h.core.router.handleText(`/researcher invite ${name}: shall we write together?`, inChannel(from, channel));
  expect(sent.reply).toMatchObject({ kind: "notice", level: "success" });
  const inv = await invitationTo(them.researcherId);
  await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery");
  return { inv, them };
}

describe("invitation reminders", () => {
  it("reminds a Slack recipient once, after 48 hours unanswered, with Accept and Decline that still work", async () => {
    const bob = person("slack", "T0TEST", "UBOB", "Bob Brown");
    const { inv } = await deliveredInvitation(alice, bob, "Ada Lovelace", "C0TEAM");

    h.clock.advance(47 * HOUR);
    await severalTicks();
    expect(slackPosts("DUBOB", "Reminder")).toHaveLength(0);

    h.clock.advance(2 * HOUR);
    const reminder = await h.slack.waitFor(() => slackPosts("DUBOB", "Reminder")[0]);
    const rendered = JSON.stringify(reminder.args.blocks);
    expect(rendered).toContain("Reminder: Alice Adams invites you to collaborate");
    expect(rendered).toContain("still waiting for your answer");
    expect(rendered).toContain("shall we write together?");
    const buttons = slackButtons(reminder);
    expect(buttons.map((b: any) => [parseActionId(b.action_id), b.value])).toEqual([
      ["accept_invite", inv.id],
      ["decline_invite", inv.id],
      ["block_sender", inv.id],
    ]);
    // More ticks, and a tick run by hand alongside them: still one reminder.
    await Promise.all([h.core.reminders.tick(), h.core.reminders.tick()]);
    await severalTicks();
    expect(slackPosts("DUBOB", "Reminder")).toHaveLength(1);
    expect(await t.db.reminder.findMany({ where: { subject: inv.id }, select: { kind: true, status: true } })).toEqual([
      { kind: "invitation_unanswered", status: "sent" },
    ]);

    const accept = buttons[0];
    const pressed = await h.core.router.handleAction(parseActionId(accept.action_id)!, accept.value, inChannel(bob, "DUBOB"));
    expect(pressed.reply).toMatchObject({ level: "success" });
    expect(await status(inv.id)).toBe("accepted");
  });

  it("reminds a Discord recipient once by DM, buttons included", async () => {
    const dave = person("discord", h.discord.guildId, "1400000000000000022", "Dave Diaz");
    const { inv } = await deliveredInvitation(carol, dave, "Dora Discordia", h.discord.channelId);

    h.clock.advance(49 * HOUR);
    await h.discord.waitForCall((c) => discordPosts("Reminder").some((p) => p === c));
    await severalTicks();
    const reminders = discordPosts("Reminder");
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0]!.body)).toContain(`pl:accept_invite:${inv.id}`);
    expect(JSON.stringify(reminders[0]!.body)).toContain(`pl:decline_invite:${inv.id}`);

    const declined = await h.core.router.handleAction("decline_invite", inv.id, inChannel({ ...dave, tenantId: "dm" }, "DM"));
    expect(declined.reply).toMatchObject({ text: "Declined. I've let Carol Chen know, politely." });
  });

  it("sends no reminder for an invitation answered before the threshold", async () => {
    const erin = person("slack", "T0TEST", "UERIN", "Erin Eames");
    const { inv } = await deliveredInvitation(alice, erin, "Emmy Noether", "C0TEAM");
    await h.core.router.handleAction("decline_invite", inv.id, inChannel(erin, "DUERIN"));

    h.clock.advance(49 * HOUR);
    await severalTicks();
    expect(slackPosts("DUERIN", "Reminder")).toHaveLength(0);
    expect(await t.db.reminder.count({ where: { subject: inv.id } })).toBe(0);
  });

  it("tells a Discord sender once when the invitation expires, and never reminds the recipient after that", async () => {
    const frank = person("slack", "T0TEST", "UFRANK", "Frank Fox");
    const { inv, them } = await deliveredInvitation(carol, frank, "Florence Nightingale", h.discord.channelId);

    h.clock.advance(15 * 24 * HOUR);
    await waitUntil(async () => (await status(inv.id)) === "expired", "expiry");
    await h.discord.waitForCall((c) => discordPosts("Your invitation to Florence Nightingale expired").some((p) => p === c));
    await severalTicks();
    expect(discordPosts("Your invitation to Florence Nightingale expired")).toHaveLength(1);
    expect(slackPosts("DUFRANK", "Reminder")).toHaveLength(0);
    expect(await t.db.reminder.findMany({ where: { subject: inv.id }, select: { kind: true, status: true } })).toEqual([
      { kind: "invitation_expired", status: "sent" },
    ]);
    const late = await h.core.router.handleAction("accept_invite", inv.id, inChannel(them.actor));
    expect(late.reply).toMatchObject({ text: "This invitation has expired." });
  });

  it("sends an expiry notice left unsent by a worker that died, once its lease ran out, and only once", async () => {
    const gina = person("slack", "T0TEST", "UGINA", "Gina Gray");
    const { inv } = await deliveredInvitation(alice, gina, "Grete Hermann", "C0TEAM");
    // What a worker killed between closing the invitation and telling its sender leaves behind.
    const now = h.clock.now();
    await t.db.invitation.update({ where: { id: inv.id }, data: { status: "expired" } });
    await t.db.reminder.create({
      data: { kind: "invitation_expired", subject: inv.id, status: "sending", claimedAt: now, createdAt: now, attempts: 1 },
    });

    await severalTicks();
    expect(slackPosts("DUALICE", "Your invitation to Grete Hermann expired")).toHaveLength(0);
    h.clock.advance(3 * 60_000);
    await h.slack.waitFor(() => slackPosts("DUALICE", "Your invitation to Grete Hermann expired")[0]);
    await severalTicks();
    expect(slackPosts("DUALICE", "Your invitation to Grete Hermann expired")).toHaveLength(1);
    expect((await t.db.reminder.findFirstOrThrow({ where: { subject: inv.id } })).status).toBe("sent");
  });
});

describe("reminders after Redis lost everything", () => {
  it("still reminds once: the workers that come back find what is owed in Postgres", async () => {
    const ike = person("slack", "T0TEST", "UIKE", "Ike Irwin");
    const { inv } = await deliveredInvitation(alice, ike, "Ida Noddack", "C0TEAM");
    await workers.stop();
    // What a Redis restarted without persistence holds: no jobs, no schedulers.
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: { url: t.redisUrl }, prefix: t.redisPrefix });
    await maintenance.obliterate({ force: true });
    expect(await maintenance.getJobSchedulers()).toEqual([]);
    await maintenance.close();
    await h.producer.queue.obliterate({ force: true });

    h.clock.advance(49 * HOUR);
    workers = await h.startWorkers({ remindEveryMs: 100 });
    await h.slack.waitFor(() => slackPosts("DUIKE", "Reminder")[0]);
    await severalTicks();
    expect(slackPosts("DUIKE", "Reminder")).toHaveLength(1);
    expect(await t.db.reminder.count({ where: { subject: inv.id, status: "sent" } })).toBe(1);
  });
});

describe("claim review reminders", () => {
  it("reminds the reviewers' Slack channel once a day while the claim is open, and stops once it is decided", async () => {
    const henry = person("slack", "T0TEST", "UHENRY", "Henry Hale");
    const me = await h.core.accounts.resolve(henry);
    const researcherId = await researcher(t.db, "Hedy Lamarr");
    const started = await h.core.claims.start({ ...me, displayName: "Henry Hale", platform: "slack", userId: "UHENRY" }, researcherId);
    expect(started).toMatchObject({ kind: "review", posted: true });
    const claimId = (started as { claimId: number }).claimId;
    const reminders = () => slackPosts("C0REVIEW", `Reminder: Claim request #${claimId}`);

    await severalTicks();
    expect(reminders()).toHaveLength(0);

    h.clock.advance(25 * HOUR);
    const first = await h.slack.waitFor(() => reminders()[0]);
    expect(JSON.stringify(first.args)).toContain("Waiting for a decision for 1 day");
    expect(slackButtons(first).map((b: any) => [parseActionId(b.action_id), b.value])).toEqual([
      ["approve_claim", String(claimId)],
      ["reject_claim", String(claimId)],
    ]);
    await severalTicks();
    expect(reminders()).toHaveLength(1);

    h.clock.advance(24 * HOUR);
    await h.slack.waitFor(() => reminders()[1]);
    await severalTicks();
    expect(reminders()).toHaveLength(2);

    const admin = person("slack", "T0TEST", "UADMIN", "Ann Admin");
    const reviewer = await h.core.accounts.resolve(admin);
    const decided = await h.core.claims.decide(
      reviewer,
      { actor: admin, channelId: "C0REVIEW", permissions: { canManageChannel: true, isAdmin: true } },
      claimId,
      "approve",
    );
    expect(decided.kind).toBe("approved");
    // Every copy of the card, the reminders included, now shows the decision.
    expect(h.slack.callsTo("chat.update").filter((c) => c.args.channel === "C0REVIEW")).toHaveLength(3);

    h.clock.advance(24 * HOUR);
    await severalTicks();
    expect(reminders()).toHaveLength(2);
    expect(await t.db.reminder.count({ where: { kind: "claim_review", subject: String(claimId), status: "sent" } })).toBe(2);
  });
});
