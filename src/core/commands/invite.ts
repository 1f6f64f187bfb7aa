import { z } from "zod";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext } from "../context.js";
import { inviteForm, unclaimedNotice } from "../invitations/invitationReplies.js";
import { answeredRequestCard } from "../intros/introReplies.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { researcherFromValue } from "./researcherValue.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

/** The longest invitation message (also the modal's limit). */
export const MAX_INVITATION_MESSAGE = 1000;

/**
 * Text syntax: `/researcher invite <name>: <message>` or `/researcher invite <name> -- <message>`.
 * The first ":" (not one in a URL such as https://orcid.org/…) or " -- " ends the name. Without a
 * message the reply is the invitation form, so the message can be written in a modal.
 */
export function splitInvite(text: string): { query: string; message?: string } {
  const m = /^(.*?)(?:\s--(?:\s|$)|:(?!\/\/))([\s\S]*)$/.exec(text);
  return m ? { query: m[1]!.trim(), message: m[2]!.trim() } : { query: text.trim() };
}

const message = z
  .string({
    error: "Write a short message so they know why you're getting in touch.",
  })
  .trim()
  .min(1, "Write a short message so they know why you're getting in touch.")
  .max(MAX_INVITATION_MESSAGE, `Your message is too long (${MAX_INVITATION_MESSAGE} characters at most).`);

/** "#123" is how forms and buttons name a researcher exactly; anything else is searched. */
async function resolve(core: CoreServices, q: string) {
  const byId = /^#(\d{1,9})$/.exec(q);
  if (byId) return { ok: true as const, researcherId: Number(byId[1]) };
  return resolveResearcher(core, q, (id) => ({
    id: "invite",
    label: "Invite",
    value: String(id),
  }));
}

/** The Invite button, or the command without a message: the form, if the researcher can be invited. */
async function openForm(researcherId: number, core: CoreServices): Promise<Response> {
  const r = await core.profiles.claimState(researcherId);
  if (!r) return ephemeral(notice("warning", "That researcher no longer exists."));
  if (!r.claimed) return ephemeral(unclaimedNotice(researcherId, r.name));
  return ephemeral(inviteForm(researcherId, r.name, core.invitations.maxMessageLength));
}

async function answer(value: string, ctx: CommandContext, core: CoreServices, kind: "accept" | "decline"): Promise<Response> {
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await core.invitations.answer(ctx.actor, me, value, kind);
  if (!outcome.ok) return ephemeral(outcome.reply);
  if (kind === "decline") {
    await core.invitations.notifyDeclined(outcome.invitation);
    return {
      ...ephemeral(notice("info", `Declined. I've let ${outcome.invitation.senderName} know, ${outcome.invitation.intro ? "kindly" : "politely"}.`)),
      source: answeredRequestCard(outcome.invitation, "declined"),
    };
  }
  return {
    ...ephemeral(await core.invitationConnector.connect(outcome.invitation, outcome.recipient)),
    source: answeredRequestCard(outcome.invitation, "accepted"),
  };
}

export const inviteCommand = defineCommand({
  name: "invite",
  usage: "/researcher invite <name>: <message>",
  summary: "Invite a researcher who has claimed their profile to talk about collaborating.",
  input: z.object({ query, message: message.optional() }),
  fromText: splitInvite,
  async run({ query, message }, ctx, core) {
    const resolved = await resolve(core, query);
    if (!resolved.ok) return resolved.response;
    if (message === undefined) return openForm(resolved.researcherId, core);
    const sender = await core.accounts.resolve(ctx.actor);
    const outcome = await core.invitations.send(sender, ctx, resolved.researcherId, message);
    if (!outcome.ok) return ephemeral(outcome.reply);
    return ephemeral(
      notice(
        "success",
        `Your invitation to ${outcome.researcherName} is on its way. I'll message you when they answer; /researcher invites shows its status.`,
      ),
    );
  },
  actions: {
    // "oa:<id>": someone a message action found only in OpenAlex, imported now.
    invite: async (value, _ctx, core) => {
      const r = await researcherFromValue(value, core);
      return r.ok ? openForm(r.researcherId, core) : r.response;
    },
    accept_invite: (value, ctx, core) => answer(value, ctx, core, "accept"),
    decline_invite: (value, ctx, core) => answer(value, ctx, core, "decline"),
    async watch_claim(value, ctx, core) {
      // A garbled or forged value is a stale button, not a query Prisma refuses (which was the apology).
      const r = await researcherFromValue(value, core);
      if (!r.ok) return r.response;
      const name = await core.profiles.name(r.researcherId);
      if (name === null) return ephemeral(notice("warning", "That researcher no longer exists."));
      const me = await core.accounts.resolve(ctx.actor);
      const outcome = await core.invitations.watchClaim(me, r.researcherId);
      return ephemeral(
        notice(
          "success",
          outcome === "watching" ? `I'll tell you when ${name} claims their profile.` : `You're already waiting for ${name} to claim their profile.`,
        ),
      );
    },
  },
});
