import { z } from "zod";
import type { Identity } from "../accounts/AccountService.js";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext } from "../context.js";
import type { BlockCandidate } from "../invitations/BlockService.js";
import { answeredRequestCard } from "../intros/introReplies.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { defineCommand } from "./Command.js";

/** A platform mention: Slack `<@U123>` / `<@U123|name>`, Discord `<@123>` / `<@!123>`. */
const MENTION = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/;

const user = z
  .string({ error: "Tell me who: mention them (@name) or give the name shown on their invitation." })
  .trim()
  .min(1, "Tell me who: mention them (@name) or give the name shown on their invitation.")
  .max(200, "That name is too long (200 characters at most).");

type Found = { ok: true; person: BlockCandidate } | { ok: false; reply: Response };

async function findPerson(core: CoreServices, ctx: CommandContext, me: Identity, who: string, among: "senders" | "blocked"): Promise<Found> {
  const mention = MENTION.exec(who);
  if (mention) {
    const person = await core.blocks.findByMention(ctx.actor.platform, ctx.actor.tenantId, mention[1]!);
    if (person) return { ok: true, person };
    return { ok: false, reply: ephemeral(notice("info", "That person hasn't used Peerlink, so they can't send you invitations.")) };
  }
  const matches = await core.blocks.findByName(me.accountId, who.replace(/^@/, ""), among);
  if (matches.length === 1) return { ok: true, person: matches[0]! };
  const where = among === "senders" ? "among the people who have invited you" : "among the people you've blocked";
  const text =
    matches.length === 0
      ? `I couldn't find “${who}” ${where}. Use the Block sender button on their invitation, or mention them (@name).`
      : `Several people called “${who}” are ${where}. Use the Block sender button on their invitation, or mention them (@name).`;
  return { ok: false, reply: ephemeral(notice("warning", text)) };
}

async function block(core: CoreServices, me: Identity, person: BlockCandidate): Promise<Response> {
  if (person.accountId === me.accountId) return ephemeral(notice("info", "You can't block yourself."));
  const outcome = await core.blocks.block(me, person.accountId);
  return ephemeral(
    notice(
      "success",
      outcome === "blocked"
        ? `Blocked ${person.displayName}: they can't send you invitations any more. Undo with /researcher unblock ${person.displayName}.`
        : `${person.displayName} is already blocked.`,
    ),
  );
}

export const blockCommand = defineCommand({
  name: "block",
  usage: "/researcher block <@user | name on their invitation>",
  summary: "Stop someone from sending you invitations.",
  input: z.object({ user }),
  fromText: (text) => ({ user: text }),
  async run({ user }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const found = await findPerson(core, ctx, me, user, "senders");
    return found.ok ? block(core, me, found.person) : found.reply;
  },
  actions: {
    /** On an invitation DM: blocks its sender and closes the invitation without telling them. */
    async block_sender(value, ctx, core) {
      const me = await core.accounts.resolve(ctx.actor);
      const inv = await core.invitations.senderOf(value);
      if (!inv) return ephemeral(notice("warning", "That invitation no longer exists."));
      const recipient = await core.invitations.recipientIdentity(inv.recipientAccountId, me, ctx.actor);
      if (!recipient) {
        return ephemeral(notice("info", "Sorry, only the person this invitation is addressed to can block its sender."));
      }
      // Closes the invitation too, quietly: a blocked sender is not told.
      const answered = await core.invitations.answer(ctx.actor, recipient, value, "decline");
      const response = await block(core, recipient, { accountId: inv.senderAccountId, displayName: inv.senderName });
      return answered.ok ? { ...response, source: answeredRequestCard(answered.invitation, "blocked") } : response;
    },
  },
});

export const unblockCommand = defineCommand({
  name: "unblock",
  usage: "/researcher unblock <@user | name>",
  summary: "Let someone you blocked send you invitations again.",
  input: z.object({ user }),
  fromText: (text) => ({ user: text }),
  async run({ user }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const found = await findPerson(core, ctx, me, user, "blocked");
    if (!found.ok) return found.reply;
    const outcome = await core.blocks.unblock(me, found.person.accountId);
    return ephemeral(
      notice("success", outcome === "unblocked" ? `Unblocked ${found.person.displayName}.` : `${found.person.displayName} wasn't blocked.`),
    );
  },
});
