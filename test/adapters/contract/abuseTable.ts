// Issue #17, item 4: who may do what. Each row is an attempt by the wrong kind of actor (or with a
// hostile payload), what they must see and what Postgres must still hold. runContract sends every
// row through the real Slack (Bolt, signed requests) and Discord (discord.js, gateway stand-in)
// adapters, in the same world as the command contract.
import {
  accountOf,
  claimedBy,
  claimInReview,
  claimsOf,
  type ContractCase,
  frankle,
  invitationFromOther,
  invitationStatus,
} from "./commandContract.js";

export interface AbuseCase extends ContractCase {
  /** A subcommand's name, or a button's action id. */
  command?: string;
  action?: string;
}

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
    // Slack refuses the command ("contains control characters"), Discord strips them: either way none comes back.
    name: "control characters in a name never come back",
    command: "lookup",
    args: "Jonathan\u0007 Frankle\u001b[31m\u0000",
    reply: [NO_CONTROL],
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
];
