import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseButtonCustomId } from "../../../src/adapters/discord/customIds.js";
import { parseActionId } from "../../../src/adapters/slack/render.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { auditActions, claimant, inChannel, person, researcher } from "../../core/invitations/fixtures.js";
import { type Harness, invitationStatus, latestInvitationTo, startHarness, waitUntil } from "./harness.js";

let t: TestDatabase;
let h: Harness;

// Slack workspace T0TEST (the stand-in's), Discord guild of the stand-in.
const alice = person("slack", "T0TEST", "UALICE", "Alice Adams");
const bob = person("slack", "T0TEST", "UBOB", "Bob Brown");
let carol: ReturnType<typeof person>;
let dave: ReturnType<typeof person>;

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startHarness(t.db, { redisUrl: t.redisUrl, prefix: t.redisPrefix });
  carol = person("discord", h.discord.guildId, "1400000000000000011", "Carol Chen");
  dave = person("discord", h.discord.guildId, "1400000000000000012", "Dave Diaz");
  await h.startWorkers();
});
afterAll(async () => {
  await h.close();
  await t.drop();
});
beforeEach(() => h.slack.reset());

const status = (id: string) => invitationStatus(t.db, id);
const invitationTo = (researcherId: number) => latestInvitationTo(t.db, researcherId);

/** Waits for the invitation's delivery, then moves the core's clock 15 days on until the expiry job has closed it. */
async function deliveredThenExpired(id: string) {
  await waitUntil(async () => (await status(id)) === "delivered", "delivery");
  const realClock = h.core.clock;
  h.core.clock = { now: () => new Date(realClock.now().getTime() + 15 * 24 * 3600 * 1000) };
  try {
    await waitUntil(async () => (await status(id)) === "expired", "expiry");
  } finally {
    h.core.clock = realClock;
  }
}

/** Slack DMs (chat.postMessage) whose buttons carry this invitation id. */
const slackInvitationDms = (id: string) =>
  h.slack.callsTo("chat.postMessage").filter((c) => JSON.stringify(c.args.blocks ?? []).includes(`"value":"${id}"`));
const slackButtons = (call: { args: Record<string, any> }) =>
  (call.args.blocks as any[]).flatMap((b) => b.elements ?? []).filter((e: any) => e.type === "button");
const slackTexts = (channel: string) =>
  h.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === channel)
    .map((c) => String(c.args.text));

describe("invitation delivery", () => {
  it("delivers an invitation from a Slack channel to the claimant as one DM whose Accept opens a group DM", async () => {
    const ada = await claimant(h.core, bob, "Ada Lovelace");
    const sent = await h.core.router.handleText(
      "/researcher invite Ada Lovelace: Shall we work on the analytical engine?",
      inChannel(alice, "C0TEAM"),
    );
    expect(sent.reply).toMatchObject({ kind: "notice", level: "success" });
    const inv = await invitationTo(ada.researcherId);

    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery");
    const dms = slackInvitationDms(inv.id);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.args.channel).toBe("DUBOB");
    const rendered = JSON.stringify(dms[0]!.args.blocks);
    expect(rendered).toContain("Alice Adams invites you to collaborate");
    expect(rendered).toContain("Shall we work on the analytical engine?");
    expect(rendered).toContain("channel C0TEAM");
    const buttons = slackButtons(dms[0]!);
    expect(buttons.map((b: any) => [parseActionId(b.action_id), b.value])).toEqual([
      ["accept_invite", inv.id],
      ["decline_invite", inv.id],
      ["block_sender", inv.id],
    ]);
    expect(await t.db.invitationDelivery.count({ where: { invitationId: inv.id } })).toBe(1);

    // The pressed button, as the Slack adapter hands it to the core.
    const accept = buttons[0];
    const pressed = await h.core.router.handleAction(parseActionId(accept.action_id)!, accept.value, inChannel(bob, "DUBOB"));
    expect(pressed.reply).toMatchObject({ level: "success", text: "Accepted. I've opened a conversation with Alice Adams and you." });
    const opened = h.slack.callsTo("conversations.open").find((c) => c.args.users === "UALICE,UBOB");
    expect(opened).toBeDefined();
    const group = slackTexts("DUALICEUBO");
    expect(group).toHaveLength(1);
    expect(group[0]).toContain("Ada Lovelace accepted Alice Adams's invitation");
    expect(await status(inv.id)).toBe("accepted");
    expect(await auditActions(t.db, inv.id)).toEqual(["invitation.sent", "invitation.delivered", "invitation.accepted"]);
  });

  it("delivers across platforms: a Discord user invites a researcher on Slack, and a decline reaches them on Discord", async () => {
    const grace = await claimant(h.core, person("slack", "T0TEST", "UGRACE", "Grace Hopper"), "Grace Hopper");
    await h.core.router.handle("invite", { query: `#${grace.researcherId}`, message: "Compilers?" }, inChannel(carol, h.discord.channelId));
    const inv = await invitationTo(grace.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery");
    const dm = slackInvitationDms(inv.id);
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0]!.args.blocks)).toContain("a Discord channel");

    const declined = await h.core.router.handleAction("decline_invite", inv.id, inChannel(grace.actor, "DUGRACE"));
    expect(declined.reply).toMatchObject({ text: "Declined. I've let Carol Chen know, politely." });
    // Carol's DM channel is opened on Discord and the polite notice posted there.
    await h.discord.waitForCall((c) => c.method === "POST" && c.path === "/users/@me/channels" && c.body?.recipient_id === carol.userId);
    await h.discord.waitForCall(
      (c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes("can't take up your invitation"),
    );
    expect(await status(inv.id)).toBe("declined");
  });

  it("on Discord, accepting sends each person a DM with the other's handle", async () => {
    const dora = await claimant(h.core, dave, "Dora Discordia");
    await h.core.router.handleText("invite Dora Discordia -- Let's pair on proofs", inChannel(carol, h.discord.channelId));
    const inv = await invitationTo(dora.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery");
    const delivered = h.discord.calls.filter((c) => c.method === "POST" && JSON.stringify(c.body).includes(`pl:accept_invite:${inv.id}`));
    expect(delivered).toHaveLength(1);
    const customIds = (delivered[0]!.body.components as any[]).flatMap((row) => row.components).map((b: any) => parseButtonCustomId(b.custom_id));
    expect(customIds).toEqual([
      { actionId: "accept_invite", value: inv.id },
      { actionId: "decline_invite", value: inv.id },
      { actionId: "block_sender", value: inv.id },
    ]);

    // A button pressed in a Discord DM arrives with tenant "dm" (there is no guild there).
    const inDm = (who: typeof dave) => inChannel({ ...who, tenantId: "dm" }, "DM");
    const intruder = await h.core.router.handleAction("accept_invite", inv.id, inDm(carol));
    expect(intruder.reply).toMatchObject({ text: "Sorry, this invitation is addressed to Dora Discordia, so only they can answer it." });
    expect(await status(inv.id)).toBe("delivered");

    const before = h.discord.calls.length;
    const pressed = await h.core.router.handleAction("accept_invite", inv.id, inDm(dave));
    expect(pressed.reply).toMatchObject({ text: "Accepted. I've sent you and Carol Chen each other's contact details." });
    const messages = h.discord.calls.slice(before).filter((c) => c.method === "POST" && /\/messages$/.test(c.path));
    const bodies = messages.map((m) => JSON.stringify(m.body));
    expect(bodies).toHaveLength(2);
    expect(bodies.some((b) => b.includes("Dora Discordia accepted your invitation") && b.includes(dave.userId))).toBe(true);
    expect(bodies.some((b) => b.includes("You accepted Carol Chen's invitation") && b.includes(carol.userId))).toBe(true);
  });

  it("expires unanswered invitations on schedule and tells the sender", async () => {
    const ida = await claimant(h.core, person("slack", "T0TEST", "UIDA", "Ida Rhodes"), "Ida Rhodes");
    await h.core.router.handleText("invite Ida Rhodes: numerical analysis?", inChannel(alice));
    const inv = await invitationTo(ida.researcherId);
    await deliveredThenExpired(inv.id);
    const told = await h.slack.waitFor(() => slackTexts("DUALICE").find((s) => s.includes("expired without an answer")));
    expect(told).toContain("Your invitation to Ida Rhodes expired without an answer");
    const late = await h.core.router.handleAction("accept_invite", inv.id, inChannel(ida.actor));
    expect(late.reply).toMatchObject({ text: "This invitation has expired." });
  });

  it("waits out a short rate limit on the expiry notice instead of leaving it to the next reminder sweep", async () => {
    const ina = await claimant(h.core, person("slack", "T0TEST", "UINA", "Ina Limited"), "Ina Limited");
    await h.core.router.handleText("invite Ina Limited: rate limits?", inChannel(alice));
    const inv = await invitationTo(ina.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery");
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, 1);
    await deliveredThenExpired(inv.id);
    const told = await h.slack.waitFor(() => slackTexts("DUALICE").find((s) => s.includes("Ina Limited expired without an answer")));
    expect(told).toContain("Your invitation to Ina Limited expired without an answer");
    expect(h.slack.callsTo("chat.postMessage").filter((c) => c.failed)).toHaveLength(1);
    const notice = () => t.db.reminder.findFirstOrThrow({ where: { kind: "invitation_expired", subject: inv.id } });
    await waitUntil(async () => (await notice()).status === "sent", "the notice recorded as sent");
  });

  it("tells the sender of an expired intro request that it was one, and for whom", async () => {
    const ivy = await claimant(h.core, person("slack", "T0TEST", "UIVY", "Ivy Member"), "Ivy Member");
    const target = await researcher(t.db, "Far Away Target");
    const path = {
      nodes: [
        { researcherId: ivy.researcherId, name: "Ivy Member" },
        { researcherId: target, name: "Far Away Target" },
      ],
      ties: [{ sharedWorks: 2, lastYear: 2023 }],
    };
    const sender = await h.core.accounts.resolve(alice);
    const sent = await h.core.invitations.send(sender, inChannel(alice), ivy.researcherId, "could you introduce me?", {
      targetId: target,
      targetName: "Far Away Target",
      path,
    });
    expect(sent.ok).toBe(true);
    const inv = await invitationTo(ivy.researcherId);
    await deliveredThenExpired(inv.id);
    const told = await h.slack.waitFor(() => slackTexts("DUALICE").find((s) => s.includes("Far Away Target") && s.includes("expired")));
    expect(told).toContain("Your request to Ivy Member for an introduction to Far Away Target expired without an answer");
    expect(slackTexts("DUALICE").filter((s) => s.includes("Your invitation to Ivy Member"))).toEqual([]);
  });

  it("retries a failing platform with backoff and delivers once it recovers", async () => {
    const joan = await claimant(h.core, person("slack", "T0TEST", "UJOAN", "Joan Clarke"), "Joan Clarke");
    h.slack.failNext("chat.postMessage", { error: "internal_error" }, 2);
    await h.core.router.handleText("invite Joan Clarke: cryptanalysis", inChannel(alice));
    const inv = await invitationTo(joan.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery after retries");
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.attempts).toBe(3);
    expect(row.lastError).toContain("internal_error");
    expect(await t.db.invitationDelivery.count({ where: { invitationId: inv.id } })).toBe(1);
  });

  it("waits as long as the platform asks when rate limited, without using up attempts", async () => {
    const ruth = await claimant(h.core, person("slack", "T0TEST", "URUTH", "Ruth Teitelbaum"), "Ruth Teitelbaum");
    // More 429s than the three attempts allow: only real failures count.
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 0.2 }, 3);
    await h.core.router.handleText("invite Ruth Teitelbaum: ENIAC reunion?", inChannel(alice));
    const inv = await invitationTo(ruth.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "delivered", "delivery after rate limits");
    expect(h.slack.callsTo("chat.postMessage").filter((c) => JSON.stringify(c.args.blocks ?? []).includes(inv.id))).toHaveLength(4);
    expect(await t.db.invitationDelivery.count({ where: { invitationId: inv.id } })).toBe(1);
  });

  it("marks the invitation failed after the last attempt and tells the sender", async () => {
    const mary = await claimant(h.core, person("slack", "T0TEST", "UMARY", "Mary Somerville"), "Mary Somerville");
    h.slack.failNext("chat.postMessage", { error: "internal_error" }, 3);
    await h.core.router.handleText("invite Mary Somerville: celestial mechanics", inChannel(alice));
    const inv = await invitationTo(mary.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "failed", "failure");
    const told = await h.slack.waitFor(() => slackTexts("DUALICE").find((s) => s.includes("couldn't deliver")));
    expect(told).toContain("we couldn't deliver your invitation to Mary Somerville");
    expect(await auditActions(t.db, inv.id)).toEqual(["invitation.sent", "invitation.failed"]);
  });

  it("gives up at once when the platform says the recipient is gone", async () => {
    const kat = await claimant(h.core, person("slack", "T0TEST", "UKAT", "Katherine Johnson"), "Katherine Johnson");
    h.slack.failNext("chat.postMessage", { error: "account_inactive" }, 1);
    await h.core.router.handleText("invite Katherine Johnson: orbits", inChannel(alice));
    const inv = await invitationTo(kat.researcherId);
    await waitUntil(async () => (await status(inv.id)) === "failed", "failure");
    expect((await t.db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).lastError).toContain("account_inactive");
  });
});
