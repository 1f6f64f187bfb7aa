// follow / unfollow / subscribe / unsubscribe for every kind of thing, and the lists that show them:
// a researcher (the base command from follow.ts or subscribe.ts), `topic: …`, `institution: …`,
// `search: …` and `citations: …`, each with filters and (for follows) a frequency. Following the
// same thing again with other options changes them in place. One zod input defines the options, so
// Discord's typed options and the text flags are the same ones.
import { z } from "zod";
import { AlertService, type AlertKind, type AlertRow, describeTarget, type TargetRef, type TargetResolution } from "../alerts/AlertService.js";
import { type AlertFilters, describeFilters, FREQUENCIES, type Frequency, filtersFrom, splitFlags } from "../alerts/filters.js";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { channelRecipientKey } from "../notifications/destinations.js";
import { type Action, ephemeral, inChannel, type Item, notice, type Response } from "../reply.js";
import { type ChannelRef, SubscriptionService } from "../subscriptions/SubscriptionService.js";
import { type AnyCommand, type Command, defineCommand, splitTrailingPage } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

export const KINDS = ["researcher", "topic", "institution", "search", "citations"] as const;
type Kind = (typeof KINDS)[number];

const options = {
  kind: z.enum(KINDS, { error: `The kind is one of ${KINDS.join(", ")}.` }).default("researcher"),
  type: z.string().max(200).optional(),
  minCitations: z.coerce
    .number({ error: "--min-citations takes a number." })
    .int("--min-citations takes a whole number.")
    .min(0)
    .max(10_000_000)
    .optional(),
  exclude: z.string().max(1000).optional(),
  frequency: z.enum(FREQUENCIES, { error: `--frequency is one of ${FREQUENCIES.join(", ")}.` }).optional(),
  noFilters: z.boolean().optional(),
};
const followInput = z.object({ query, ...options });
// A channel gets each paper as it comes: no frequency.
const { frequency: _frequency, ...channelOptions } = options;
const subscribeInput = z.object({ query, ...channelOptions });
const unfollowInput = z.object({ query, kind: options.kind });
type FollowInput = z.infer<typeof followInput>;

const FLAGS = "[--type preprint|article|…] [--min-citations <n>] [--exclude <word | co-author:<name> | topic:<name>>] [--no-filters]";
const WHAT = "<name> | topic: <topic> | institution: <name> | search: <words> | citations: <name>";

/** "topic: Neural Network Pruning --type preprint" → { kind: "topic", query: "Neural Network Pruning", type: "preprint" } */
function fromText(text: string): Record<string, unknown> {
  const { rest, options: flags } = splitFlags(text);
  const m = /^(topic|institution|search|citations)\s*:\s*([\s\S]*)$/i.exec(rest);
  return m ? { ...flags, kind: m[1]!.toLowerCase(), query: m[2] } : { ...flags, query: rest };
}

/** Who gets the papers: an account (follow) or a channel (subscribe). */
interface Recipient {
  key: string;
  accountId: number | null;
  identityId: number;
  channel?: ChannelRef;
}

async function accountRecipient(ctx: CommandContext, core: CoreServices): Promise<Recipient> {
  const me = await core.accounts.resolve(ctx.actor);
  return { key: `account:${me.accountId}`, accountId: me.accountId, identityId: me.identityId };
}

function channelOf(ctx: CommandContext): ChannelRef | null {
  if (!ctx.channelId || ctx.actor.platform === "console") return null;
  return { platform: ctx.actor.platform, tenantId: ctx.actor.tenantId, channelId: ctx.channelId };
}

async function channelRecipient(ctx: CommandContext, core: CoreServices): Promise<Recipient | Response> {
  const channel = channelOf(ctx);
  if (!channel) return ephemeral(notice("warning", "Run this in the channel whose subscriptions you want to change (not in a DM)."));
  if (!ctx.permissions.canManageChannel) return ephemeral(notice("error", "Only people who can manage this channel can change its subscriptions."));
  const me = await core.accounts.resolve(ctx.actor);
  return { key: channelRecipientKey(channel.platform, channel.tenantId, channel.channelId), accountId: null, identityId: me.identityId, channel };
}

const alerts = (core: CoreServices) => new AlertService(core.db, core.clock, () => core.live.directory);
const requesterOf = (ctx: CommandContext) => `${ctx.actor.platform}:${ctx.actor.tenantId}:${ctx.actor.userId}`;

/** "only preprint · not “survey” · daily", or "" */
function optionsLine(filters: AlertFilters | null | undefined, frequency?: Frequency | null): string {
  return [describeFilters(filters), frequency && frequency !== "instant" ? `${frequency} digest` : undefined].filter(Boolean).join(" · ");
}

interface Mode {
  verb: "follow" | "subscribe";
  recipient(ctx: CommandContext, core: CoreServices): Promise<Recipient | Response>;
}

const FOLLOW: Mode = { verb: "follow", recipient: accountRecipient };
const SUBSCRIBE: Mode = { verb: "subscribe", recipient: channelRecipient };

/** Follows or subscribes to a resolved thing, or changes its options. */
async function followTarget(mode: Mode, ref: TargetRef, input: Partial<FollowInput>, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const recipient = await mode.recipient(ctx, core);
  if ("reply" in recipient) return recipient;
  const parsed = filtersFrom(input);
  if ("error" in parsed) return ephemeral(notice("error", parsed.error));
  const { outcome, alert } = await alerts(core).follow(recipient.key, recipient.accountId, ref, {
    filters: parsed.filters,
    clear: parsed.clear,
    frequency: input.frequency,
    identityId: recipient.identityId,
  });
  const what = describeTarget(ref.kind, ref.label);
  const opts = optionsLine(alert.filters, alert.frequency);
  const suffix = opts ? ` (${opts})` : "";
  const undo: Action = {
    id: mode.verb === "follow" ? "unfollow_target" : "unsubscribe_target",
    label: mode.verb === "follow" ? "Unfollow" : "Unsubscribe",
    value: String(alert.id),
  };
  const who = mode.verb === "follow" ? "You" : "This channel";
  if (outcome === "updated")
    return ephemeral(
      notice("success", `Updated ${mode.verb === "follow" ? "your follow" : "this channel's subscription"} of ${what}${suffix || ": no filters"}.`, {
        actions: [undo],
      }),
    );
  if (outcome === "unchanged")
    return ephemeral(
      notice("info", `${who} already ${mode.verb === "follow" ? "follow" : "gets new papers from"} ${what}${suffix}.`, { actions: [undo] }),
    );
  const text =
    mode.verb === "follow"
      ? `You now follow ${what}${suffix}. You'll get a message when new work appears.`
      : `This channel now gets new papers from ${what}${suffix}.`;
  return mode.verb === "follow" ? ephemeral(notice("success", text, { actions: [undo] })) : inChannel(notice("success", text));
}

function resolutionReply(mode: Mode, kind: AlertKind, typed: string, resolution: Exclude<TargetResolution, { kind: "found" }>): Response {
  switch (resolution.kind) {
    case "invalid":
      return ephemeral(notice("error", resolution.message));
    case "none":
      return ephemeral(notice("warning", `No ${kind} found for “${typed}” in Peerlink or OpenAlex. Check the spelling or try fewer words.`));
    case "failed":
      return ephemeral(notice("warning", "The scholarly database (OpenAlex) could not be asked just now; try again in a minute."));
    case "pick":
      return ephemeral({
        kind: "list",
        title: `Several ${kind === "topic" ? "topics" : "institutions"} match “${typed}”`,
        intro: "Pick the one you mean:",
        items: resolution.candidates.map((c) => ({
          title: c.label,
          meta: c.hints.join(" · "),
          actions: [
            {
              id: mode.verb === "follow" ? "follow_target" : "subscribe_target",
              label: mode.verb === "follow" ? "Follow" : "Subscribe",
              value: `${c.kind}:${c.key}`,
            },
          ],
        })),
        footer: "Filters go on afterwards: follow it again with --type, --min-citations or --exclude.",
      });
  }
}

/** follow/subscribe with kinds and options; a plain researcher without options is the base command. */
function withKinds(base: AnyCommand, mode: Mode): Command<FollowInput> {
  const hasOptions = (i: FollowInput) =>
    i.type !== undefined || i.minCitations !== undefined || i.exclude !== undefined || i.frequency !== undefined || i.noFilters;
  return defineCommand({
    name: base.name,
    aliases: base.aliases,
    usage: `/researcher ${base.name} ${WHAT} ${FLAGS}${mode.verb === "follow" ? " [--frequency instant|daily|weekly|monthly]" : ""}`,
    summary:
      mode.verb === "follow"
        ? "Get a message when a researcher publishes, or when new work appears on a topic, from an institution, matching a search or citing someone's papers; with filters and a frequency."
        : "Post new papers of a researcher, topic, institution, search or citations in this channel, with filters (channel managers only).",
    input: mode.verb === "follow" ? followInput : subscribeInput,
    fromText,
    async run(input, ctx, core) {
      const kind: Kind = input.kind;
      if (kind === "researcher" && !hasOptions(input)) return base.run({ query: input.query }, ctx, core);
      const checked = filtersFrom(input);
      if ("error" in checked) return ephemeral(notice("error", checked.error));
      if (kind === "researcher") return researcherWithOptions(mode, input, ctx, core);
      if (kind === "citations") {
        const r = await resolveResearcher(
          core,
          input.query,
          (id) => ({
            id: mode.verb === "follow" ? "follow_target" : "subscribe_target",
            label: mode.verb === "follow" ? "Follow" : "Subscribe",
            value: `citations:${id}`,
          }),
          ctx,
        );
        if (!r.ok) return r.response;
        return followTarget(mode, await citationsTarget(r.researcherId, core), input, ctx, core);
      }
      const resolution = await alerts(core).resolve(kind, input.query, requesterOf(ctx));
      if (resolution.kind !== "found") return resolutionReply(mode, kind, input.query, resolution);
      return followTarget(mode, resolution.target, input, ctx, core);
    },
    actions: {
      ...base.actions,
      [mode.verb === "follow" ? "follow_target" : "subscribe_target"]: async (value: string, ctx: CommandContext, core: CoreServices) => {
        const m = /^(topic|institution|citations):([A-Za-z0-9]{1,20})$/.exec(value);
        if (!m) return ephemeral(notice("error", "That button is no longer supported."));
        const ref =
          m[1] === "citations" ? await citationsTarget(Number(m[2]), core) : await alerts(core).byId(m[1] as "topic" | "institution", m[2]!);
        if (!ref) return ephemeral(notice("warning", "That is no longer known to Peerlink or OpenAlex."));
        return followTarget(mode, ref, {}, ctx, core);
      },
    },
  });
}

async function citationsTarget(researcherId: number, core: CoreServices): Promise<TargetRef> {
  const name = (await core.profiles.name(researcherId)) ?? "that researcher";
  return { kind: "citations", key: String(researcherId), label: name, researcherId };
}

/** A researcher follow or subscription with filters (and frequency): made if needed, then changed in place. */
async function researcherWithOptions(mode: Mode, input: FollowInput, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const parsed = filtersFrom(input);
  if ("error" in parsed) return ephemeral(notice("error", parsed.error));
  const recipient = await mode.recipient(ctx, core);
  if ("reply" in recipient) return recipient;
  const r = await resolveResearcher(
    core,
    input.query,
    (id) => ({ id: mode.verb === "follow" ? "follow" : "lookup", label: mode.verb === "follow" ? "Follow" : "View profile", value: String(id) }),
    ctx,
  );
  if (!r.ok) return r.response;
  const name = (await core.profiles.name(r.researcherId)) ?? "that researcher";
  if (mode.verb === "follow") {
    await core.follows.follow(recipient.accountId!, r.researcherId);
    await core.follows.setOptions(recipient.accountId!, r.researcherId, { filters: parsed.filters, clear: parsed.clear, frequency: input.frequency });
    const follow = await core.db.follow.findUniqueOrThrow({
      where: { accountId_researcherId: { accountId: recipient.accountId!, researcherId: r.researcherId } },
    });
    const opts = optionsLine(follow.filters as AlertFilters | null, follow.frequency);
    return ephemeral(
      notice("success", `You follow ${name}${opts ? ` (${opts})` : ", with no filters"}.`, {
        actions: [{ id: "unfollow", label: "Unfollow", value: String(r.researcherId) }],
      }),
    );
  }
  const subscriptions = new SubscriptionService(core.db, core.clock);
  await subscriptions.subscribe(recipient.channel!, r.researcherId, recipient.identityId);
  await subscriptions.setFilters(recipient.channel!, r.researcherId, { filters: parsed.filters, clear: parsed.clear });
  const opts = describeFilters(parsed.filters);
  return inChannel(notice("success", `This channel gets ${name}'s new papers${opts ? ` (${opts})` : ", with no filters"}.`));
}

/** unfollow/unsubscribe: a researcher is the base command; other kinds are found among the recipient's own. */
function withKindsRemoved(base: AnyCommand, mode: Mode): Command<z.infer<typeof unfollowInput>> {
  const verb = mode.verb === "follow" ? "unfollow" : "unsubscribe";
  const remove = async (alertId: number, ctx: CommandContext, core: CoreServices): Promise<Response> => {
    const recipient = await mode.recipient(ctx, core);
    if ("reply" in recipient) return recipient;
    const removed = await alerts(core).remove(recipient.key, alertId);
    if (!removed)
      return ephemeral(notice("info", mode.verb === "follow" ? "You were not following that." : "This channel was not subscribed to that."));
    const what = describeTarget(removed.kind, removed.label);
    return mode.verb === "follow"
      ? ephemeral(notice("success", `You no longer follow ${what}.`))
      : inChannel(notice("success", `This channel no longer gets new papers from ${what}.`));
  };
  return defineCommand({
    name: base.name,
    aliases: base.aliases,
    usage: `/researcher ${verb} ${WHAT}`,
    summary: base.summary.replace("a researcher", "a researcher, topic, institution, search or citations"),
    input: unfollowInput,
    fromText: (text) => {
      const { kind, query } = fromText(text);
      return { kind, query };
    },
    async run(input, ctx, core) {
      if (input.kind === "researcher") return base.run({ query: input.query }, ctx, core);
      const recipient = await mode.recipient(ctx, core);
      if ("reply" in recipient) return recipient;
      const found = await alerts(core).find(recipient.key, input.kind, input.query);
      if (!found)
        return ephemeral(
          notice(
            "info",
            `${mode.verb === "follow" ? "You don't follow" : "This channel has no subscription to"} ${describeTarget(input.kind, input.query)}.`,
          ),
        );
      return remove(found.id, ctx, core);
    },
    actions: {
      ...base.actions,
      [`${verb}_target`]: (value: string, ctx: CommandContext, core: CoreServices) =>
        /^\d{1,9}$/.test(value)
          ? remove(Number(value), ctx, core)
          : Promise.resolve(ephemeral(notice("error", "That button is no longer supported."))),
    },
  });
}

export const PAGE_SIZE = 10;
const pageInput = z.object({
  page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
});
const pageFromText = (text: string) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {});

const KIND_TITLE: Record<AlertKind, string> = { topic: "Topic", institution: "Institution", search: "Search", citations: "Citations of" };
const alertItem = (a: AlertRow, verb: "unfollow" | "unsubscribe"): Item => ({
  title: `${KIND_TITLE[a.kind]}: ${a.label}`,
  meta: [optionsLine(a.filters, a.frequency), a.muted ? "muted" : ""].filter(Boolean).join(" · ") || undefined,
  actions: [
    {
      id: verb === "unfollow" ? "unfollow_target" : "unsubscribe_target",
      label: verb === "unfollow" ? "Unfollow" : "Unsubscribe",
      value: String(a.id),
    },
  ],
});

function paged(items: Item[], page: number, title: (n: number) => string, empty: string, next: string): Response {
  if (items.length === 0) return ephemeral(notice("info", empty));
  const pages = Math.ceil(items.length / PAGE_SIZE);
  if (page > pages) return ephemeral(notice("warning", `There ${pages === 1 ? "is 1 page" : `are ${pages} pages`}.`));
  return ephemeral({
    kind: "list",
    title: title(items.length),
    items: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    footer: `Page ${page} of ${pages}${pages > page ? ` — /researcher ${next} ${page + 1}` : ""} · follow it again with other options to change them`,
  });
}

export const followingAll = defineCommand({
  name: "following",
  usage: "/researcher following [page]",
  summary: "List what you follow (researchers, topics, institutions, searches, citations) with each one's filters and frequency.",
  input: pageInput,
  fromText: pageFromText,
  async run({ page }, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const follows = await core.db.follow.findMany({
      where: { accountId: me.accountId },
      orderBy: [{ createdAt: "desc" }, { researcherId: "desc" }],
      select: { muted: true, filters: true, frequency: true, researcher: { select: { id: true, displayName: true } } },
    });
    const people: Item[] = follows.map((f) => ({
      title: f.researcher.displayName,
      meta: [optionsLine(f.filters as AlertFilters | null, f.frequency), f.muted ? "muted" : ""].filter(Boolean).join(" · ") || undefined,
      actions: [{ id: "unfollow", label: "Unfollow", value: String(f.researcher.id) }],
    }));
    const things = (await alerts(core).list(`account:${me.accountId}`)).map((a) => alertItem(a, "unfollow"));
    return paged(
      [...people, ...things],
      page,
      (n) => (things.length ? `You follow ${n} thing${n === 1 ? "" : "s"}` : `You follow ${n} researcher${n === 1 ? "" : "s"}`),
      "You don't follow anyone yet. Try /researcher follow <name>, or follow topic: <topic>.",
      "following",
    );
  },
});

export const subscriptionsAll = defineCommand({
  name: "subscriptions",
  usage: "/researcher subscriptions [page]",
  summary: "List what this channel gets new papers from, with each subscription's filters.",
  input: pageInput,
  fromText: pageFromText,
  async run({ page }, ctx, core) {
    const channel = channelOf(ctx);
    if (!channel) return ephemeral(notice("warning", "Run this in a channel to see its subscriptions."));
    const subs = await core.db.channelSubscription.findMany({
      where: channel,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { filters: true, researcher: { select: { id: true, displayName: true } } },
    });
    const people: Item[] = subs.map((s) => ({
      title: s.researcher.displayName,
      meta: describeFilters(s.filters as AlertFilters | null),
      actions: [{ id: "lookup", label: "View profile", value: String(s.researcher.id) }],
    }));
    const things = (await alerts(core).list(channelRecipientKey(channel.platform, channel.tenantId, channel.channelId))).map((a) =>
      alertItem(a, "unsubscribe"),
    );
    return paged(
      [...people, ...things],
      page,
      (n) =>
        things.length
          ? `This channel gets new papers from ${n} subscription${n === 1 ? "" : "s"}`
          : `This channel gets new papers from ${n} researcher${n === 1 ? "" : "s"}`,
      "This channel has no subscriptions. A channel manager can add one with /researcher subscribe <name>.",
      "subscriptions",
    );
  },
});

export const followAny = (base: AnyCommand) => withKinds(base, FOLLOW);
export const subscribeAny = (base: AnyCommand) => withKinds(base, SUBSCRIBE);
export const unfollowAny = (base: AnyCommand) => withKindsRemoved(base, FOLLOW);
export const unsubscribeAny = (base: AnyCommand) => withKindsRemoved(base, SUBSCRIBE);
