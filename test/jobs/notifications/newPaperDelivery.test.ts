// Follow → ingest finds a new work on the OpenAlex stand-in → one message per follower reaches the
// Slack and Discord stand-ins through the real messengers; channel subscriptions post in the channel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { ctxFor, discordPosts, type Harness, newFrankleWork, queuesIdle, slackPosts, startHarness, waitUntil } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const deliveries = (status?: string) =>
  h.t.db.notificationDelivery.findMany({ where: status ? { status: status as never } : {}, orderBy: { id: "asc" } });

/** Slack posts (to `channel`, or anywhere) that carry a work's title. */
const postsOf = (title: string, channel?: string) => slackPosts(h.slack, channel).filter((c) => JSON.stringify(c.args).includes(title)).length;

beforeAll(async () => {
  h = await startHarness();
  workers = await h.start();
});
afterAll(async () => h?.close());

describe("new-paper notifications", () => {
  it("sends exactly one DM per follower and one post per subscribed channel when a followed researcher publishes", async () => {
    const slackUser = ctxFor("slack", "U0ALICE");
    const discordUser = ctxFor("discord", "1400000000000000042");
    expect((await h.run("follow Jonathan Frankle", slackUser)).reply).toMatchObject({ level: "success" });
    expect((await h.run("follow Jonathan Frankle", discordUser)).reply).toMatchObject({ level: "success" });
    const manager = ctxFor("slack", "U0ADMIN", { channelId: "C0PAPERS", permissions: { canManageChannel: true, isAdmin: true } });
    expect((await h.run("subscribe Jonathan Frankle", manager)).reply).toMatchObject({ level: "success" });

    // Nothing new yet: the fixtures' works were listed years ago.
    expect((await workers.ingestNow()).deliveriesCreated).toBe(0);

    h.openalex.addWork(newFrankleWork(1, h.clock.now()));
    const result = await workers.ingestNow();
    expect(result.deliveriesCreated).toBe(3);
    expect(h.openalex.requests.at(-1)?.query.filter).toMatch(/author\.id:A5100000000.*from_publication_date:\d{4}-\d{2}-\d{2}/);

    await waitUntil(async () => (await deliveries("sent")).length === 3, 10_000, "three sent deliveries");
    const aliceDm = slackPosts(h.slack).filter((c) => c.args.channel !== "C0PAPERS");
    expect(aliceDm).toHaveLength(1);
    expect(JSON.stringify(aliceDm[0]!.args.blocks)).toContain("Synthetic fixture work 9001");
    expect(JSON.stringify(aliceDm[0]!.args.blocks)).toContain("★ Jonathan Frankle");
    expect(slackPosts(h.slack, "C0PAPERS")).toHaveLength(1);
    expect(discordPosts(h.discord)).toHaveLength(1);
    expect(h.discord.callsTo("POST", "/users/@me/channels")[0]?.body).toMatchObject({ recipient_id: "1400000000000000042" });
  });

  it("sends nothing new when ingest runs again over the same window", async () => {
    const before = slackPosts(h.slack).length + discordPosts(h.discord).length;
    const again = await workers.ingestNow();
    expect(again.worksSeen).toBeGreaterThan(0);
    expect(again.deliveriesCreated).toBe(0);
    expect((await workers.reconcileNow()).enqueued).toBe(0);
    await queuesIdle(workers);
    expect(slackPosts(h.slack).length + discordPosts(h.discord).length).toBe(before);
    expect(await h.t.db.notificationDelivery.count()).toBe(3);
  });

  it("honours a 429 from Slack: the delivery is retried after Retry-After and succeeds without using up its attempts", async () => {
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 }, 5);
    h.openalex.addWork(newFrankleWork(2, h.clock.now()));
    const started = performance.now();
    await workers.ingestNow();
    await waitUntil(async () => (await deliveries("sent")).length === 6, 15_000, "deliveries after the 429s");
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    const limited = h.slack.callsTo("chat.postMessage").length;
    expect(limited).toBeGreaterThanOrEqual(2 + 5);
    expect(await h.t.db.notificationDelivery.count({ where: { status: "failed" } })).toBe(0);
  });

  it("keeps muted follows quiet and pauses everything while snoozed", async () => {
    const slackUser = ctxFor("slack", "U0ALICE");
    const discordUser = ctxFor("discord", "1400000000000000042");
    expect((await h.run("mute Jonathan Frankle", slackUser)).reply).toMatchObject({ level: "success" });
    expect((await h.run("snooze 2h", discordUser)).reply).toMatchObject({ level: "success" });
    const discordBefore = discordPosts(h.discord).length;

    h.openalex.addWork(newFrankleWork(3, h.clock.now()));
    const result = await workers.ingestNow();
    // the channel still gets it; Alice (muted) and the snoozed Discord user get rows marked skipped
    expect(result.deliveriesCreated).toBe(3);
    const title = "Synthetic fixture work 9003";
    await waitUntil(() => postsOf(title, "C0PAPERS") === 1, 10_000, "channel post");
    await queuesIdle(workers);
    expect(postsOf(title)).toBe(1);
    expect(discordPosts(h.discord)).toHaveLength(discordBefore);
    const skipped = await deliveries("skipped");
    expect(skipped.map((d) => d.lastError).sort()).toEqual(["muted", "snoozed"]);

    // After unmute and the snooze's end, the next paper reaches both again.
    await h.run("unmute Jonathan Frankle", slackUser);
    await h.run("snooze off", discordUser);
    h.openalex.addWork(newFrankleWork(4, h.clock.now()));
    expect((await workers.ingestNow()).deliveriesCreated).toBe(3);
    await waitUntil(async () => discordPosts(h.discord).length === discordBefore + 1, 10_000, "discord DM after snooze");
    await waitUntil(() => postsOf("Synthetic fixture work 9004", "DU0ALICE") === 1, 10_000, "slack DM after unmute");
  });

  it("marks a delivery failed, with the platform's reason, when the platform refuses it for good", async () => {
    h.slack.failNext("chat.postMessage", { error: "channel_not_found" }, 1);
    await h.t.db.channelSubscription.deleteMany({});
    await h.run("snooze 1h", ctxFor("discord", "1400000000000000042"));
    h.openalex.addWork(newFrankleWork(5, h.clock.now()));
    await workers.ingestNow();
    await waitUntil(async () => (await deliveries("failed")).length === 1, 10_000, "failed delivery");
    expect((await deliveries("failed"))[0]!.lastError).toContain("channel_not_found");
  });
});
