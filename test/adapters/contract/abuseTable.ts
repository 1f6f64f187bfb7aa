// Issue #17, item 4: who may do what. Each row is an attempt by the wrong kind of actor (or with a
// hostile payload), what they must see and what Postgres must still hold. runContract sends every
// row through the real Slack (Bolt, signed requests) and Discord (discord.js, gateway stand-in)
// adapters, in the same world as the command contract.
import type { Response } from "../../../src/core/reply.js";
import {
  accountOf,
  type ActorKind,
  claimedBy,
  claimInReview,
  claimsOf,
  type ContractCase,
  contextFor,
  FRANKLE,
  frankle,
  invitationFromOther,
  invitationStatus,
  PRUNING,
  pruningTopic,
  type Setup,
  type World,
} from "./commandContract.js";
import type { Tenant } from "./runContract.js";

export interface AbuseCase extends ContractCase {
  /** A subcommand's name, or a button's action id. */
  command?: string;
  action?: string;
  /** The actor acts from the second tenant (World.elsewhere: Slack workspace B, Discord guild B). Default: here. */
  tenant?: Tenant;
  /** Commands sent first, in order, by the same actor through the adapter; each reply must match. */
  before?: { command: string; args: ContractCase["args"]; reply: RegExp[] }[];
  /** After `before`, the world's clock moves this far on for the attempt (and back once it is answered). */
  laterMs?: number;
}

// ---- the second tenant (workspace B, guild B) ----------------------------------------------

/** Runs a command through the core as `kind` of the second tenant, in its channel (setup only); a refusal fails the setup. */
async function inB(w: World, kind: ActorKind, text: string): Promise<Response> {
  const r = await w.core.router.handleText(text, contextFor({ platform: w.platform, ...w.elsewhere }, kind));
  if (r.reply.kind === "notice" && (r.reply.level === "error" || r.reply.level === "warning")) {
    throw new Error(`setup "${text}" as ${kind} of the other tenant failed: ${r.reply.text}`);
  }
  return r;
}
const identityInB = (w: World, kind: ActorKind) =>
  w.core.accounts.resolve({ platform: w.platform, tenantId: w.elsewhere.tenantId, userId: w.elsewhere.userId(kind) });
const accountInB = async (w: World, kind: ActorKind) => (await identityInB(w, kind)).accountId;
const alertExists = (w: World, s: Setup) => w.db.alert.count({ where: { id: Number(s.alertId) } });
const subscriptionsInB = (w: World) => w.db.channelSubscription.count({ where: { platform: w.platform, tenantId: w.elsewhere.tenantId } });
const followsInB = async (w: World) => w.db.follow.count({ where: { accountId: await accountInB(w, "user") } });

/** Workspace B's channel gets the topic's papers: the subscription's alert id. */
async function topicSubscribedInB(w: World): Promise<Setup> {
  await pruningTopic(w);
  await inB(w, "manager", `subscribe topic: ${PRUNING}`);
  return { alertId: (await w.db.alert.findFirstOrThrow()).id };
}
/** This channel gets the topic's papers (for a try from workspace B). */
async function topicSubscribedHere(w: World): Promise<Setup> {
  await pruningTopic(w);
  await w.run("manager", `subscribe topic: ${PRUNING}`);
  return { alertId: (await w.db.alert.findFirstOrThrow()).id };
}
/** A member of workspace B follows a search: the follow's alert id. */
async function searchFollowedInB(w: World): Promise<Setup> {
  await inB(w, "user", "follow search: lottery tickets");
  return { alertId: (await w.db.alert.findFirstOrThrow()).id };
}
/** A member of workspace B holds Jonathan Frankle's record (reviewed and approved by this tenant's admin, the reviewer). */
async function frankleHeldInB(w: World): Promise<Setup> {
  const r = await inB(w, "user", `claim ${FRANKLE}`);
  const id = /claim #(\d+)/.exec(r.reply.kind === "notice" ? r.reply.text : "")?.[1];
  if (!id) throw new Error("setup: no claim number in the claim's reply");
  await w.run("admin", `approve ${id}`);
  return { claimId: Number(id) };
}
/** Within workspace B: its member holds Frankle's record and another member of B invited them. */
async function invitationInB(w: World): Promise<Setup> {
  await frankleHeldInB(w);
  await inB(w, "other", `invite ${FRANKLE}: A collaboration in workspace B?`);
  return { invitationId: (await w.db.invitation.findFirstOrThrow()).id };
}
/** A member of workspace B asked for Frankle's record to be reviewed: the claim's number. */
async function claimInReviewInB(w: World): Promise<Setup> {
  const r = await inB(w, "other", `claim ${FRANKLE}`);
  const id = /claim #(\d+)/.exec(r.reply.kind === "notice" ? r.reply.text : "")?.[1];
  if (!id) throw new Error("setup: no claim number in the claim's reply");
  return { claimId: Number(id) };
}
const pendingReviews = (w: World) => w.db.claim.findMany({ select: { method: true, status: true } });

/** A link code issued to another account (a console identity): the code and that account. */
async function codeOfAnotherAccount(w: World): Promise<Setup> {
  const { code, accountId } = await newCodeOfAnotherAccount(w);
  return { code, accountId };
}
/** A (further) link code of the console account codeOfAnotherAccount uses. */
async function newCodeOfAnotherAccount(w: World): Promise<{ code: string; accountId: number }> {
  const elsewhere = await w.core.accounts.resolve({ platform: "console", tenantId: "local", userId: "ada-abuse" });
  const issued = await w.core.linking.issue(elsewhere);
  if (issued.kind !== "issued") throw new Error(`setup: no link code (${issued.kind})`);
  return { code: issued.code, accountId: elsewhere.accountId };
}
/** Five wrong guesses (the hourly limit, DEFAULT_LINK_SETTINGS.maxFailedRedemptionsPerHour), each refused. */
const FIVE_WRONG_GUESSES = ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE"].map((code) => ({
  command: "link",
  args: code,
  reply: [/That code isn't valid/],
}));

/** Names that must come back inert: no broadcast mention, no SQL run, no control characters. */
const HOSTILE = "<!channel> @everyone @here '; DROP TABLE researcher; -- *bold* _x_ `code`";
/** Nothing in a reply may be a control character (a newline or tab aside). */
const NO_CONTROL = /^(?![\s\S]*[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f])[\s\S]*$/;

export const abuseCases: AbuseCase[] = [
  {
    name: "a third person pressing Accept on someone else's invitation is refused, the invitation stays unanswered",
    action: "accept_invite",
    actor: "manager",
    setup: invitationFromOther,
    value: (s) => String(s.invitationId),
    reply: [/this invitation is addressed to Jonathan Frankle, so only they can answer it/],
    effect: { query: invitationStatus, expected: "delivered" },
  },
  {
    name: "the sender pressing Accept on their own invitation is refused",
    action: "accept_invite",
    actor: "other",
    setup: invitationFromOther,
    value: (s) => String(s.invitationId),
    reply: [/this invitation is addressed to Jonathan Frankle, so only they can answer it/],
    effect: { query: invitationStatus, expected: "delivered" },
  },
  {
    name: "a non-admin claimant approving their own claim is refused",
    command: "approve",
    actor: "other",
    setup: claimInReview,
    args: (s) => String(s.claimId),
    reply: [/Only admins/],
    effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "pending" }] },
  },
  {
    name: "a non-admin claimant pressing Approve on their own claim is refused",
    action: "approve_claim",
    actor: "other",
    setup: claimInReview,
    value: (s) => String(s.claimId),
    reply: [/Only admins/],
    effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: null },
  },
  {
    name: "a non-admin running usage is refused",
    command: "usage",
    actor: "manager",
    args: "",
    reply: [/Only workspace admins can see the OpenAlex usage/],
  },
  {
    name: "a channel manager, no admin, approving a claim is refused",
    command: "approve",
    actor: "manager",
    setup: claimInReview,
    args: (s) => String(s.claimId),
    reply: [/Only admins/],
    effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "pending" }] },
  },
  {
    name: "invitation spam: the eleventh invitation in a day is refused, nothing more is queued",
    command: "invite",
    setup: async (w) => {
      await claimedBy(w, "other");
      const me = await w.identity("user");
      const now = w.core.clock.now();
      const row = {
        senderAccountId: me.accountId,
        senderIdentityId: me.identityId,
        researcherId: w.researcherId,
        recipientAccountId: await accountOf(w, "other"),
        message: "spam",
        status: "declined" as const,
        originPlatform: w.platform,
        originTenantId: w.tenantId,
        originChannelId: w.channelId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
      };
      await w.db.invitation.createMany({ data: Array.from({ length: 10 }, () => row) });
    },
    args: "Jonathan Frankle: one more?",
    reply: [/limit|tomorrow|24 hours|today/i],
    effect: { query: async (w) => w.db.invitation.count({ where: { senderAccountId: await accountOf(w, "user") } }), expected: 10 },
  },
  {
    name: "link-code guessing: a wrong code links nothing",
    command: "link",
    args: "AAAA-AAAA",
    reply: [/That code isn't valid/],
    effect: { query: (w) => w.db.chatIdentity.count({ where: { platform: w.platform, userId: w.userId("user") } }), expected: 1 },
  },
  {
    // Refused on every platform (typed text and Discord's typed options alike), and none comes back.
    name: "control characters in a name never come back",
    command: "lookup",
    args: "Jonathan\u0007 Frankle\u001b[31m\u0000",
    reply: [/control characters/, NO_CONTROL],
  },
  {
    // Found by the full fuzz run (FUZZ_SIZE=full): a NUL reached Postgres, which refuses it in text, and the user saw the apology.
    name: "a NUL and terminal escapes in a free-text option are refused kindly, not an apology",
    command: "suggest",
    args: "\u0000\u0001\u0007\u001b[31m",
    reply: [/control characters/, NO_CONTROL],
  },
  {
    name: "a hostile name is echoed back inert and runs no SQL",
    command: "lookup",
    args: HOSTILE,
    // Slack broadcasts only by <!channel> (and <!everyone>, <!here>), which must come back escaped; a bare @everyone is inert text on Slack, and on
    // Discord every reply is an embed sent with allowed_mentions parse [] (respondInTime.ts), so it pings no one.
    reply: [/^(?![\s\S]*<!channel>)[\s\S]*$/, /No researcher found/, NO_CONTROL],
    effect: { query: (w) => w.db.researcher.count().then((n) => n > 0), expected: true },
  },
  {
    name: "link-code guessing: after five wrong codes in an hour even the right one is refused, kindly, and nothing is linked",
    command: "link",
    setup: codeOfAnotherAccount,
    before: FIVE_WRONG_GUESSES,
    args: (s) => String(s.code),
    reply: [/Too many wrong codes from this identity\. Wait an hour, then try again/],
    effect: {
      query: async (w, s) => ({
        linked: (await accountOf(w, "user")) === s.accountId,
        codeUsed: (await w.db.linkCode.findFirstOrThrow({ where: { accountId: Number(s.accountId) } })).usedAt !== null,
      }),
      expected: { linked: false, codeUsed: false },
    },
  },
  {
    name: "link-code guessing: an hour after the wrong codes the lock has lifted, and a fresh code links",
    command: "link",
    setup: codeOfAnotherAccount,
    before: FIVE_WRONG_GUESSES,
    laterMs: 61 * 60_000,
    // The first code has expired by then: the other account asks for a new one, an hour on.
    args: async (_s, w) => (await newCodeOfAnotherAccount(w)).code,
    reply: [/Linked/],
    effect: {
      query: async (w, s) => ({
        linked: (await accountOf(w, "user")) === s.accountId,
        codeUsed:
          (await w.db.linkCode.findFirstOrThrow({ where: { accountId: Number(s.accountId) }, orderBy: { createdAt: "desc" } })).usedAt !== null,
      }),
      expected: { linked: true, codeUsed: true },
    },
  },
  // Workspace A (here) against workspace B's rows (World.elsewhere): ids in button values and names in commands.
  {
    name: "cross-tenant: Unsubscribe pressed here with workspace B's subscription id removes nothing, B's stays",
    action: "unsubscribe_target",
    actor: "manager",
    setup: topicSubscribedInB,
    value: (s) => String(s.alertId),
    reply: [/This channel was not subscribed to that/],
    effect: { query: alertExists, expected: 1 },
  },
  {
    name: "cross-tenant: unsubscribe here leaves workspace B's channel subscribed",
    command: "unsubscribe",
    actor: "manager",
    setup: (w) => inB(w, "manager", `subscribe ${FRANKLE}`).then(() => undefined),
    args: FRANKLE,
    reply: [/This channel was not subscribed to Jonathan Frankle/],
    effect: { query: subscriptionsInB, expected: 1 },
  },
  {
    name: "cross-tenant: subscriptions here never lists workspace B's",
    command: "subscriptions",
    setup: (w) => inB(w, "manager", `subscribe ${FRANKLE}`).then(() => undefined),
    args: "",
    reply: [/This channel has no subscriptions/],
    effect: { query: subscriptionsInB, expected: 1 },
  },
  {
    name: "cross-tenant: a manager of workspace B pressing Unsubscribe with this channel's subscription id removes nothing",
    action: "unsubscribe_target",
    actor: "manager",
    tenant: "elsewhere",
    setup: topicSubscribedHere,
    value: (s) => String(s.alertId),
    reply: [/This channel was not subscribed to that/],
    effect: { query: alertExists, expected: 1 },
  },
  {
    name: "cross-tenant: Unfollow pressed with a workspace B member's follow id removes nothing, theirs stays",
    action: "unfollow_target",
    setup: searchFollowedInB,
    value: (s) => String(s.alertId),
    reply: [/You were not following that/],
    effect: { query: alertExists, expected: 1 },
  },
  {
    name: "cross-tenant: following never lists a workspace B member's follows",
    command: "following",
    setup: (w) => inB(w, "user", `follow ${FRANKLE}`).then(() => undefined),
    args: "",
    reply: [/You don't follow anyone yet/],
    effect: { query: followsInB, expected: 1 },
  },
  {
    name: "cross-tenant: unfollow here leaves a workspace B member's follow of the same researcher",
    command: "unfollow",
    setup: (w) => inB(w, "user", `follow ${FRANKLE}`).then(() => undefined),
    args: FRANKLE,
    reply: [/You were not following Jonathan Frankle/],
    effect: { query: followsInB, expected: 1 },
  },
  {
    name: "cross-tenant: Accept pressed here on an invitation between workspace B members is refused, it stays unanswered",
    action: "accept_invite",
    setup: invitationInB,
    value: (s) => String(s.invitationId),
    reply: [/this invitation is addressed to Jonathan Frankle, so only they can answer it/],
    effect: { query: invitationStatus, expected: "delivered" },
  },
  {
    name: "cross-tenant: Decline pressed here on workspace B's invitation is refused, it stays unanswered",
    action: "decline_invite",
    setup: invitationInB,
    value: (s) => String(s.invitationId),
    reply: [/this invitation is addressed to Jonathan Frankle, so only they can answer it/],
    effect: { query: invitationStatus, expected: "delivered" },
  },
  {
    name: "cross-tenant: Block sender pressed here on workspace B's invitation blocks no one and closes nothing",
    action: "block_sender",
    setup: invitationInB,
    value: (s) => String(s.invitationId),
    reply: [/only the person this invitation is addressed to can block its sender/],
    effect: {
      query: async (w, s) => ({ status: await invitationStatus(w, s), blocks: await w.db.block.count() }),
      expected: { status: "delivered", blocks: 0 },
    },
  },
  {
    name: "cross-tenant: release here of the record a workspace B member holds is refused, they keep it",
    command: "release",
    setup: frankleHeldInB,
    args: FRANKLE,
    reply: [/That record is claimed by someone else, so there is nothing for you to release/],
    effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: (w: World) => accountInB(w, "user") },
  },
  {
    name: "cross-tenant: an admin of workspace B (which does not review claims) pressing Approve is refused",
    action: "approve_claim",
    actor: "admin",
    tenant: "elsewhere",
    setup: claimInReview,
    value: (s) => String(s.claimId),
    reply: [/Only admins/],
    effect: {
      query: async (w) => ({ claims: await pendingReviews(w), holder: (await frankle(w)).claimedByAccountId }),
      expected: { claims: [{ method: "admin_review", status: "pending" }], holder: null },
    },
  },
  {
    name: "cross-tenant: an admin of workspace B approving their own member's claim is refused",
    command: "approve",
    actor: "admin",
    tenant: "elsewhere",
    setup: claimInReviewInB,
    args: (s) => String(s.claimId),
    reply: [/Only admins of the workspace that reviews claims can approve or reject them/],
    effect: { query: pendingReviews, expected: [{ method: "admin_review", status: "pending" }] },
  },
  {
    name: "cross-tenant: an admin of workspace B revoking a claim is refused, the holder keeps the record",
    command: "revoke",
    actor: "admin",
    tenant: "elsewhere",
    setup: (w) => claimedBy(w, "other"),
    args: FRANKLE,
    reply: [/Only admins of the workspace that reviews claims can revoke them/],
    effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: (w: World) => accountOf(w, "other") },
  },
];
