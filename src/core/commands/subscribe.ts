import { z } from "zod";
import type { CommandContext } from "../context.js";
import { ephemeral, inChannel, notice, type Response } from "../reply.js";
import { type ChannelRef, SubscriptionService } from "../subscriptions/SubscriptionService.js";
import { defineCommand, splitTrailingPage } from "./Command.js";
import { researcherCommand } from "./researcherCommand.js";
import { lookupPick } from "./resolveResearcher.js";

export const SUBSCRIPTIONS_PAGE_SIZE = 10;

const NOT_IN_CHANNEL = "Run this in the channel whose subscriptions you want to change (not in a DM).";
const NOT_ALLOWED =
  "Only people who can manage this channel can change its subscriptions (on Slack: workspace admins or the channel's creator; on Discord: members with Manage Channels).";

/** The channel the command came from, or why there is none. */
export function channelOf(ctx: CommandContext): ChannelRef | null {
  if (!ctx.channelId || ctx.actor.platform === "console") return null;
  return { platform: ctx.actor.platform, tenantId: ctx.actor.tenantId, channelId: ctx.channelId };
}

/** Refusal, or null when the actor may change this channel's subscriptions (or its other notification settings). */
export function refusal(ctx: CommandContext): Response | null {
  if (!channelOf(ctx)) return ephemeral(notice("warning", NOT_IN_CHANNEL));
  if (!ctx.permissions.canManageChannel) return ephemeral(notice("error", NOT_ALLOWED));
  return null;
}

export const subscribeCommand = researcherCommand({
  name: "subscribe",
  summary: "Post a researcher's new papers in this channel (channel managers only).",
  refuse: refusal,
  async run(researcherId, ctx, core) {
    const name = (await core.profiles.name(researcherId)) ?? "that researcher";
    const me = await core.accounts.resolve(ctx.actor);
    const outcome = await new SubscriptionService(core.db, core.clock).subscribe(channelOf(ctx)!, researcherId, me.identityId);
    return outcome === "subscribed"
      ? inChannel(notice("success", `This channel now gets ${name}'s new papers. (/researcher unsubscribe ${name} to stop.)`))
      : ephemeral(notice("info", `This channel already gets ${name}'s new papers.`));
  },
});

export const unsubscribeCommand = researcherCommand({
  name: "unsubscribe",
  summary: "Stop posting a researcher's new papers in this channel (channel managers only).",
  refuse: refusal,
  async run(researcherId, ctx, core) {
    const name = (await core.profiles.name(researcherId)) ?? "that researcher";
    const outcome = await new SubscriptionService(core.db, core.clock).unsubscribe(channelOf(ctx)!, researcherId);
    return outcome === "unsubscribed"
      ? inChannel(notice("success", `This channel no longer gets ${name}'s new papers.`))
      : ephemeral(notice("info", `This channel was not subscribed to ${name}.`));
  },
});

export const subscriptionsCommand = defineCommand({
  name: "subscriptions",
  usage: "/researcher subscriptions [page]",
  summary: "List the researchers whose new papers this channel gets.",
  input: z.object({
    page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
  }),
  fromText: (text) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {}),
  async run({ page }, ctx, core) {
    const channel = channelOf(ctx);
    if (!channel) return ephemeral(notice("warning", "Run this in a channel to see its subscriptions."));
    const { total, rows } = await new SubscriptionService(core.db, core.clock).list(
      channel,
      (page - 1) * SUBSCRIPTIONS_PAGE_SIZE,
      SUBSCRIPTIONS_PAGE_SIZE,
    );
    if (total === 0)
      return ephemeral(notice("info", "This channel has no subscriptions. A channel manager can add one with /researcher subscribe <name>."));
    const pages = Math.ceil(total / SUBSCRIPTIONS_PAGE_SIZE);
    if (page > pages) return ephemeral(notice("warning", `This channel has ${pages} page${pages === 1 ? "" : "s"} of subscriptions.`));
    return ephemeral({
      kind: "list",
      title: `This channel gets new papers from ${total} researcher${total === 1 ? "" : "s"}`,
      items: rows.map((s) => ({ title: s.researcher.displayName, actions: [lookupPick(s.researcher.id)] })),
      footer: `Page ${page} of ${pages}${pages > page ? ` — /researcher subscriptions ${page + 1}` : ""}`,
    });
  },
});
