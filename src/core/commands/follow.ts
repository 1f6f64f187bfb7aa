import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { type Action, ephemeral, notice, type Response } from "../reply.js";
import { defineCommand, splitTrailingPage } from "./Command.js";
import { profileCardFor } from "./lookup.js";
import { researcherCommand } from "./researcherCommand.js";
import { type CardPlace, researcherFromValue } from "./researcherValue.js";

export const FOLLOWING_PAGE_SIZE = 10;

async function follow(researcherId: number, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const name = await core.profiles.name(researcherId);
  if (name === null) return ephemeral(notice("warning", "That researcher no longer exists."));
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await core.follows.follow(me.accountId, researcherId);
  const undo: Action = { id: "unfollow", label: "Unfollow", value: String(researcherId) };
  return ephemeral(
    outcome === "followed"
      ? notice("success", `You now follow ${name}. You'll get a message when they publish new work.`, { actions: [undo] })
      : notice("info", `You already follow ${name}.`, { actions: [undo] }),
  );
}

async function unfollow(researcherId: number, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const name = await core.profiles.name(researcherId);
  if (name === null) return ephemeral(notice("warning", "That researcher no longer exists."));
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await core.follows.unfollow(me.accountId, researcherId);
  const redo: Action = { id: "follow", label: "Follow again", value: String(researcherId) };
  return ephemeral(
    outcome === "unfollowed"
      ? notice("success", `You no longer follow ${name}.`, { actions: [redo] })
      : notice("info", `You were not following ${name}.`),
  );
}

/**
 * A press on a profile card changes that card: the viewer's own copy becomes the card as it now is
 * (Unfollow instead of Follow, one follower more) with the answer as its note; a card shared in the
 * channel, which is everyone's, counts the new follower and the answer goes to the presser alone.
 */
async function onCard(
  place: CardPlace | undefined,
  researcherId: number,
  answer: Response,
  ctx: CommandContext,
  core: CoreServices,
): Promise<Response> {
  if (!place || answer.reply.kind !== "notice" || answer.reply.level === "warning") return answer;
  const shown = await profileCardFor(researcherId, place === "shared", ctx, core);
  if (!shown) return answer;
  if (place === "shared") return { ...answer, source: shown.card };
  return { reply: { ...shown.card, note: answer.reply.text }, visibility: "ephemeral", inPlace: true };
}

const pressed =
  (act: typeof follow) =>
  async (value: string, ctx: CommandContext, core: CoreServices): Promise<Response> => {
    const r = await researcherFromValue(value, core);
    if (!r.ok) return r.response;
    return onCard(r.place, r.researcherId, await act(r.researcherId, ctx, core), ctx, core);
  };

export const followCommand = researcherCommand({
  name: "follow",
  summary: "Get a message when a researcher publishes new work.",
  pick: (id) => ({ id: "follow", label: "Follow", value: String(id) }),
  run: follow,
  actions: { follow: pressed(follow) },
});

export const unfollowCommand = researcherCommand({
  name: "unfollow",
  summary: "Stop following a researcher.",
  pick: (id) => ({ id: "unfollow", label: "Unfollow", value: String(id) }),
  run: unfollow,
  actions: { unfollow: pressed(unfollow) },
});

export const followingCommand = defineCommand({
  name: "following",
  usage: "/researcher following [page]",
  summary: "List the researchers you follow.",
  input: z.object({
    page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
  }),
  fromText: (text) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {}),
  async run({ page }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const { total, rows } = await core.follows.list(me.accountId, (page - 1) * FOLLOWING_PAGE_SIZE, FOLLOWING_PAGE_SIZE);
    if (total === 0) return ephemeral(notice("info", "You don't follow anyone yet. Try /researcher follow <name>."));
    const pages = Math.ceil(total / FOLLOWING_PAGE_SIZE);
    if (page > pages) return ephemeral(notice("warning", `You have ${pages} page${pages === 1 ? "" : "s"} of follows.`));
    return ephemeral({
      kind: "list",
      title: `You follow ${total} researcher${total === 1 ? "" : "s"}`,
      items: rows.map((f) => ({
        title: f.researcher.displayName,
        meta: f.muted ? "muted" : undefined,
        actions: [{ id: "unfollow", label: "Unfollow", value: String(f.researcher.id) }],
      })),
      footer: `Page ${page} of ${pages}`,
    });
  },
});
