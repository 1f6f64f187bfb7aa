// Pictures in new-paper messages: a channel's post and a digest carry the research graph of the
// researcher they are about, uploaded beside the message on Slack (files.getUploadURLExternal, the
// upload, files.completeUploadExternal) and attached to the embed on Discord; a follower's DM does not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { ctxFor, discordPosts, type Harness, newFrankleWork, queuesIdle, slackPosts, startHarness, waitUntil } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const SLACK_CHANNEL = "C0PAPERS";
const DISCORD_CHANNEL = "1300000000000000077";
const sent = () => h.t.db.notificationDelivery.count({ where: { status: "sent" } });
const uploadsTo = (channel: string) => h.slack.callsTo("files.completeUploadExternal").filter((c) => c.args.channel_id === channel);

beforeAll(async () => {
  h = await startHarness();
  workers = await h.start();
  const slackManager = ctxFor("slack", "U0ADMIN", { channelId: SLACK_CHANNEL, permissions: { canManageChannel: true, isAdmin: false } });
  const discordManager = ctxFor("discord", "1400000000000000001", {
    channelId: DISCORD_CHANNEL,
    permissions: { canManageChannel: true, isAdmin: false },
  });
  expect((await h.run("subscribe Jonathan Frankle", slackManager)).reply).toMatchObject({ level: "success" });
  expect((await h.run("subscribe Jonathan Frankle", discordManager)).reply).toMatchObject({ level: "success" });
  expect((await h.run("follow Jonathan Frankle", ctxFor("slack", "U0ALICE"))).reply).toMatchObject({ level: "success" });
});
afterAll(async () => h?.close());

describe("pictures in new-paper messages", () => {
  it("uploads the research graph beside a Slack channel's post, and attaches it to a Discord channel's embed", async () => {
    h.openalex.addWork(newFrankleWork(1, h.clock.now()));
    await workers.ingestNow();
    await waitUntil(async () => (await sent()) === 3, 15_000, "three sent deliveries");
    const complete = await h.slack.waitFor(() => uploadsTo(SLACK_CHANNEL)[0], 15_000);
    expect(complete.args.files[0].title).toMatch(/^Research graph of Jonathan Frankle/);
    const [ask] = h.slack.callsTo("files.getUploadURLExternal");
    expect(ask!.args.filename).toMatch(/^research-graph-\d+\.png$/);
    expect(h.slack.uploads).toHaveLength(1);
    expect(h.slack.uploads[0]!.bytes).toBeGreaterThan(1000);
    // The post itself came first, in the same channel.
    expect(slackPosts(h.slack, SLACK_CHANNEL)).toHaveLength(1);

    const [post] = discordPosts(h.discord, DISCORD_CHANNEL);
    expect(post!.files).toEqual([expect.stringMatching(/^research-graph-\d+\.png$/)]);
    expect(post!.body.embeds[0].image.url).toBe(`attachment://${post!.files[0]}`);
  });

  it("sends a follower's DM without a picture", async () => {
    const dm = slackPosts(h.slack).filter((c) => c.args.channel !== SLACK_CHANNEL);
    expect(dm).toHaveLength(1);
    expect(uploadsTo(dm[0]!.args.channel as string)).toHaveLength(0);
  });

  it("keeps a sent post sent when the upload fails: the message is not posted twice", async () => {
    h.slack.failNext("files.getUploadURLExternal", { error: "internal_error" });
    const before = slackPosts(h.slack, SLACK_CHANNEL).length;
    h.openalex.addWork(newFrankleWork(2, h.clock.now()));
    await workers.ingestNow();
    await waitUntil(async () => (await sent()) === 6, 15_000, "the second paper's deliveries");
    await queuesIdle(workers);
    expect(slackPosts(h.slack, SLACK_CHANNEL)).toHaveLength(before + 1);
    expect(await h.t.db.notificationDelivery.count({ where: { status: "failed" } })).toBe(0);
  });

  it("carries the graph of the followed researcher in a Slack digest", async () => {
    const alice = ctxFor("slack", "U0ALICE");
    expect((await h.run("digest daily 9 UTC", alice)).reply).toMatchObject({ level: "success" });
    h.openalex.addWork(newFrankleWork(3, h.clock.now()));
    await workers.ingestNow();
    await queuesIdle(workers);
    const dmChannel = slackPosts(h.slack).find((c) => c.args.channel !== SLACK_CHANNEL)!.args.channel as string;
    const before = uploadsTo(dmChannel).length;
    // The next 09:00 UTC has passed.
    h.clock.advance(24 * 3_600_000);
    expect(await workers.digestNow()).toMatchObject({ accounts: 1, messages: 1, works: 1, errors: [] });
    const digest = slackPosts(h.slack, dmChannel).at(-1)!;
    expect(digest.args.text).toMatch(/1 new paper today/);
    const upload = await h.slack.waitFor(() => uploadsTo(dmChannel)[before], 15_000);
    expect(upload.args.files[0].title).toMatch(/^Research graph of Jonathan Frankle/);
  });
});
