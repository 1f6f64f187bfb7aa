import { z } from "zod";
import { profileCard } from "../profiles/profileCard.js";
import { ephemeral, inChannel, notice } from "../reply.js";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext } from "../context.js";
import { parseResearcherRef } from "../search/identifiers.js";
import { ScholarlyDirectoryError } from "../search/ScholarlyDirectory.js";
import { searchName } from "../text.js";
import { defineCommand } from "./Command.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

const WHO = "Tell me who to look up: a name, an ORCID iD, an OpenAlex id, or a paper's DOI or arXiv id.";

export const query = z.string({ error: WHO }).trim().min(1, WHO).max(200, "That name is too long (200 characters at most).");

/** `typed`: the name the user searched for, so a fuzzy match can say it is one. */
async function showProfile(researcherId: number, share: boolean, ctx: CommandContext, core: CoreServices, typed?: string) {
  const viewer = await core.accounts.resolve(ctx.actor);
  const profile = await core.profiles.load(researcherId, { viewerAccountId: viewer.accountId });
  if (!profile) return ephemeral(notice("warning", "That researcher no longer exists."));
  const card = profileCard(profile);
  if (typed !== undefined && searchName(typed) !== searchName(profile.displayName)) {
    card.note = `Showing ${profile.displayName}, the closest match to “${typed}”.`;
  }
  if (!share) card.actions.push({ id: "share", label: "Share in channel", value: String(researcherId) });
  if (profile.arriving && core.live.importsInBackground && ctx.replaceLater) {
    // The import job fills in the rest: the whole card then takes this one's place.
    const { replaceLater, ...later } = ctx;
    replaceLater(async () => ((await core.live.whenImported(researcherId)) ? showProfile(researcherId, share, later, core, typed) : null));
  }
  return share ? inChannel(card) : ephemeral(card);
}

export const lookupCommand = defineCommand({
  name: "lookup",
  aliases: ["profile", "show"],
  usage: "/researcher <name | ORCID iD | OpenAlex id | DOI | arXiv id> [--share]",
  summary: "Show a researcher's profile card. Add --share to post it in the channel.",
  input: z.object({ query, share: z.boolean().default(false) }),
  fromText(text) {
    const share = /(^|\s)--share(\s|$)/.test(text);
    return { query: text.replace(/(^|\s)--share(?=\s|$)/g, " ").trim(), share };
  },
  async run({ query, share }, ctx, core) {
    const resolved = await resolveResearcher(core, query, lookupPick, ctx);
    if (!resolved.ok) return resolved.response;
    const typedName = parseResearcherRef(query).kind === "name" ? query : undefined;
    return showProfile(resolved.researcherId, share, ctx, core, typedName);
  },
  actions: {
    lookup: async (value, ctx, core) => {
      if (!value.startsWith("oa:")) {
        const researcherId = Number(value);
        if (!Number.isSafeInteger(researcherId) || researcherId <= 0) return ephemeral(notice("error", "That button is no longer supported."));
        // Someone known only as a co-author is imported now, as a typed lookup would.
        await core.live.ensureWhole(researcherId);
        return showProfile(researcherId, false, ctx, core);
      }
      // Picked from a pick list someone only OpenAlex knew: import them, then show the card.
      if (!core.live.enabled) return ephemeral(notice("warning", "Live lookup in OpenAlex is not configured here."));
      if (!/^A\d{4,12}$/i.test(value.slice(3))) return ephemeral(notice("error", "That button is no longer supported."));
      await ctx.progress?.("Fetching the profile from OpenAlex…").catch(() => {});
      try {
        const researcherId = await core.live.ensureImported(value.slice(3));
        if (researcherId === null) return ephemeral(notice("warning", "OpenAlex no longer has that researcher."));
        return await showProfile(researcherId, false, ctx, core);
      } catch (error) {
        if (!(error instanceof ScholarlyDirectoryError)) throw error;
        return ephemeral(notice("warning", "The scholarly database (OpenAlex) did not answer in time, try again in a minute."));
      }
    },
    share: (value, ctx, core) => showProfile(Number(value), true, ctx, core),
  },
});
