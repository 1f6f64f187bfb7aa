import { z } from "zod";
import type { Identity } from "../accounts/AccountService.js";
import { profileCard } from "../profiles/profileCard.js";
import { type Action, type Card, ephemeral, inChannel, notice, type Response } from "../reply.js";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext } from "../context.js";
import { parseResearcherRef } from "../search/identifiers.js";
import { ScholarlyDirectoryError } from "../search/ScholarlyDirectory.js";
import { searchName } from "../text.js";
import { defineCommand } from "./Command.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

const WHO = "Tell me who to look up: a name, an ORCID iD, an OpenAlex id, or a paper's DOI or arXiv id.";

export const query = z.string({ error: WHO }).trim().min(1, WHO).max(200, "That name is too long (200 characters at most).");

/**
 * The profile card as a reply. Its Follow button says which card it is on ("card:<id>" on the
 * viewer's own copy, "shared:<id>" on one posted in the channel), so a press can change that card
 * in place: the viewer's copy flips to Unfollow; a shared one, which everyone sees, keeps Follow,
 * counts the new follower and can be refreshed.
 */
export async function profileCardFor(
  researcherId: number,
  share: boolean,
  ctx: CommandContext,
  core: CoreServices,
): Promise<{ card: Card; arriving: boolean } | null> {
  const viewer = await core.accounts.resolve(ctx.actor);
  const profile = await core.profiles.load(researcherId, { viewerAccountId: viewer.accountId });
  if (!profile) return null;
  const card = profileCard(profile);
  await addCoauthorsHere(card, researcherId, ctx, core, viewer);
  const id = String(researcherId);
  card.actions = card.actions.flatMap((a): Action[] => {
    if (a.id !== "follow" && a.id !== "unfollow") return [a];
    if (share) return [{ id: "follow", label: "Follow", value: `shared:${id}`, style: "primary" }];
    return [{ ...a, value: `card:${id}` }];
  });
  if (share) card.actions.push({ id: "refresh_card", label: "Refresh", value: id });
  else card.actions.push({ id: "share", label: "Share in channel", value: id });
  return { card, arriving: profile.arriving !== null };
}

/**
 * "2 people here have written with them", with a way to the intro list: only when it is true, and
 * only members who opted in here count.
 */
async function addCoauthorsHere(card: Card, researcherId: number, ctx: CommandContext, core: CoreServices, viewer: Identity) {
  const tenant = core.intros.tenantOf(ctx.actor);
  if (!tenant) return;
  const n = await core.intros.coauthorsHere(tenant, viewer, researcherId);
  if (n === 0) return;
  card.fields.push({ label: "Here", value: `${n} ${n === 1 ? "person here has" : "people here have"} written with them` });
  card.actions.push({ id: "intro", label: "Warm intros", value: String(researcherId) });
}

/** `typed`: the name the user searched for, so a fuzzy match can say it is one. */
async function showProfile(researcherId: number, share: boolean, ctx: CommandContext, core: CoreServices, typed?: string): Promise<Response> {
  const shown = await profileCardFor(researcherId, share, ctx, core);
  if (!shown) return ephemeral(notice("warning", "That researcher no longer exists."));
  const { card } = shown;
  if (typed !== undefined && searchName(typed) !== searchName(card.title)) {
    card.note = `Showing ${card.title}, the closest match to “${typed}”.`;
  }
  if (shown.arriving && core.live.importsInBackground && ctx.replaceLater) {
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
    share: async (value, ctx, core) => {
      // A forged or garbled value is a stale button, not a query Prisma refuses (which was the apology).
      const researcherId = Number(value);
      if (!Number.isSafeInteger(researcherId) || researcherId <= 0) return ephemeral(notice("error", "That button is no longer supported."));
      return showProfile(researcherId, true, ctx, core);
    },
    // A shared card shows what is true now (followers, works, claim), for everyone in the channel.
    refresh_card: async (value, ctx, core) => {
      const researcherId = Number(value);
      if (!Number.isSafeInteger(researcherId) || researcherId <= 0) return ephemeral(notice("error", "That button is no longer supported."));
      const shown = await profileCardFor(researcherId, true, ctx, core);
      if (!shown) return ephemeral(notice("warning", "That researcher no longer exists."));
      return { ...ephemeral(notice("info", `Updated the card of ${shown.card.title}.`)), source: shown.card };
    },
  },
});
