// What intros say: paths in words a colleague would use, the request DM, its answers. Plain reply data.
import { type Action, type Card, type Item, notice, type Notice, type Form } from "../reply.js";
import { answeredInvitationCard, expiredNotice, failedNotice, originLine } from "../invitations/invitationReplies.js";
import type { Platform } from "../context.js";
import type { IntroPath, PathNode } from "./IntroPathSearch.js";
import type { Tie } from "./tieStrength.js";

/** A path as stored with an intro request (invitation.intro_path) and shown in its DM. */
export interface StoredPath {
  nodes: PathNode[];
  ties: Tie[];
}

const papers = (n: number) => (n === 1 ? "a paper" : `${n} papers`);
const again = (n: number) => (n === 1 ? "one" : String(n));
/** After a first mention: "(most recently in 2020)", "(in 2020)", or nothing without a year. */
const when = (t: Tie) => (t.lastYear === null ? "" : t.sharedWorks === 1 ? ` (in ${t.lastYear})` : ` (most recently in ${t.lastYear})`);

/**
 * "Michael Carbin (here as @michael) wrote 2 papers with Jonathan Frankle, most recently in 2020", or
 * through co-authors: "… wrote 3 papers with Grace Hopper (most recently in 2019), who wrote one
 * with Jonathan Frankle (in 2021)". `who` is how the first person is named ("You" in their own DM).
 */
export function pathSentence(who: string, path: StoredPath): string {
  const [t0, t1, t2] = path.ties;
  const name = (i: number) => path.nodes[i]!.name;
  if (!t1) {
    const year = t0!.lastYear === null ? "" : t0!.sharedWorks === 1 ? ` in ${t0!.lastYear}` : `, most recently in ${t0!.lastYear}`;
    return `${who} wrote ${papers(t0!.sharedWorks)} with ${name(1)}${year}.`;
  }
  if (!t2)
    return `${who} wrote ${papers(t0!.sharedWorks)} with ${name(1)}${when(t0!)}, who wrote ${again(t1.sharedWorks)} with ${name(2)}${when(t1)}.`;
  return (
    `${who} wrote ${papers(t0!.sharedWorks)} with ${name(1)}${when(t0!)}; ${name(1)} wrote ${again(t1.sharedWorks)} with ${name(2)}${when(t1)}, ` +
    `who wrote ${again(t2.sharedWorks)} with ${name(3)}${when(t2)}.`
  );
}

export const hereAs = (path: Pick<IntroPath, "member">) => `${path.member.researcherName} (here as @${path.member.handle})`;

const HOPS = ["", "co-author", "2 hops", "3 hops"];

/** One entry of the intro list, with its "Ask for an intro" button. */
export function introItem(path: IntroPath, targetId: number): Item {
  const sharedDirect = path.ties[0]!.sharedWorks;
  return {
    title: hereAs(path),
    meta: [
      HOPS[path.hops],
      path.hops > 1
        ? `through ${path.nodes
            .slice(1, -1)
            .map((n) => n.name)
            .join(" and ")}`
        : `${papers(sharedDirect)} together`,
    ].join(" · "),
    text: pathSentence(hereAs(path), path),
    actions: [askAction(targetId, path.member.userId)],
  };
}

/** The button's value names the target and the member by their user id here; the path is found again when pressed. */
export const askAction = (targetId: number, memberUserId: string): Action => ({
  id: "ask_intro",
  label: "Ask for an intro",
  value: `${targetId}:${memberUserId}`,
  style: "primary",
});

export function parseAskValue(value: string): { targetId: number; memberUserId: string } | null {
  const m = /^(\d{1,9}):([A-Za-z0-9._-]{1,64})$/.exec(value);
  return m ? { targetId: Number(m[1]), memberUserId: m[2]! } : null;
}

/** The form behind "Ask for an intro": an optional message, the path already filled in. */
export function askForm(path: IntroPath, targetId: number, targetName: string, maxLength: number): Form {
  return {
    kind: "form",
    title: "Ask for an intro",
    submitLabel: "Ask",
    intro: `${pathSentence(hereAs(path), path)} I'll ask ${path.member.researcherName} to introduce you to ${targetName}.`,
    inputs: [{ id: "message", label: "Why you'd like to meet them (optional)", multiline: true, optional: true, maxLength }],
    submit: { command: "intro", fixed: { query: `#${targetId}`, via: `<@${path.member.userId}>` } },
    asCommand: `/researcher intro ${targetName} via @${path.member.userId}: <message>`,
  };
}

export interface IntroRequestView {
  id: string;
  senderName: string;
  /** The record the member claimed: the path's first node. */
  researcherName: string;
  targetName: string;
  path: StoredPath;
  message: string;
  originPlatform: Platform;
  originTenantId: string;
  originChannelId: string;
  expiresAt: Date;
}

type RequestText = Pick<IntroRequestView, "senderName" | "researcherName" | "targetName" | "path" | "message">;

function requestBase(r: RequestText, extraFields: Card["fields"] = []): Card {
  return {
    kind: "card",
    title: `${r.senderName} asks you for an introduction to ${r.targetName}`,
    subtitle: `Sent to you as ${r.researcherName}`,
    fields: [
      { label: "From", value: r.senderName, inline: true },
      ...extraFields,
      { label: "How you're connected", value: pathSentence("You", r.path) },
      ...(r.message ? [{ label: "Message", value: r.message }] : []),
    ],
    items: [],
    actions: [],
  };
}

/** The DM the member receives, with "I'll introduce you", Decline and Block sender. */
export function introRequestCard(r: IntroRequestView): Card {
  return {
    ...requestBase(r, [
      { label: "Sent from", value: originLine(r.originPlatform, r.originTenantId, r.originChannelId), inline: true },
      { label: "Expires", value: r.expiresAt.toISOString().slice(0, 10), inline: true },
    ]),
    context: `Only you can answer. If you introduce them, I'll put you and ${r.senderName} in touch; if you decline, they are told kindly, without a reason.`,
    actions: [
      { id: "accept_invite", label: "I'll introduce you", value: r.id, style: "primary" },
      { id: "decline_invite", label: "Decline", value: r.id },
      { id: "block_sender", label: "Block sender", value: r.id, style: "danger" },
    ],
  };
}

const ANSWERS = {
  accepted: "You offered to make this introduction.",
  declined: "You declined this intro request.",
  blocked: "You declined this intro request and blocked its sender.",
} as const;

export function answeredIntroCard(r: RequestText, answer: keyof typeof ANSWERS): Card {
  return { ...requestBase(r), context: ANSWERS[answer] };
}

export const introDeclinedNotice = (memberName: string, targetName: string): Notice =>
  notice(
    "info",
    `${memberName} can't make an introduction to ${targetName} right now. Thank you for asking — no reply is needed, and /researcher intro ${targetName} may show another way in.`,
  );

export const introExpiredNotice = (memberName: string, targetName: string): Notice =>
  notice(
    "info",
    `Your request to ${memberName} for an introduction to ${targetName} expired without an answer. /researcher intro ${targetName} may show another way in.`,
  );

export const introFailedNotice = (memberName: string, targetName: string): Notice =>
  notice(
    "warning",
    `Sorry — we couldn't deliver your request to ${memberName} for an introduction to ${targetName} after several tries. Please try again later.`,
  );

/** What the sender hears when an invitation or intro request (introTarget set) expired unanswered. */
export const senderExpiredNotice = (researcherName: string, introTarget: string | null): Notice =>
  introTarget === null ? expiredNotice(researcherName) : introExpiredNotice(researcherName, introTarget);

/** What the sender hears when an invitation or intro request could not be delivered. */
export const senderFailedNotice = (researcherName: string, introTarget: string | null): Notice =>
  introTarget === null ? failedNotice(researcherName) : introFailedNotice(researcherName, introTarget);

export const introWithdrawnNotice = (memberName: string, targetName: string): Notice =>
  notice("info", `${memberName} is no longer listed for introductions here, so your request for an introduction to ${targetName} was withdrawn.`);

export const introConversation = (memberName: string, senderName: string, targetName: string, message: string, targetHere: boolean): Notice =>
  notice(
    "success",
    `${memberName} offered to introduce ${senderName} to ${targetName}${targetHere ? ", who is here too" : ""} — this conversation is yours.` +
      (message ? `\n\n${senderName} wrote: “${message}”` : ""),
  );

/** The DM once answered, for an invitation or an intro request alike: what it said, no buttons left. */
export function answeredRequestCard(
  inv: { senderName: string; researcherName: string; message: string; intro?: { targetName: string; path: StoredPath } },
  answer: keyof typeof ANSWERS,
): Card {
  return inv.intro
    ? answeredIntroCard({ ...inv, targetName: inv.intro.targetName, path: inv.intro.path }, answer)
    : answeredInvitationCard(inv, answer);
}
