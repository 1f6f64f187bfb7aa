import { z } from "zod";
import { profileCard } from "../profiles/profileCard.js";
import { ephemeral, inChannel, notice } from "../reply.js";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext } from "../context.js";
import { defineCommand } from "./Command.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

export const query = z
  .string({ error: "Tell me who to look up: a name, an ORCID iD or an OpenAlex id." })
  .trim()
  .min(1, "Tell me who to look up: a name, an ORCID iD or an OpenAlex id.")
  .max(200, "That name is too long (200 characters at most).");

async function showProfile(researcherId: number, share: boolean, ctx: CommandContext, core: CoreServices) {
  const viewer = await core.accounts.resolve(ctx.actor);
  const profile = await core.profiles.load(researcherId, { viewerAccountId: viewer.accountId });
  if (!profile) return ephemeral(notice("warning", "That researcher no longer exists."));
  const card = profileCard(profile);
  if (!share) card.actions.push({ id: "share", label: "Share in channel", value: String(researcherId) });
  return share ? inChannel(card) : ephemeral(card);
}

export const lookupCommand = defineCommand({
  name: "lookup",
  aliases: ["profile", "show"],
  usage: "/researcher <name | ORCID iD | OpenAlex id> [--share]",
  summary: "Show a researcher's profile card. Add --share to post it in the channel.",
  input: z.object({ query, share: z.boolean().default(false) }),
  fromText(text) {
    const share = /(^|\s)--share(\s|$)/.test(text);
    return { query: text.replace(/(^|\s)--share(?=\s|$)/g, " ").trim(), share };
  },
  async run({ query, share }, ctx, core) {
    const resolved = await resolveResearcher(core, query, lookupPick);
    if (!resolved.ok) return resolved.response;
    return showProfile(resolved.researcherId, share, ctx, core);
  },
  actions: {
    lookup: (value, ctx, core) => showProfile(Number(value), false, ctx, core),
    share: (value, ctx, core) => showProfile(Number(value), true, ctx, core),
  },
});
