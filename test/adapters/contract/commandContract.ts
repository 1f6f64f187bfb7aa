// The contract every adapter keeps: for each `/researcher` subcommand in the core's own list and each
// button action a command owns, what a person on Slack or Discord sees and what Postgres holds
// afterwards. The table is platform-neutral; slack.contract.test.ts and discord.contract.test.ts
// drive it through the real Bolt app and the real discord.js client (runContract.ts). A command or
// action without a row fails both specs.
import { HOME_SECTION_SIZE } from "../../../src/core/home/HomeService.js";
import { expect } from "vitest";
import type { Core } from "../../../src/core/Core.js";
import type { Identity } from "../../../src/core/accounts/AccountService.js";
import type { CommandContext, Permissions, Platform } from "../../../src/core/context.js";
import type { ActionId, Response } from "../../../src/core/reply.js";
import type { Db } from "../../../src/db/client.js";
import type { TestClock } from "../../support/clock.js";

/**
 * Who acts. `user` has no rights; `manager` may manage the channel the case runs in (Slack: its
 * creator; Discord: Manage Channels) but is no admin; `admin` is a workspace/guild admin; `other` is
 * a second person on the same platform (the claimant, the invitation's sender, the one blocked).
 */
export type ActorKind = "user" | "manager" | "admin" | "other";

export const PERMISSIONS: Record<ActorKind, Permissions> = {
  user: { canManageChannel: false, isAdmin: false },
  manager: { canManageChannel: true, isAdmin: false },
  admin: { canManageChannel: true, isAdmin: true },
  other: { canManageChannel: false, isAdmin: false },
};

/** What a case's setup returned (ids, codes) for its arguments and its checks. */
export type Setup = Record<string, string | number>;

/** One platform's running adapter, as the cases see it. */
export interface World {
  db: Db;
  core: Core;
  /** The core's clock (a test clock: rows may move it and must move it back). */
  clock: TestClock;
  platform: Exclude<Platform, "console">;
  tenantId: string;
  /** The channel every case runs in (its subscriptions are the ones changed). */
  channelId: string;
  /** Jonathan Frankle, the demo researcher. */
  researcherId: number;
  userId(kind: ActorKind): string;
  identity(kind: ActorKind): Promise<Identity>;
  /**
   * A second tenant on the same platform (Slack workspace B, Discord guild B): its own channel and
   * its own people (other user ids than this tenant's), the same actor kinds and rights.
   */
  elsewhere: Pick<World, "tenantId" | "channelId" | "userId">;
  /** Runs a command through the core directly, as `kind` in the case's channel: setup only. */
  run(kind: ActorKind, text: string): Promise<Response>;
}

export interface ContractCase {
  name: string;
  /** Default: user. */
  actor?: ActorKind;
  setup?: (w: World) => Promise<Setup | void>;
  /** Commands: the text after the subcommand's name (Discord gets it as the options fromText makes of it). */
  args?: string | ((s: Setup, w: World) => string | Promise<string>);
  /** Actions: the button's value. */
  value?: string | ((s: Setup, w: World) => string | Promise<string>);
  /** Every pattern must match the text the person sees. */
  reply: RegExp[];
  /** Default: ephemeral. */
  visibility?: "ephemeral" | "in_channel";
  /** The reply is a form (Slack modal, Discord modal). */
  form?: boolean;
  /**
   * What Postgres holds afterwards: `query` must equal `expected`, which is a value, an asymmetric
   * matcher, or a function `(w, s) => Promise<value>` computing it from the world and the setup.
   */
  effect?: { query: (w: World, s: Setup) => Promise<unknown>; expected: unknown };
  /** For a form: what filling it in with `values` and submitting it (Slack view_submission, Discord modal submit) does. */
  submit?: { values: Record<string, string>; reply: RegExp[]; effect?: ContractCase["effect"]; sent?: RegExp };
  /** A message Peerlink sends because of the command or press (a DM or a channel post, not the reply) whose text matches. */
  sent?: RegExp;
  /**
   * Actions: the answer takes the place of the pressed message (Slack replace_original, Discord
   * UPDATE_MESSAGE), which was an ephemeral reply, as the command's that made it.
   */
  inPlace?: boolean;
  /** Only on these platforms (a command not offered elsewhere, see Command.platforms); default: all. */
  platforms?: World["platform"][];
}

export const FRANKLE = "Jonathan Frankle";
/** The invitation form: Slack cuts a modal's title at 24 characters, Discord's modals have no submit label of their own. */
const INVITE_FORM = [/Invite Jonathan/, /Message/];
const ORCID = "0000-0002-1825-0097";

// ---- what the checks read --------------------------------------------------------------------

export const accountOf = async (w: World, kind: ActorKind) => (await w.identity(kind)).accountId;
const followsOf = async (w: World, kind: ActorKind) =>
  w.db.follow.findMany({ where: { accountId: await accountOf(w, kind) }, select: { researcherId: true, muted: true } });
const accountRow = async (w: World, kind: ActorKind) => w.db.account.findUniqueOrThrow({ where: { id: await accountOf(w, kind) } });
const threadRepliesInChannel = (w: World) =>
  w.db.channelSetting
    .findUnique({ where: { platform_tenantId_channelId: { platform: w.platform, tenantId: w.tenantId, channelId: w.channelId } } })
    .then((s) => s?.threadRepliesInChannel ?? null);
const subscriptions = (w: World) =>
  w.db.channelSubscription.count({ where: { platform: w.platform, tenantId: w.tenantId, channelId: w.channelId, researcherId: w.researcherId } });
export const frankle = (w: World) =>
  w.db.researcher.findUniqueOrThrow({ where: { id: w.researcherId }, select: { claimedByAccountId: true, verificationLevel: true } });
export const claimsOf = async (w: World, kind: ActorKind) =>
  w.db.claim.findMany({ where: { accountId: await accountOf(w, kind) }, select: { method: true, status: true } });
const blocksBy = async (w: World, kind: ActorKind) => w.db.block.count({ where: { blockerAccountId: await accountOf(w, kind) } });
const identityCount = async (w: World, kind: ActorKind) =>
  w.db.chatIdentity.count({ where: { platform: w.platform, tenantId: w.tenantId, userId: w.userId(kind) } });

// ---- setups --------------------------------------------------------------------------------

const mention = (w: World, kind: ActorKind) => `<@${w.userId(kind)}>`;

async function ok(w: World, kind: ActorKind, text: string): Promise<Response> {
  const r = await w.run(kind, text);
  if (r.reply.kind === "notice" && (r.reply.level === "error" || r.reply.level === "warning")) {
    throw new Error(`setup "${text}" as ${kind} failed: ${r.reply.text}`);
  }
  return r;
}

const follow = (w: World) => ok(w, "user", `follow ${FRANKLE}`).then(() => undefined);

/** A demo topic as OpenAlex knows it, so it can be followed without asking OpenAlex. */
export const PRUNING = "Sparse and Low-Rank Neural Networks";
const MIT = "Massachusetts Institute of Technology";
export const pruningTopic = (w: World) => w.db.topic.update({ where: { name: PRUNING }, data: { openalexId: "T19002" } }).then(() => undefined);
const alertsOf = async (w: World, recipientKey: string) =>
  w.db.alert.findMany({ where: { recipientKey }, select: { filters: true, frequency: true, target: { select: { kind: true, label: true } } } });
const myAlerts = async (w: World) => alertsOf(w, `account:${await accountOf(w, "user")}`);
const channelAlerts = (w: World) => alertsOf(w, `channel:${w.platform}:${w.tenantId}:${w.channelId}`);
const followedSearch = async (w: World): Promise<Setup> => {
  await ok(w, "user", "follow search: lottery tickets");
  return { alertId: (await w.db.alert.findFirstOrThrow()).id };
};
/** A paper by Jonathan Frankle delivered to the user (the row a notification's buttons name). */
async function deliveredPaper(w: World): Promise<Setup> {
  await follow(w);
  const work = await w.db.work.findFirstOrThrow({ where: { title: { startsWith: "Lottery Tickets on a Data Diet" } } });
  const accountId = await accountOf(w, "user");
  const d = await w.db.notificationDelivery.create({
    data: {
      recipientKey: `account:${accountId}`,
      accountId,
      workId: work.id,
      status: "sent",
      reasons: [{ kind: "researcher", id: w.researcherId, label: FRANKLE }],
    },
  });
  return { deliveryId: String(d.id), workId: work.id };
}
const subscribed = (w: World) => ok(w, "manager", `subscribe ${FRANKLE}`).then(() => undefined);

/** `other` asks for Jonathan Frankle's record to be reviewed: the claim's number. */
export async function claimInReview(w: World): Promise<Setup> {
  const r = await ok(w, "other", `claim ${FRANKLE}`);
  const id = /claim #(\d+)/.exec(r.reply.kind === "notice" ? r.reply.text : "")?.[1];
  if (!id) throw new Error("setup: no claim number in the claim's reply");
  return { claimId: Number(id) };
}

/** Jonathan Frankle claimed and verified (L2) by `kind`, through the review an admin approves. */
export async function claimedBy(w: World, kind: ActorKind): Promise<Setup> {
  const r = await ok(w, kind, `claim ${FRANKLE}`);
  const id = /claim #(\d+)/.exec(r.reply.kind === "notice" ? r.reply.text : "")?.[1];
  await ok(w, "admin", `approve ${id}`);
  return { claimId: Number(id) };
}

/** The user holds Jonathan Frankle's record and `other` has sent them an invitation, already in their DM. */
export async function invitationFromOther(w: World): Promise<Setup> {
  await claimedBy(w, "user");
  await ok(w, "other", `invite ${FRANKLE}: Shall we write about lottery tickets?`);
  const inv = await w.db.invitation.findFirstOrThrow({ where: { senderAccountId: await accountOf(w, "other") } });
  return { invitationId: inv.id };
}

export const invitationStatus = (w: World, s: Setup) =>
  w.db.invitation.findUniqueOrThrow({ where: { id: String(s.invitationId) } }).then((i) => i.status);

const INVITE_SUBMIT: ContractCase["submit"] = {
  values: { message: "Written in the form: shall we talk?" },
  reply: [/Your invitation to Jonathan Frankle is on its way/],
  effect: {
    query: async (w) => w.db.invitation.findMany({ where: { senderAccountId: await accountOf(w, "user") }, select: { message: true } }),
    expected: [{ message: "Written in the form: shall we talk?" }],
  },
  sent: /Written in the form: shall we talk\?/,
};

const CARBIN = "Michael Carbin";

/**
 * `kind` holds the record of `name` (default Michael Carbin: 2 papers with Frankle, 2020) and, unless
 * told otherwise, has joined intros here.
 */
async function memberHolding(w: World, kind: ActorKind, { name = CARBIN, optIn = true } = {}): Promise<Setup> {
  const me = await w.identity(kind);
  const r = await w.db.researcher.findFirstOrThrow({ where: { displayName: name } });
  await w.db.researcher.update({ where: { id: r.id }, data: { claimedByAccountId: me.accountId } });
  if (optIn) await ok(w, kind, "privacy on");
  return { memberResearcherId: r.id };
}

/** The user holds Carbin's record and joined intros; `other` asked them for an intro to Frankle, already in their DM. */
async function introRequestToUser(w: World): Promise<Setup> {
  await memberHolding(w, "user");
  await ok(w, "other", `intro ${FRANKLE} via ${mention(w, "user")}: Could you introduce me?`);
  const inv = await w.db.invitation.findFirstOrThrow({ where: { senderAccountId: await accountOf(w, "other") } });
  return { invitationId: inv.id };
}

const introRequestsOf = async (w: World, kind: ActorKind) =>
  w.db.invitation.findMany({
    where: { senderAccountId: await accountOf(w, kind) },
    select: { introTargetId: true, recipientAccountId: true, message: true },
  });

// ---- the table -----------------------------------------------------------------------------

/** Per `/researcher` subcommand, by the name in allCommands. */
export const commandCases: Record<string, ContractCase[]> = {
  lookup: [
    {
      name: "says how many people here wrote with them, with the way to the intros",
      setup: (w) => memberHolding(w, "other"),
      args: FRANKLE,
      reply: [/1 person here has written with them/, /Warm intros/],
    },
    {
      name: "shows the profile card privately",
      args: FRANKLE,
      reply: [/Jonathan Frankle/, /Trust/, /Verification/, /Share in channel/],
      effect: { query: (w) => identityCount(w, "user"), expected: 1 },
    },
    {
      name: "posts the card in the channel with --share",
      args: `${FRANKLE} --share`,
      reply: [/Jonathan Frankle/, /Trust/],
      visibility: "in_channel",
    },
  ],
  home: [
    {
      name: "shows the dashboard: the claim, the invitation waiting with Accept, follows with their latest paper",
      setup: async (w) => {
        const setup = await invitationFromOther(w);
        await ok(w, "user", `follow ${CARBIN}`);
        return setup;
      },
      args: "",
      reply: [
        /Your claims/,
        /Jonathan Frankle/,
        /verified · claimed/,
        /Invitations waiting for you \(1\)/,
        /Shall we write about lottery tickets\?/,
        /Accept/,
        /Decline/,
        /Researchers you follow \(1\)/,
        /Michael Carbin/,
        /Latest: /,
        /This week's notifications \(0\)/,
      ],
    },
  ],
  works: [
    {
      name: "pages through the works",
      args: `${FRANKLE} 2`,
      reply: [/Works by Jonathan Frankle/, /Page 2 of 2/],
    },
    { name: "says when a page is past the end", args: `${FRANKLE} 9`, reply: [/has 2 pages of works; page 9 is past the end/] },
  ],
  follow: [
    {
      name: "follows, in Postgres",
      args: FRANKLE,
      reply: [/You now follow Jonathan Frankle/],
      effect: { query: (w) => followsOf(w, "user"), expected: (w: World) => Promise.resolve([{ researcherId: w.researcherId, muted: false }]) },
    },
    {
      name: "follows a topic with filters and a frequency",
      setup: pruningTopic,
      args: `topic: ${PRUNING} --type preprint,article --exclude survey --frequency daily`,
      reply: [/You now follow the topic Sparse and Low-Rank Neural Networks \(only preprint or article · not “survey” · daily digest\)/],
      effect: {
        query: myAlerts,
        expected: [
          { filters: { types: ["preprint", "article"], excludeWords: ["survey"] }, frequency: "daily", target: { kind: "topic", label: PRUNING } },
        ],
      },
    },
    {
      name: "follows a search and the citations of a researcher",
      setup: (w) => ok(w, "user", "follow search: lottery tickets").then(() => undefined),
      args: `citations: ${FRANKLE}`,
      reply: [/You now follow citations of Jonathan Frankle's papers/],
      effect: {
        query: (w) => myAlerts(w).then((a) => a.map((x) => x.target.kind).sort()),
        expected: ["citations", "search"],
      },
    },
    {
      name: "changes a follow's filters in place",
      setup: follow,
      args: `${FRANKLE} --type article --min-citations 50`,
      reply: [/You follow Jonathan Frankle \(only article · an author with 50\+ citations\)/],
      effect: {
        query: async (w) =>
          (await w.db.follow.findMany({ where: { accountId: await accountOf(w, "user") }, select: { filters: true } })).map((f) => f.filters),
        expected: [{ types: ["article"], minCitations: 50 }],
      },
    },
    {
      name: "follows an institution Peerlink knows",
      setup: (w) =>
        w.db.institution
          .upsert({ where: { openalexId: "I63966007" }, create: { openalexId: "I63966007", name: MIT }, update: {} })
          .then(() => undefined),
      args: `institution: ${MIT} --exclude survey`,
      reply: [/You now follow Massachusetts Institute of Technology/],
      effect: {
        query: myAlerts,
        expected: [{ filters: { excludeWords: ["survey"] }, frequency: null, target: { kind: "institution", label: MIT } }],
      },
    },
    { name: "refuses an unknown work type", args: `topic: ${PRUNING} --type poem`, reply: [/“poem” is not a work type/] },
  ],
  unfollow: [
    {
      name: "unfollows, in Postgres",
      setup: follow,
      args: FRANKLE,
      reply: [/You no longer follow Jonathan Frankle/],
      effect: { query: (w) => followsOf(w, "user"), expected: [] },
    },
    { name: "says so when there was no follow", args: FRANKLE, reply: [/You were not following Jonathan Frankle/] },
    {
      name: "unfollows a search by its words",
      setup: followedSearch,
      args: "search: lottery tickets",
      reply: [/You no longer follow the search “lottery tickets”/],
      effect: { query: myAlerts, expected: [] },
    },
  ],
  saved: [
    {
      name: "lists the saved papers",
      setup: async (w) => {
        const s = await deliveredPaper(w);
        await w.db.savedWork.create({ data: { accountId: await accountOf(w, "user"), workId: Number(s.workId), savedAt: new Date(0) } });
      },
      args: "",
      reply: [/Your reading list: 1 paper/, /Lottery Tickets on a Data Diet/],
    },
    { name: "says the list is empty", args: "", reply: [/Your reading list is empty/] },
  ],
  following: [
    { name: "lists the follows", setup: follow, args: "", reply: [/You follow 1 researcher/, /Jonathan Frankle/, /Page 1 of 1/] },
    {
      name: "lists every kind, with filters and frequency",
      setup: async (w) => {
        await follow(w);
        await ok(w, "user", "follow search: lottery tickets --exclude survey --frequency weekly");
      },
      args: "",
      reply: [/You follow 2 things/, /Jonathan Frankle/, /Search: lottery tickets/, /not “survey” · weekly digest/],
    },
    { name: "says there are none", args: "", reply: [/You don't follow anyone yet/] },
  ],
  mute: [
    {
      name: "mutes a follow, which stays a follow",
      setup: follow,
      args: FRANKLE,
      reply: [/Muted Jonathan Frankle: you still follow them/],
      effect: { query: (w) => followsOf(w, "user"), expected: (w: World) => Promise.resolve([{ researcherId: w.researcherId, muted: true }]) },
    },
    { name: "refuses to mute someone not followed", args: FRANKLE, reply: [/You don't follow Jonathan Frankle/] },
  ],
  unmute: [
    {
      name: "unmutes a follow",
      setup: async (w) => {
        await follow(w);
        await ok(w, "user", `mute ${FRANKLE}`);
      },
      args: FRANKLE,
      reply: [/Unmuted Jonathan Frankle/],
      effect: { query: (w) => followsOf(w, "user"), expected: (w: World) => Promise.resolve([{ researcherId: w.researcherId, muted: false }]) },
    },
  ],
  subscribe: [
    {
      name: "a channel manager subscribes the channel to a topic, with a filter",
      actor: "manager",
      setup: pruningTopic,
      args: `topic: ${PRUNING} --exclude co-author:Michael Carbin`,
      reply: [/This channel now gets new papers from the topic Sparse and Low-Rank Neural Networks \(not with michael carbin\)/],
      visibility: "in_channel",
      effect: {
        query: channelAlerts,
        expected: [{ filters: { excludeCoauthors: ["michael carbin"] }, frequency: null, target: { kind: "topic", label: PRUNING } }],
      },
    },
    {
      name: "a channel manager subscribes the channel, said in the channel",
      actor: "manager",
      args: FRANKLE,
      reply: [/This channel now gets Jonathan Frankle's new papers/],
      visibility: "in_channel",
      effect: { query: subscriptions, expected: 1 },
    },
    {
      name: "an admin may too",
      actor: "admin",
      args: FRANKLE,
      reply: [/This channel now gets Jonathan Frankle's new papers/],
      visibility: "in_channel",
      effect: { query: subscriptions, expected: 1 },
    },
    {
      name: "refuses someone who cannot manage the channel, changing nothing",
      actor: "user",
      args: FRANKLE,
      reply: [/Only people who can manage this channel can change its subscriptions/],
      effect: { query: subscriptions, expected: 0 },
    },
  ],
  unsubscribe: [
    {
      name: "a channel manager ends a topic subscription",
      actor: "manager",
      setup: async (w) => {
        await pruningTopic(w);
        await ok(w, "manager", `subscribe topic: ${PRUNING}`);
      },
      args: `topic: ${PRUNING}`,
      reply: [/This channel no longer gets new papers from the topic Sparse and Low-Rank Neural Networks/],
      visibility: "in_channel",
      effect: { query: channelAlerts, expected: [] },
    },
    {
      name: "a channel manager unsubscribes the channel",
      actor: "manager",
      setup: subscribed,
      args: FRANKLE,
      reply: [/This channel no longer gets Jonathan Frankle's new papers/],
      visibility: "in_channel",
      effect: { query: subscriptions, expected: 0 },
    },
    {
      name: "refuses someone who cannot manage the channel, changing nothing",
      actor: "user",
      setup: subscribed,
      args: FRANKLE,
      reply: [/Only people who can manage this channel/],
      effect: { query: subscriptions, expected: 1 },
    },
  ],
  subscriptions: [
    {
      name: "lists a topic subscription with its filters",
      setup: async (w) => {
        await pruningTopic(w);
        await ok(w, "manager", `subscribe topic: ${PRUNING} --type preprint`);
      },
      args: "",
      reply: [/This channel gets new papers from 1 subscription/, /Topic: Sparse and Low-Rank Neural Networks/, /only preprint/],
    },
    {
      name: "lists the channel's subscriptions to anyone",
      setup: subscribed,
      args: "",
      reply: [/This channel gets new papers from 1 researcher/, /Jonathan Frankle/],
    },
    { name: "says there are none", args: "", reply: [/This channel has no subscriptions/] },
  ],
  digest: [
    {
      name: "sets a daily digest at a local hour",
      args: "daily 9 Europe/Berlin",
      reply: [/one message listing new papers every day at 09:00 \(Europe\/Berlin\)/],
      effect: {
        query: (w) => accountRow(w, "user").then((a) => ({ mode: a.digestMode, hour: a.digestHour, timezone: a.timezone })),
        expected: { mode: "daily", hour: 9, timezone: "Europe/Berlin" },
      },
    },
    { name: "says the current setting", args: "", reply: [/You get one message per new paper; the weekly summary of papers you missed/] },
    {
      name: "turns the weekly missed summary off",
      args: "missed off",
      reply: [/the weekly summary of papers you missed is off/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.missedSummary), expected: false },
    },
    {
      name: "refuses a missed setting that is neither on nor off, changing nothing",
      args: "missed maybe",
      reply: [/Say missed on or missed off/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.missedSummary), expected: true },
    },
    {
      name: "refuses an unknown timezone, changing nothing",
      args: "weekly 8 Mars/Olympus",
      reply: [/That is not a timezone I know/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.digestMode), expected: "instant" },
    },
  ],
  snooze: [
    {
      name: "snoozes until two hours from the core's now",
      args: "2h",
      reply: [/Snoozed until .+ \(UTC\)/],
      effect: {
        // Within 50 s of two hours ahead of the core's clock (which ticks while the check runs).
        query: async (w) => ((await accountRow(w, "user")).snoozedUntil?.getTime() ?? 0) - w.core.clock.now().getTime(),
        expected: expect.closeTo(2 * 3_600_000, -5),
      },
    },
    {
      name: "ends a snooze",
      setup: (w) => ok(w, "user", "snooze 3d").then(() => undefined),
      args: "off",
      reply: [/Snooze ended/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.snoozedUntil), expected: null },
    },
    {
      name: "refuses more than 30 days",
      args: "5w",
      reply: [/at most 30 days/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.snoozedUntil), expected: null },
    },
  ],
  notify: [
    {
      name: "sends new-paper messages to this platform",
      args: "here",
      reply: [/Your new-paper messages will come here/],
      effect: {
        query: (w) => accountRow(w, "user").then((a) => a.notifyIdentityId),
        expected: async (w: World) => (await w.identity("user")).identityId,
      },
    },
    {
      name: "stops @-mentions of you in channel posts about your papers",
      args: "mentions off",
      reply: [/will no longer @-mention you/],
      effect: { query: (w) => accountRow(w, "user").then((a) => a.mentionInChannels), expected: false },
    },
    {
      name: "asks for on or off",
      args: "mentions",
      reply: [/Say on or off/],
      effect: { query: (w) => w.db.account.count({ where: { mentionInChannels: false } }), expected: 0 },
    },
    {
      name: "a channel manager shows paper news in the channel as well as in its thread",
      actor: "manager",
      args: "also-in-channel on",
      reply: [/goes in the paper's thread and shows in the channel too/],
      effect: { query: threadRepliesInChannel, expected: true },
    },
    {
      name: "refuses someone who cannot manage the channel, changing nothing",
      args: "also-in-channel on",
      reply: [/Only people who can manage this channel/],
      effect: { query: threadRepliesInChannel, expected: null },
    },
  ],
  graph: [{ name: "shows the research graph", args: FRANKLE, reply: [/Jonathan Frankle/, /Main topics/] }],
  suggest: [
    {
      name: "suggests people near a researcher",
      args: FRANKLE,
      reply: [/People Jonathan Frankle could talk to/, /Charith Mendis/, /Tell me when they claim/],
    },
    {
      name: "suggests the central people of a topic, typos allowed",
      args: "sparce",
      reply: [/Central researchers in Sparse and Low-Rank Neural Networks/],
    },
  ],
  intro: [
    {
      name: "finds a co-author here, in words, with Ask for an intro",
      setup: (w) => memberHolding(w, "other"),
      args: FRANKLE,
      reply: [
        /Warm intros to Jonathan Frankle/,
        /Michael Carbin \(here as @.+\) wrote 2 papers with Jonathan Frankle, most recently in 2020/,
        /Ask for an intro/,
      ],
    },
    {
      name: "finds a two-hop path through a named co-author",
      setup: (w) => memberHolding(w, "other", { name: "Charith Mendis" }),
      args: FRANKLE,
      reply: [/Charith Mendis \(here as @.+\) wrote a paper with Michael Carbin \(in 2019\), who wrote 2 with Jonathan Frankle/],
    },
    {
      name: "never lists a member who did not opt in",
      setup: (w) => memberHolding(w, "other", { optIn: false }),
      args: FRANKLE,
      reply: [/Nobody here is listed for intros yet/],
    },
    {
      name: "never lists a member of another workspace",
      setup: async (w) => {
        const elsewhere = await w.core.accounts.resolve({
          platform: w.platform,
          tenantId: "T0ELSEWHERE",
          userId: "U0ELSEWHERE",
          displayName: "elsewhere",
        });
        await w.db.researcher.updateMany({ where: { displayName: CARBIN }, data: { claimedByAccountId: elsewhere.accountId } });
        await w.core.intros.join(elsewhere, { platform: w.platform, tenantId: "T0ELSEWHERE" });
      },
      args: FRANKLE,
      reply: [/Nobody here is listed for intros yet/],
    },
    {
      name: "asks a member by mention; the request is delivered as their DM",
      setup: (w) => memberHolding(w, "other"),
      args: (_s, w) => `${FRANKLE} via ${mention(w, "other")}: Could you introduce me?`,
      reply: [/I've asked Michael Carbin \(here as @.+\) to introduce you to Jonathan Frankle/],
      effect: {
        query: (w) => introRequestsOf(w, "user"),
        expected: async (w: World) => [
          { introTargetId: w.researcherId, recipientAccountId: await accountOf(w, "other"), message: "Could you introduce me?" },
        ],
      },
      sent: /asks you for an introduction to Jonathan Frankle/,
    },
  ],
  team: [
    {
      name: "shows who works on what here, as a picture and a list",
      setup: (w) => memberHolding(w, "other"),
      args: "",
      reply: [/Who works on what in this (workspace|server)/, /Michael Carbin \(here as @/],
    },
    { name: "says when nobody has joined", args: "", reply: [/Nobody in this (workspace|server) has joined intros/] },
  ],
  privacy: [
    { name: "shows the choice, off by default", args: "", reply: [/You're not listed/, /Join intros and the team map/] },
    {
      name: "joins intros here",
      args: "on",
      reply: [/You've joined this (workspace|server)'s intros and team map/],
      effect: { query: async (w) => w.db.introMember.count({ where: { identityId: (await w.identity("user")).identityId } }), expected: 1 },
    },
    {
      name: "leaving withdraws pending intro requests and tells the asker",
      setup: introRequestToUser,
      args: "off",
      reply: [/You've left this (workspace|server)'s intros/, /1 pending intro request was withdrawn/],
      effect: { query: invitationStatus, expected: "withdrawn" },
      sent: /no longer listed for introductions here, so your request for an introduction to Jonathan Frankle was withdrawn/,
    },
  ],
  invite: [
    {
      name: "sends an invitation to a claimed researcher, delivered as a DM",
      setup: (w) => claimedBy(w, "other"),
      args: `${FRANKLE}: Shall we talk about sparse training?`,
      reply: [/Your invitation to Jonathan Frankle is on its way/],
      effect: {
        query: async (w) =>
          w.db.invitation.findMany({
            where: { senderAccountId: await accountOf(w, "user") },
            select: { message: true, recipientAccountId: true, researcherId: true },
          }),
        expected: async (w: World) => [
          { message: "Shall we talk about sparse training?", recipientAccountId: await accountOf(w, "other"), researcherId: w.researcherId },
        ],
      },
      sent: /Shall we talk about sparse training\?/,
    },
    {
      name: "opens the form without a message; submitting it sends the invitation",
      setup: (w) => claimedBy(w, "other"),
      args: FRANKLE,
      form: true,
      reply: INVITE_FORM,
      submit: INVITE_SUBMIT,
    },
    {
      name: "refuses an unclaimed researcher, sending nothing",
      args: `${FRANKLE}: Hello`,
      reply: [/claim/i],
      effect: { query: (w) => w.db.invitation.count(), expected: 0 },
    },
  ],
  invites: [
    {
      name: "lists the invitations sent",
      setup: async (w) => {
        await claimedBy(w, "other");
        await ok(w, "user", `invite ${FRANKLE}: About pruning`);
      },
      args: "",
      reply: [/Your invitations/, /To Jonathan Frankle/, /About pruning/],
    },
    { name: "says there are none", args: "", reply: [/No invitations yet/] },
  ],
  // Not registered on Discord (Command.platforms); typed on Slack, it says where messages go there.
  inbox: [{ name: "says messages arrive as DMs here", args: "", reply: [/The inbox is for the console/], platforms: ["slack"] }],
  block: [
    {
      name: "blocks a person by mention",
      setup: (w) => w.identity("other").then(() => undefined),
      args: (_s, w) => mention(w, "other"),
      reply: [/Blocked .+: they can't send you invitations any more/],
      effect: { query: (w) => blocksBy(w, "user"), expected: 1 },
    },
    {
      name: "says a person who never used Peerlink cannot invite anyway",
      args: (_s, w) => mention(w, "other"),
      reply: [/hasn't used Peerlink/],
      effect: { query: (w) => w.db.block.count(), expected: 0 },
    },
  ],
  unblock: [
    {
      name: "unblocks a person by mention",
      setup: async (w) => {
        await w.identity("other");
        await ok(w, "user", `block ${mention(w, "other")}`);
      },
      args: (_s, w) => mention(w, "other"),
      reply: [/Unblocked/],
      effect: { query: (w) => blocksBy(w, "user"), expected: 0 },
    },
  ],
  claim: [
    {
      name: "a record with an ORCID iD is claimed by ORCID sign-in",
      setup: async (w) => {
        await w.db.researcher.update({ where: { id: w.researcherId }, data: { orcid: ORCID } });
      },
      args: FRANKLE,
      reply: [/Sign in with ORCID/, /https:\/\/orcid\.example\/oauth\/authorize\?/],
      // A pending ORCID claim and the one-time state its sign-in link carries.
      effect: {
        query: async (w) => ({ claims: await claimsOf(w, "user"), states: await w.db.oAuthState.count({ where: { usedAt: null } }) }),
        expected: { claims: [{ method: "orcid", status: "pending" }], states: 1 },
      },
    },
    {
      name: "a record without one goes to the reviewers, posted in the review channel",
      args: FRANKLE,
      reply: [/Your claim on Jonathan Frankle was sent to the reviewers \(claim #\d+\)/],
      effect: { query: (w) => claimsOf(w, "user"), expected: [{ method: "admin_review", status: "pending" }] },
      sent: /Claim request #\d+: Jonathan Frankle/,
    },
  ],
  release: [
    {
      name: "gives up one's own claim",
      setup: (w) => claimedBy(w, "user"),
      args: FRANKLE,
      reply: [/You released your claim on Jonathan Frankle/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: null },
    },
  ],
  link: [
    {
      name: "issues a link code",
      args: "",
      reply: [/Your link code is [A-Z0-9]{4}-[A-Z0-9]{4}/],
      effect: { query: async (w) => w.db.linkCode.count({ where: { accountId: await accountOf(w, "user") } }), expected: 1 },
    },
    {
      name: "joins this identity to the account a code came from",
      setup: async (w) => {
        const elsewhere = await w.core.accounts.resolve({ platform: "console", tenantId: "local", userId: "ada-contract" });
        const issued = await w.core.linking.issue(elsewhere);
        if (issued.kind !== "issued") throw new Error("setup: no link code");
        return { code: issued.code, accountId: elsewhere.accountId };
      },
      args: (s) => String(s.code),
      reply: [/Linked: this (Slack|Discord) identity is now part of your Peerlink account/],
      effect: { query: (w) => accountOf(w, "user"), expected: (_w: World, s: Setup) => Promise.resolve(s.accountId) },
    },
    {
      name: "refuses a wrong code",
      args: "ABCD-EFGH",
      reply: [/That code isn't valid/],
    },
  ],
  approve: [
    {
      name: "an admin approves a claim; the claimant is told by DM",
      actor: "admin",
      setup: claimInReview,
      args: (s) => String(s.claimId),
      reply: [/Approved claim #\d+: Jonathan Frankle is now claimed and verified \(L2\)/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: (w: World) => accountOf(w, "other") },
      sent: /Your claim on Jonathan Frankle is verified/,
    },
    {
      name: "refuses a non-admin, changing nothing",
      actor: "user",
      setup: claimInReview,
      args: (s) => String(s.claimId),
      reply: [/Only admins of the workspace that reviews claims can approve or reject them/],
      effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "pending" }] },
    },
  ],
  reject: [
    {
      name: "an admin rejects a claim",
      actor: "admin",
      setup: claimInReview,
      args: (s) => String(s.claimId),
      reply: [/Rejected claim #\d+ on Jonathan Frankle/],
      effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "rejected" }] },
      sent: /Your claim on Jonathan Frankle was not approved by the reviewers/,
    },
    {
      name: "refuses a non-admin, changing nothing",
      actor: "user",
      setup: claimInReview,
      args: (s) => String(s.claimId),
      reply: [/Only admins/],
      effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "pending" }] },
    },
  ],
  revoke: [
    {
      name: "an admin revokes a claim",
      actor: "admin",
      setup: (w) => claimedBy(w, "other"),
      args: FRANKLE,
      reply: [/Revoked the claim on Jonathan Frankle/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: null },
      sent: /An admin revoked your claim on Jonathan Frankle/,
    },
    {
      name: "refuses a non-admin, changing nothing",
      actor: "user",
      setup: (w) => claimedBy(w, "other"),
      args: FRANKLE,
      reply: [/Only admins of the workspace that reviews claims can revoke them/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: (w: World) => accountOf(w, "other") },
    },
  ],
  verify: [
    {
      name: "an admin grants institution verification",
      actor: "admin",
      setup: (w) => claimedBy(w, "other"),
      args: FRANKLE,
      reply: [/Jonathan Frankle is now verified by institution \(L3\)/],
      effect: { query: (w) => frankle(w).then((r) => r.verificationLevel), expected: 3 },
    },
    {
      name: "refuses a non-admin, changing nothing",
      actor: "user",
      setup: (w) => claimedBy(w, "other"),
      args: FRANKLE,
      reply: [/Only admins of the workspace that reviews claims can grant institution verification/],
      effect: { query: (w) => frankle(w).then((r) => r.verificationLevel), expected: 2 },
    },
  ],
  usage: [
    { name: "an admin sees the usage (live lookup is off here)", actor: "admin", args: "", reply: [/Live lookup is off/] },
    { name: "refuses a non-admin", actor: "user", args: "", reply: [/Only workspace admins can see the OpenAlex usage/] },
  ],
  help: [{ name: "lists every command", args: "", reply: [/Peerlink commands/, /\/researcher subscribe/, /\/researcher snooze/] }],
};

/** Per button action, by the action id a command registers. */
/** The user follows HOME_SECTION_SIZE + 1 researchers: two pages of follows on the dashboard. */
async function followsTwoPages(w: World): Promise<Setup> {
  const accountId = await accountOf(w, "user");
  const people = await w.db.researcher.findMany({ orderBy: { id: "asc" }, take: HOME_SECTION_SIZE + 1, select: { id: true } });
  await w.db.follow.createMany({ data: people.map((p) => ({ accountId, researcherId: p.id })) });
  return {};
}

export const actionCases: Record<string, ContractCase[]> = {
  home_page: [
    {
      name: "More turns the follows to their second page, in place",
      setup: followsTwoPages,
      value: "following:2",
      inPlace: true,
      reply: [new RegExp(`Researchers you follow \\(${HOME_SECTION_SIZE + 1}\\)`), /Page 2 of 2/, /Previous/, /Invitations waiting for you/],
    },
    {
      name: "a forged page shows every section from its first page",
      setup: followsTwoPages,
      value: "secrets:9,following:x",
      inPlace: true,
      reply: [/Page 1 of 2/, /More/],
    },
  ],
  save_work: [
    {
      name: "Save, on a new-paper message",
      setup: deliveredPaper,
      value: (s) => String(s.workId),
      reply: [/Saved to your reading list/],
      effect: { query: async (w) => w.db.savedWork.count({ where: { accountId: await accountOf(w, "user") } }), expected: 1 },
    },
  ],
  not_relevant: [
    {
      name: "Not relevant, on a new-paper message: its co-authors are muted for that reason",
      setup: deliveredPaper,
      value: (s) => String(s.deliveryId),
      reply: [/Got it: papers like this one .* won't be sent to you for Jonathan Frankle any more/],
      effect: {
        query: async (w) =>
          (await w.db.feedbackMute.findMany({ where: { recipientKey: `account:${await accountOf(w, "user")}` } })).every(
            (m) => m.reasonKey === `researcher:${w.researcherId}`,
          ),
        expected: true,
      },
    },
    {
      name: "Not relevant, refused on someone else's message",
      actor: "other",
      setup: deliveredPaper,
      value: (s) => String(s.deliveryId),
      reply: [/belongs to someone else's message/],
      effect: { query: (w) => w.db.feedbackMute.count(), expected: 0 },
    },
  ],
  follow_target: [
    {
      name: "Follow, on a topic in a pick list",
      setup: pruningTopic,
      value: "topic:T19002",
      reply: [/You now follow the topic Sparse and Low-Rank Neural Networks/],
      effect: { query: (w) => myAlerts(w).then((a) => a.length), expected: 1 },
    },
  ],
  unfollow_target: [
    {
      name: "Unfollow, on a followed search",
      setup: followedSearch,
      value: (s) => String(s.alertId),
      reply: [/You no longer follow the search “lottery tickets”/],
      effect: { query: myAlerts, expected: [] },
    },
  ],
  subscribe_target: [
    {
      name: "Subscribe, by a channel manager",
      actor: "manager",
      setup: pruningTopic,
      value: "topic:T19002",
      reply: [/This channel now gets new papers from the topic Sparse and Low-Rank Neural Networks/],
      visibility: "in_channel",
      effect: { query: (w) => channelAlerts(w).then((a) => a.length), expected: 1 },
    },
    {
      name: "Subscribe, refused to someone who cannot manage the channel",
      actor: "user",
      setup: pruningTopic,
      value: "topic:T19002",
      reply: [/Only people who can manage this channel/],
      effect: { query: (w) => channelAlerts(w).then((a) => a.length), expected: 0 },
    },
  ],
  unsubscribe_target: [
    {
      name: "Unsubscribe, by a channel manager",
      actor: "manager",
      setup: async (w) => {
        await pruningTopic(w);
        await ok(w, "manager", `subscribe topic: ${PRUNING}`);
        return { alertId: (await w.db.alert.findFirstOrThrow()).id };
      },
      value: (s) => String(s.alertId),
      reply: [/This channel no longer gets new papers from the topic Sparse and Low-Rank Neural Networks/],
      visibility: "in_channel",
      effect: { query: channelAlerts, expected: [] },
    },
  ],
  follow: [
    {
      name: "Follow",
      value: (_s, w) => String(w.researcherId),
      reply: [/You now follow Jonathan Frankle/],
      effect: { query: (w) => followsOf(w, "user").then((f) => f.length), expected: 1 },
    },
  ],
  unfollow: [
    {
      name: "Unfollow",
      setup: follow,
      value: (_s, w) => String(w.researcherId),
      reply: [/You no longer follow Jonathan Frankle/],
      effect: { query: (w) => followsOf(w, "user").then((f) => f.length), expected: 0 },
    },
  ],
  claim: [
    {
      name: "Claim this profile",
      value: (_s, w) => String(w.researcherId),
      reply: [/sent to the reviewers \(claim #\d+\)/],
      effect: { query: (w) => claimsOf(w, "user"), expected: [{ method: "admin_review", status: "pending" }] },
      sent: /Claim request #\d+: Jonathan Frankle/,
    },
  ],
  invite: [
    {
      name: "Invite opens the form; submitting it sends the invitation",
      setup: (w) => claimedBy(w, "other"),
      value: (_s, w) => String(w.researcherId),
      form: true,
      reply: INVITE_FORM,
      submit: INVITE_SUBMIT,
    },
    { name: "Invite on an unclaimed record offers to wait", value: (_s, w) => String(w.researcherId), reply: [/Tell me when they claim/] },
  ],
  works: [{ name: "More works, page 2", value: (_s, w) => `${w.researcherId}:2`, reply: [/Works by Jonathan Frankle/, /Page 2 of 2/] }],
  share: [{ name: "Share in channel", value: (_s, w) => String(w.researcherId), reply: [/Jonathan Frankle/, /Trust/], visibility: "in_channel" }],
  refresh_card: [
    { name: "Refresh a card shared in the channel", value: (_s, w) => String(w.researcherId), reply: [/Updated the card of Jonathan Frankle/] },
  ],
  lookup: [{ name: "View profile", value: (_s, w) => String(w.researcherId), reply: [/Jonathan Frankle/, /Trust/] }],
  graph: [{ name: "Research graph", value: (_s, w) => String(w.researcherId), reply: [/Main topics/] }],
  suggest: [
    {
      name: "Suggest for this researcher",
      value: (_s, w) => `r:${w.researcherId}`,
      reply: [/People Jonathan Frankle could talk to/, /Charith Mendis/],
    },
    {
      name: "Suggest for a topic",
      value: async (_s, w) => `t:${(await w.db.topic.findFirstOrThrow({ where: { name: "Sparse and Low-Rank Neural Networks" } })).id}`,
      reply: [/Central researchers in Sparse and Low-Rank Neural Networks/],
    },
  ],
  watch_claim: [
    {
      name: "Tell me when they claim",
      value: (_s, w) => String(w.researcherId),
      reply: [/I'll tell you when Jonathan Frankle claims their profile/],
      effect: { query: async (w) => w.db.claimWatch.count({ where: { accountId: await accountOf(w, "user") } }), expected: 1 },
    },
  ],
  intro: [
    {
      name: "Warm intros, from the card",
      setup: (w) => memberHolding(w, "other"),
      value: (_s, w) => String(w.researcherId),
      reply: [/Warm intros to Jonathan Frankle/],
    },
  ],
  ask_intro: [
    {
      name: "Ask for an intro opens the form; submitting it asks the member",
      setup: (w) => memberHolding(w, "other"),
      value: (_s, w) => `${w.researcherId}:${w.userId("other")}`,
      form: true,
      reply: [/Ask for an intro/, /Why you'd like to meet them/],
      submit: {
        values: { message: "Written in the form: could you introduce us?" },
        reply: [/I've asked Michael Carbin \(here as @.+\) to introduce you to Jonathan Frankle/],
        effect: {
          query: (w) => introRequestsOf(w, "user"),
          expected: async (w: World) => [
            {
              introTargetId: w.researcherId,
              recipientAccountId: await accountOf(w, "other"),
              message: "Written in the form: could you introduce us?",
            },
          ],
        },
        sent: /asks you for an introduction to Jonathan Frankle/,
      },
    },
  ],
  privacy: [
    {
      name: "Join intros from the button",
      value: "on",
      reply: [/You've joined this (workspace|server)'s intros/],
      effect: { query: async (w) => w.db.introMember.count({ where: { identityId: (await w.identity("user")).identityId } }), expected: 1 },
    },
  ],
  accept_invite: [
    {
      name: "I'll introduce you: an intro request, and the two are put in touch",
      setup: introRequestToUser,
      value: (s) => String(s.invitationId),
      // Slack opens a conversation (its first message says who introduces whom); Discord sends each the other's contact.
      reply: [/Thank you! I've (opened a conversation with|sent you and) /],
      effect: { query: invitationStatus, expected: "accepted" },
      sent: /offered to introduce/,
    },
    {
      name: "Accept: both get the other's contact",
      setup: invitationFromOther,
      value: (s) => String(s.invitationId),
      // Slack opens a conversation for the two (the intro quotes the invitation); Discord sends each the other's contact.
      reply: [/Accepted\. I've (opened a conversation with|sent you and) /],
      effect: { query: invitationStatus, expected: "accepted" },
      sent: /Shall we write about lottery tickets\?|accepted your invitation to collaborate/,
    },
  ],
  decline_invite: [
    {
      name: "Decline an intro request: the asker is told kindly, without a reason",
      setup: introRequestToUser,
      value: (s) => String(s.invitationId),
      reply: [/Declined\. I've let .+ know, kindly/],
      effect: { query: invitationStatus, expected: "declined" },
      sent: /can't make an introduction to Jonathan Frankle right now/,
    },
    {
      name: "Decline: the sender is told politely",
      setup: invitationFromOther,
      value: (s) => String(s.invitationId),
      reply: [/Declined\. I've let .+ know, politely/],
      effect: { query: invitationStatus, expected: "declined" },
      sent: /can't take up your invitation to collaborate right now/,
    },
  ],
  block_sender: [
    {
      name: "Block sender: declines and blocks",
      setup: invitationFromOther,
      value: (s) => String(s.invitationId),
      reply: [/Blocked .+: they can't send you invitations any more/],
      effect: {
        query: async (w, s) => ({ status: await invitationStatus(w, s), blocks: await blocksBy(w, "user") }),
        expected: { status: "declined", blocks: 1 },
      },
    },
  ],
  approve_claim: [
    {
      name: "Approve, by an admin",
      actor: "admin",
      setup: claimInReview,
      value: (s) => String(s.claimId),
      reply: [/Approved claim #\d+/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: (w: World) => accountOf(w, "other") },
      sent: /Your claim on Jonathan Frankle is verified/,
    },
    {
      name: "Approve, refused to a non-admin",
      actor: "user",
      setup: claimInReview,
      value: (s) => String(s.claimId),
      reply: [/Only admins/],
      effect: { query: (w) => frankle(w).then((r) => r.claimedByAccountId), expected: null },
    },
  ],
  reject_claim: [
    {
      name: "Reject, by an admin",
      actor: "admin",
      setup: claimInReview,
      value: (s) => String(s.claimId),
      reply: [/Rejected claim #\d+/],
      effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "rejected" }] },
      sent: /Your claim on Jonathan Frankle was not approved by the reviewers/,
    },
    {
      name: "Reject, refused to a non-admin",
      actor: "user",
      setup: claimInReview,
      value: (s) => String(s.claimId),
      reply: [/Only admins/],
      effect: { query: (w) => claimsOf(w, "other"), expected: [{ method: "admin_review", status: "pending" }] },
    },
  ],
};

/** The command context a case's actor has in the case's channel, for setup through the core. */
export function contextFor(w: Pick<World, "platform" | "tenantId" | "channelId" | "userId">, kind: ActorKind): CommandContext {
  return {
    actor: { platform: w.platform, tenantId: w.tenantId, userId: w.userId(kind), displayName: `contract ${kind}` },
    channelId: w.channelId,
    permissions: PERMISSIONS[kind],
  };
}

/** The demo researchers' columns a case may change, to put back afterwards. */
export type ResearcherSnapshot = Array<{ id: number; orcid: string | null; verificationLevel: number }>;

export const snapshotResearchers = (db: Db): Promise<ResearcherSnapshot> =>
  db.researcher.findMany({ select: { id: true, orcid: true, verificationLevel: true } });

const RESET_STATEMENTS = [
  "DELETE FROM console_message",
  "DELETE FROM channel_setting",
  "DELETE FROM notification_delivery",
  "DELETE FROM feedback_mute",
  "DELETE FROM saved_work",
  "DELETE FROM alert",
  "DELETE FROM alert_target",
  "UPDATE topic SET openalex_id = NULL WHERE openalex_id = 'T19002'",
  "DELETE FROM invitation_delivery",
  "DELETE FROM invitation",
  "DELETE FROM intro_member",
  "DELETE FROM block",
  "DELETE FROM claim_watch",
  "DELETE FROM oauth_state",
  "DELETE FROM claim",
  "DELETE FROM channel_subscription",
  "DELETE FROM follow",
  "DELETE FROM link_code",
  "DELETE FROM audit_log",
  "UPDATE researcher SET claimed_by_account_id = NULL, claimed_at = NULL WHERE claimed_by_account_id IS NOT NULL",
  "UPDATE account SET notify_identity_id = NULL",
  "DELETE FROM chat_identity",
  "DELETE FROM account",
];

/**
 * Back to the seeded state between cases: everything people did (accounts and all that hangs off
 * them) is deleted, and the researchers' claim columns restored. Children before parents.
 */
export async function resetState(db: Db, researchers: ResearcherSnapshot): Promise<void> {
  await db.$transaction(RESET_STATEMENTS.map((sql) => db.$executeRawUnsafe(sql)));
  const changed = await db.researcher.findMany({ select: { id: true, orcid: true, verificationLevel: true } });
  const before = new Map(researchers.map((r) => [r.id, r]));
  for (const r of changed) {
    const was = before.get(r.id);
    if (was && (was.orcid !== r.orcid || was.verificationLevel !== r.verificationLevel)) {
      await db.researcher.update({ where: { id: r.id }, data: { orcid: was.orcid, verificationLevel: was.verificationLevel } });
    }
  }
}

/** The action ids the core's commands own: every button an adapter can hand to router.handleAction. */
export const actionIdsOf = (commands: readonly { actions?: Partial<Record<ActionId, unknown>> }[]): string[] =>
  [...new Set(commands.flatMap((c) => Object.keys(c.actions ?? {})))].sort();
