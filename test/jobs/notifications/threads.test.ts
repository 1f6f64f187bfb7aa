// Paper threads: a channel's post about a new paper is its thread's parent; later news that OpenAlex
// shows about the paper (published version after a preprint, retraction, citation milestones) is
// posted in that thread, once: Slack chat.postMessage with thread_ts (reply_broadcast per channel),
// Discord a thread started from the post and a message in it (or, with also-in-channel on, a reply
// to the post in the channel).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../../../src/sources/openalex/client.js";
import { OpenAlexWorkStatus } from "../../../src/sources/openalex/OpenAlexWorkStatus.js";
import { syntheticWork } from "../../support/openalex-stub.js";
import { ctxFor, discordPosts, type Harness, queuesIdle, slackPosts, startHarness, waitUntil } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const SLACK_CHANNEL = "C0PAPERS";
const DISCORD_CHANNEL = "1300000000000000077";
const TITLE = "Synthetic fixture work 9101";
const DAY = 86_400_000;
const manage = { permissions: { canManageChannel: true, isAdmin: false } };
const slackManager = ctxFor("slack", "U0ADMIN", { channelId: SLACK_CHANNEL, ...manage });
const discordManager = ctxFor("discord", "1400000000000000001", { channelId: DISCORD_CHANNEL, ...manage });

/** The preprint as OpenAlex lists it at first, and as it changes. */
const preprint = () => syntheticWork(9101, { createdDate: h.clock.now().toISOString().slice(0, 10), type: "preprint", venue: "arXiv" });
const asNow = (changes: Record<string, unknown>) => h.openalex.addWork({ ...preprint(), ...changes });
const published = { type: "article", primary_location: { source: { id: null, display_name: "Journal of Tests" }, version: "publishedVersion" } };

const parentOf = async (platform: "slack" | "discord") =>
  (await h.t.db.notificationDelivery.findFirstOrThrow({ where: { recipientKey: { startsWith: `channel:${platform}:` } } })).messageRef!;
const slackThreadPosts = (ts: string) => slackPosts(h.slack, SLACK_CHANNEL).filter((c) => c.args.thread_ts === ts);

beforeAll(async () => {
  h = await startHarness();
  const client = new OpenAlexClient({ apiUrl: h.openalex.url, baseDelayMs: 5, maxDelayMs: 20 });
  workers = await h.start({ workStatus: new OpenAlexWorkStatus(client) });
  expect((await h.run("subscribe Jonathan Frankle", slackManager)).reply).toMatchObject({ level: "success" });
  expect((await h.run("subscribe Jonathan Frankle", discordManager)).reply).toMatchObject({ level: "success" });
  h.openalex.addWork(preprint());
  await workers.ingestNow();
  await waitUntil(async () => (await h.t.db.notificationDelivery.count({ where: { status: "sent" } })) === 2, 15_000, "the two channel posts");
  await queuesIdle(workers);
});
afterAll(async () => h?.close());

describe("paper threads", () => {
  it("keeps each channel post's platform id: the parent of the paper's thread", async () => {
    const slack = await parentOf("slack");
    const post = slackPosts(h.slack, SLACK_CHANNEL)[0]!;
    expect(slack).toMatch(new RegExp(`^${SLACK_CHANNEL}:\\d+\\.\\d+$`));
    expect(post.args.thread_ts).toBeUndefined();
    expect(await parentOf("discord")).toMatch(new RegExp(`^${DISCORD_CHANNEL}:\\d+$`));
  });

  it("posts the published version in the preprint's thread, not in the channel", async () => {
    asNow({ ...published, cited_by_count: 3 });
    const result = await workers.paperNewsNow();
    expect(result).toMatchObject({ worksChecked: 1, news: 2, sent: 2, failed: 0 });

    const [, ts] = (await parentOf("slack")).split(":");
    const [reply] = slackThreadPosts(ts!);
    // The Web API client sends form fields: the boolean arrives as text.
    expect(reply!.args).toMatchObject({ channel: SLACK_CHANNEL, thread_ts: ts, reply_broadcast: "false" });
    expect(reply!.args.text).toMatch(/Published: “Synthetic fixture work 9101” is out in Journal of Tests/);

    const [, parentId] = (await parentOf("discord")).split(":");
    const [created] = h.discord.callsTo("POST", `/channels/${DISCORD_CHANNEL}/messages/${parentId}/threads`);
    expect(created!.body).toMatchObject({ name: TITLE });
    const [inThread] = discordPosts(h.discord, parentId);
    expect(JSON.stringify(inThread!.body.embeds)).toContain("Journal of Tests");
    // The citations a paper had when first checked are not news.
    expect(await h.t.db.paperNews.findMany({ select: { newsKey: true } })).toEqual([{ newsKey: "published" }, { newsKey: "published" }]);
  });

  it("sends nothing twice: not again the same day, and not when the next day's check finds no change", async () => {
    const before = h.slack.callsTo("chat.postMessage").length + discordPosts(h.discord).length;
    expect(await workers.paperNewsNow()).toMatchObject({ worksChecked: 0, news: 0, sent: 0 });
    h.clock.advance(DAY + 1);
    expect(await workers.paperNewsNow()).toMatchObject({ worksChecked: 1, news: 0, sent: 0 });
    expect(h.slack.callsTo("chat.postMessage").length + discordPosts(h.discord).length).toBe(before);
    expect(await h.t.db.paperNews.count()).toBe(2);
  });

  it("with also-in-channel on, shows a retraction and a citation milestone in the channel too", async () => {
    expect((await h.run("notify also-in-channel on", slackManager)).reply).toMatchObject({ level: "success" });
    expect((await h.run("notify also-in-channel on", discordManager)).reply).toMatchObject({ level: "success" });
    asNow({ ...published, cited_by_count: 12, is_retracted: true });
    h.clock.advance(DAY + 1);
    expect(await workers.paperNewsNow()).toMatchObject({ worksChecked: 1, news: 4, sent: 4, failed: 0 });

    const [, ts] = (await parentOf("slack")).split(":");
    const broadcast = slackThreadPosts(ts!).filter((c) => c.args.reply_broadcast === "true");
    expect(broadcast.map((c) => c.args.text as string).sort()).toEqual([
      expect.stringMatching(/^Retracted: OpenAlex marks “Synthetic fixture work 9101” as retracted/),
      expect.stringMatching(/now has 12 citations/),
    ]);
    const [, parentId] = (await parentOf("discord")).split(":");
    const replies = discordPosts(h.discord, DISCORD_CHANNEL).filter((c) => c.body.message_reference?.message_id === parentId);
    expect(replies).toHaveLength(2);
  });

  it("waits out a rate limit and posts the news once on the next run", async () => {
    await h.run("notify also-in-channel off", slackManager);
    asNow({ ...published, cited_by_count: 60, is_retracted: true });
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    h.clock.advance(DAY + 1);
    const first = await workers.paperNewsNow();
    expect(first).toMatchObject({ news: 2, failed: 0 });
    expect(first.deferred).toBeGreaterThanOrEqual(1);
    const second = await workers.paperNewsNow();
    expect(first.sent + second.sent).toBe(2);
    const [, ts] = (await parentOf("slack")).split(":");
    const fifty = slackThreadPosts(ts!).filter((c) => !c.failed && /now has 60 citations/.test(c.args.text as string));
    expect(fifty).toHaveLength(1);
    expect(fifty[0]!.args.reply_broadcast).toBe("false");
    expect(await h.t.db.paperNews.count({ where: { status: { not: "sent" } } })).toBe(0);
  });
});
