// What invitation messages say. Plain reply-model data; each adapter renders it.
import type { Platform } from "../context.js";
import { type Card, notice, type Notice, type Form } from "../reply.js";

export interface PersonRef {
  platform: Platform;
  tenantId: string;
  userId: string;
  displayName: string;
}

const PLATFORM_NAMES: Record<Platform, string> = { slack: "Slack", discord: "Discord", console: "the console" };
const TENANT_NAMES: Record<Platform, string> = { slack: "workspace", discord: "server", console: "session" };

export const platformName = (p: Platform) => PLATFORM_NAMES[p];

/** How to reach someone, in words that make sense on any platform. */
export function contactLine(p: PersonRef): string {
  return `${p.displayName} on ${PLATFORM_NAMES[p.platform]} (${TENANT_NAMES[p.platform]} ${p.tenantId}, user id ${p.userId})`;
}

export function originLine(platform: Platform, tenantId: string, channelId: string): string {
  // "the console" already has its article: "a the console channel" is what it would say otherwise.
  if (platform === "console") return `the console (${TENANT_NAMES[platform]} ${tenantId}, channel ${channelId})`;
  return `a ${PLATFORM_NAMES[platform]} channel (${TENANT_NAMES[platform]} ${tenantId}, channel ${channelId})`;
}

export function inviteForm(researcherId: number, name: string, maxLength: number): Form {
  return {
    kind: "form",
    title: `Invite ${name} to collaborate`,
    submitLabel: "Send invitation",
    inputs: [{ id: "message", label: "Message", multiline: true, maxLength }],
    submit: { command: "invite", fixed: { query: `#${researcherId}` } },
    asCommand: `/researcher invite ${name}: <message>`,
  };
}

export interface InvitationView {
  id: string;
  senderName: string;
  researcherName: string;
  message: string;
  originPlatform: Platform;
  originTenantId: string;
  originChannelId: string;
  expiresAt: Date;
}

type InvitationText = Pick<InvitationView, "senderName" | "researcherName" | "message">;

/** What every form of the invitation DM says: who invites whom, with the message in full. */
function invitationBase(inv: InvitationText, extraFields: Card["fields"] = []): Card {
  return {
    kind: "card",
    title: `${inv.senderName} invites you to collaborate`,
    subtitle: `Sent to you as ${inv.researcherName}`,
    fields: [
      { label: "From", value: inv.senderName, inline: true },
      ...extraFields,
      // A field, not an item: every renderer shows a field's full value (items are one-line entries).
      { label: "Message", value: inv.message },
    ],
    items: [],
    actions: [],
  };
}

/** The DM a claimant receives: who invites, from where, the message, and what they can do. */
export function invitationCard(inv: InvitationView): Card {
  return {
    ...invitationBase(inv, [
      { label: "Sent from", value: originLine(inv.originPlatform, inv.originTenantId, inv.originChannelId), inline: true },
      { label: "Expires", value: inv.expiresAt.toISOString().slice(0, 10), inline: true },
    ]),
    context: "Only you can answer this invitation. Accepting shares your chat contact with the sender.",
    actions: [
      { id: "accept_invite", label: "Accept", value: inv.id, style: "primary" },
      { id: "decline_invite", label: "Decline", value: inv.id },
      { id: "block_sender", label: "Block sender", value: inv.id, style: "danger" },
    ],
  };
}

const ANSWERS = {
  accepted: "You accepted this invitation.",
  declined: "You declined this invitation.",
  blocked: "You declined this invitation and blocked its sender.",
} as const;

/** The invitation DM once answered: what it said, what was answered, and no buttons left to press. */
export function answeredInvitationCard(inv: InvitationText, answer: keyof typeof ANSWERS): Card {
  return { ...invitationBase(inv), context: ANSWERS[answer] };
}

export const unclaimedNotice = (researcherId: number, name: string): Notice =>
  notice("warning", `${name} hasn't claimed their Peerlink profile yet, so they can't receive invitations.`, {
    actions: [{ id: "watch_claim", label: "Tell me when they claim it", value: String(researcherId) }],
  });

export const declinedNotice = (researcherName: string): Notice =>
  notice("info", `${researcherName} can't take up your invitation to collaborate right now. Thank you for reaching out — no reply is needed.`);

export const expiredNotice = (researcherName: string): Notice =>
  notice("info", `Your invitation to ${researcherName} expired without an answer. You're welcome to send a new one later.`);

export const failedNotice = (researcherName: string): Notice =>
  notice("warning", `Sorry — we couldn't deliver your invitation to ${researcherName} after several tries. Please try again later.`);

export const acceptedNotice = (researcherName: string, other: PersonRef): Notice =>
  notice("success", `${researcherName} accepted your invitation to collaborate. You can reach them as ${contactLine(other)}.`);

export const contactNotice = (senderName: string, sender: PersonRef): Notice =>
  notice("success", `You accepted ${senderName}'s invitation. You can reach them as ${contactLine(sender)}.`);

export const conversationIntro = (researcherName: string, senderName: string, message: string): Notice =>
  notice(
    "success",
    `${researcherName} accepted ${senderName}'s invitation to collaborate — this conversation is yours.\n\n${senderName} wrote: “${message}”`,
  );
