import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../../src/core/Core.js";
import { splitInvite } from "../../../src/core/commands/invite.js";
import type { Destination, Messenger } from "../../../src/core/ports.js";
import type { Form, List, Notice, Reply } from "../../../src/core/reply.js";
import { InvitationProducer } from "../../../src/jobs/invitations/producer.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { auditActions, claimant, inChannel, person, researcher, silentLog } from "./fixtures.js";
import { testClock } from "../../support/clock.js";

// Stands in for Slack at the Messenger port: these specs are about the core's rules, not rendering.
const sent: Array<{ to: Destination; reply: Reply }> = [];
const slack: Messenger = { send: async (to, reply) => (sent.push({ to, reply }), { messageRef: `m${sent.length}` }) };

let t: TestDatabase;
let core: Core;
let producer: InvitationProducer;

const alice = person("slack", "T1", "UALICE", "Alice Adams");
const bob = person("slack", "T1", "UBOB", "Bob Brown");
const eve = person("slack", "T1", "UEVE", "Eve Evans");

beforeAll(async () => {
  t = await createTestDatabase();
  producer = new InvitationProducer({ redisUrl: t.redisUrl, prefix: t.redisPrefix });
  core = createCore({
    clock: testClock(),
    db: t.db,
    log: silentLog,
    messengers: { slack },
    invitations: { queue: producer, policy: { dailyLimit: 3 } },
  });
});
afterAll(async () => {
  await producer.queue.obliterate({ force: true });
  await producer.close();
  await t.drop();
});
beforeEach(async () => {
  sent.length = 0;
  await t.db.invitation.deleteMany();
  await t.db.block.deleteMany();
});

const text = (r: Reply) => (r as Notice).text;

describe("the invite text syntax", () => {
  it("separates the name from the message with a colon or a double dash", () => {
    expect(splitInvite("Jonathan Frankle: Shall we talk about lottery tickets?")).toEqual({
      query: "Jonathan Frankle",
      message: "Shall we talk about lottery tickets?",
    });
    expect(splitInvite("Jonathan Frankle -- hi: there")).toEqual({ query: "Jonathan Frankle", message: "hi: there" });
    expect(splitInvite("https://orcid.org/0000-0002-1825-0097: hello")).toEqual({
      query: "https://orcid.org/0000-0002-1825-0097",
      message: "hello",
    });
    expect(splitInvite("Jonathan Frankle")).toEqual({ query: "Jonathan Frankle" });
  });
});

describe("sending an invitation", () => {
  it("queues an invitation to a claimed researcher, with its origin and expiry, and enqueues its delivery", async () => {
    const ada = await claimant(core, bob, "Ada Quantum");
    const before = core.clock.now().getTime();
    const { reply } = await core.router.handleText("/researcher invite Ada Quantum: Would you like to collaborate on qubits?", inChannel(alice));
    expect(reply).toMatchObject({ kind: "notice", level: "success" });
    expect(text(reply)).toContain("Your invitation to Ada Quantum is on its way");

    const inv = await t.db.invitation.findFirstOrThrow({ where: { researcherId: ada.researcherId } });
    expect(inv).toMatchObject({
      status: "queued",
      message: "Would you like to collaborate on qubits?",
      recipientAccountId: ada.accountId,
      originPlatform: "slack",
      originTenantId: "T1",
      originChannelId: "C0TEAM",
    });
    const days = (inv.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThan(14.1);
    const job = await producer.queue.getJob(inv.id);
    expect(job?.data).toEqual({ invitationId: inv.id });
    expect(job?.opts.attempts).toBeGreaterThan(1);
    expect(await auditActions(t.db, inv.id)).toEqual(["invitation.sent"]);
  });

  it("refuses an invitation to an unclaimed researcher and offers to say when they claim", async () => {
    const id = await researcher(t.db, "Una Claimed");
    const { reply } = await core.router.handleText("invite Una Claimed: hello", inChannel(alice));
    expect(reply).toMatchObject({
      kind: "notice",
      text: "Una Claimed hasn't claimed their Peerlink profile yet, so they can't receive invitations.",
      actions: [{ id: "watch_claim", value: String(id) }],
    });
    expect(await t.db.invitation.count()).toBe(0);

    const watch = await core.router.handleAction("watch_claim", String(id), inChannel(alice));
    expect(text(watch.reply)).toBe("I'll tell you when Una Claimed claims their profile.");
    const me = await core.accounts.resolve(alice);
    expect(await t.db.claimWatch.count({ where: { accountId: me.accountId, researcherId: id } })).toBe(1);
    const again = await core.router.handleAction("watch_claim", String(id), inChannel(alice));
    expect(text(again.reply)).toContain("already waiting");
  });

  it("answers the Invite button with the invitation form, which submits back to the invite command", async () => {
    const ada = await claimant(core, bob, "Ada Formfield");
    const { reply } = await core.router.handleAction("invite", String(ada.researcherId), inChannel(alice));
    expect(reply).toEqual<Form>({
      kind: "form",
      title: "Invite Ada Formfield to collaborate",
      submitLabel: "Send invitation",
      inputs: [{ id: "message", label: "Message", multiline: true, maxLength: 1000 }],
      submit: { command: "invite", fixed: { query: `#${ada.researcherId}` } },
      asCommand: "/researcher invite Ada Formfield: <message>",
    });
    const submitted = await core.router.handle("invite", { query: `#${ada.researcherId}`, message: "Let's talk!" }, inChannel(alice));
    expect(submitted.reply).toMatchObject({ level: "success" });
    expect(await t.db.invitation.count({ where: { researcherId: ada.researcherId } })).toBe(1);
  });

  it("shows message problems beside the form's message field", async () => {
    const ada = await claimant(core, bob, "Ada Toolong");
    const empty = await core.router.handle("invite", { query: `#${ada.researcherId}`, message: "   " }, inChannel(alice));
    expect((empty.reply as Notice).fieldErrors?.message).toBe("Write a short message so they know why you're getting in touch.");
    const long = await core.router.handle("invite", { query: `#${ada.researcherId}`, message: "x".repeat(1001) }, inChannel(alice));
    expect((long.reply as Notice).fieldErrors?.message).toBe("Your message is too long (1000 characters at most).");
    expect(await t.db.invitation.count()).toBe(0);
  });

  it("allows only one pending invitation from a sender to a researcher, enforced by the database", async () => {
    const ada = await claimant(core, bob, "Ada Duplicate");
    await core.router.handleText("invite Ada Duplicate: first", inChannel(alice));
    const second = await core.router.handleText("invite Ada Duplicate: second", inChannel(alice));
    expect(text(second.reply)).toBe("You already have a pending invitation to Ada Duplicate. You'll hear back when they answer or when it expires.");
    // Not an if-statement: the partial unique index refuses a second pending row outright.
    const me = await core.accounts.resolve(alice);
    const row = {
      senderAccountId: me.accountId,
      senderIdentityId: me.identityId,
      researcherId: ada.researcherId,
      recipientAccountId: ada.accountId,
      message: "x",
      originPlatform: "slack" as const,
      originTenantId: "T1",
      originChannelId: "C",
      expiresAt: new Date(core.clock.now().getTime() + 1e6),
    };
    await expect(t.db.invitation.create({ data: row })).rejects.toMatchObject({ code: "P2002" });
    // Once answered, a new invitation is allowed.
    await t.db.invitation.updateMany({ where: { researcherId: ada.researcherId }, data: { status: "declined" } });
    const third = await core.router.handleText("invite Ada Duplicate: third", inChannel(alice));
    expect(third.reply).toMatchObject({ level: "success" });
  });

  it("limits how many invitations one sender sends in a day", async () => {
    for (const name of ["Rita One", "Rita Two", "Rita Three", "Rita Four"])
      await claimant(core, person("slack", "T1", `U${name.replace(" ", "")}`, name), name);
    const outcomes = [];
    for (const name of ["Rita One", "Rita Two", "Rita Three", "Rita Four"]) {
      outcomes.push((await core.router.handleText(`invite ${name}: hi`, inChannel(eve))).reply);
    }
    expect(outcomes.slice(0, 3).map((r) => (r as Notice).level)).toEqual(["success", "success", "success"]);
    expect(text(outcomes[3]!)).toBe("You've sent 3 invitations in the last 24 hours, the most allowed. Please try again tomorrow.");
    expect(await t.db.invitation.count()).toBe(3);
  });

  it("refuses invitations from someone the recipient has blocked", async () => {
    const ada = await claimant(core, bob, "Ada Blocker");
    const aliceId = await core.accounts.resolve(alice);
    await core.blocks.block(ada, aliceId.accountId);
    const { reply } = await core.router.handleText("invite Ada Blocker: please", inChannel(alice));
    expect(text(reply)).toBe("Ada Blocker isn't accepting invitations from you.");
    expect(await t.db.invitation.count()).toBe(0);
  });

  it("can require senders to have a verified claim of their own", async () => {
    const strict = createCore({
      clock: testClock(),
      db: t.db,
      log: silentLog,
      invitations: { queue: producer, policy: { requireVerifiedSender: true } },
    });
    await claimant(strict, bob, "Ada Strict");
    const refused = await strict.router.handleText("invite Ada Strict: hi", inChannel(alice));
    expect(text(refused.reply)).toContain("only people who have claimed their own researcher profile can send invitations");
    await claimant(strict, alice, "Alice Verified");
    const allowed = await strict.router.handleText("invite Ada Strict: hi", inChannel(alice));
    expect(allowed.reply).toMatchObject({ level: "success" });
  });
});

describe("answering an invitation", () => {
  async function invitation(name: string) {
    const ada = await claimant(core, bob, name);
    await core.router.handleText(`invite ${name}: Let's work together`, inChannel(alice));
    const inv = await t.db.invitation.findFirstOrThrow({ where: { researcherId: ada.researcherId } });
    await t.db.invitation.update({ where: { id: inv.id }, data: { status: "delivered" } });
    return inv.id;
  }

  it("lets only the recipient accept; anyone else is refused politely and nothing changes", async () => {
    const id = await invitation("Ada Accept");
    const intruder = await core.router.handleAction("accept_invite", id, inChannel(eve));
    expect(text(intruder.reply)).toBe("Sorry, this invitation is addressed to Ada Accept, so only they can answer it.");
    expect((await t.db.invitation.findUniqueOrThrow({ where: { id } })).status).toBe("delivered");

    const accepted = await core.router.handleAction("accept_invite", id, inChannel(bob, "DBOB"));
    expect((accepted.reply as Notice).level).toBe("success");
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("accepted");
    expect(row.respondedAt).not.toBeNull();
    // Both on one Slack workspace but this messenger has no group DMs: each gets the other's contact.
    expect(sent.map((s) => s.to.userId).sort()).toEqual(["UALICE", "UBOB"]);
    expect(text(sent.find((s) => s.to.userId === "UALICE")!.reply)).toContain("Ada Accept accepted your invitation");
    expect(await auditActions(t.db, id)).toEqual(["invitation.sent", "invitation.answer_refused", "invitation.accepted"]);

    const twice = await core.router.handleAction("decline_invite", id, inChannel(bob));
    expect(text(twice.reply)).toBe("You already accepted this invitation.");
  });

  it("tells the sender politely when the recipient declines", async () => {
    const id = await invitation("Ada Decline");
    const { reply } = await core.router.handleAction("decline_invite", id, inChannel(bob));
    expect(text(reply)).toBe("Declined. I've let Alice Adams know, politely.");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toMatchObject({ platform: "slack", tenantId: "T1", userId: "UALICE" });
    expect(text(sent[0]!.reply)).toContain("Ada Decline can't take up your invitation to collaborate right now");
    expect((await t.db.invitation.findUniqueOrThrow({ where: { id } })).status).toBe("declined");
  });

  it("blocks the sender from the invitation's Block sender button, quietly closing the invitation", async () => {
    const id = await invitation("Ada Blockbutton");
    const refused = await core.router.handleAction("block_sender", id, inChannel(eve));
    expect(text(refused.reply)).toContain("only the person this invitation is addressed to");
    const { reply } = await core.router.handleAction("block_sender", id, inChannel(bob));
    expect(text(reply)).toContain("Blocked Alice Adams");
    expect((await t.db.invitation.findUniqueOrThrow({ where: { id } })).status).toBe("declined");
    expect(sent).toHaveLength(0);
    const again = await core.router.handleText("invite Ada Blockbutton: please?", inChannel(alice));
    expect(text(again.reply)).toBe("Ada Blockbutton isn't accepting invitations from you.");
    const unblocked = await core.router.handleText("unblock Alice Adams", inChannel(bob));
    expect(text(unblocked.reply)).toBe("Unblocked Alice Adams.");
  });

  it("blocks by the name on an invitation or by mention, and only among people who invited you", async () => {
    await invitation("Ada Blockname");
    const stranger = await core.router.handleText("block Eve Evans", inChannel(bob));
    expect(text(stranger.reply)).toContain("couldn't find “Eve Evans” among the people who have invited you");
    const byName = await core.router.handleText("block alice adams", inChannel(bob));
    expect(text(byName.reply)).toContain("Blocked Alice Adams");
    await core.accounts.resolve(eve);
    const byMention = await core.router.handleText("block <@UEVE|eve>", inChannel(bob));
    expect(text(byMention.reply)).toContain("Blocked Eve Evans");
    expect(await t.db.block.count()).toBe(2);
  });

  it("lists sent and received invitations with their status", async () => {
    await invitation("Ada Listed");
    const mine = await core.router.handleText("invites", inChannel(alice));
    expect((mine.reply as List).items.map((i) => [i.title, i.meta?.split(" · ")[1]])).toEqual([
      ["To Ada Listed", "delivered, waiting for their answer"],
    ]);
    const theirs = await core.router.handleText("invites", inChannel(bob));
    const item = (theirs.reply as List).items[0]!;
    expect(item.title).toBe("From Alice Adams (to you as Ada Listed)");
    expect(item.actions?.map((a) => a.id)).toEqual(["accept_invite", "decline_invite"]);
  });
});
