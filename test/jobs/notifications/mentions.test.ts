// Mentions: a channel's post about a paper @-mentions its authors who claimed their record in
// Peerlink and use it in that workspace or server (Slack `<@U…>`; Discord `<@id>` with
// allowed_mentions naming only them), and stops once they say `/researcher notify mentions off`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { ctxFor, discordPosts, type Harness, newFrankleWork, queuesIdle, slackPosts, startHarness, waitUntil } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const SLACK_CHANNEL = "C0PAPERS";
const DISCORD_CHANNEL = "1300000000000000077";
const DISCORD_AUTHOR = "1400000000000000555";
const author = ctxFor("slack", "U0FRANKLE");

let papers = 0;
/** A new paper by Frankle, ingested and posted in both channels; returns the two posts. */
async function publish() {
  const n = ++papers;
  h.openalex.addWork(newFrankleWork(n, h.clock.now()));
  await workers.ingestNow();
  const title = `Synthetic fixture work ${9000 + n}`;
  const slack = await h.slack.waitFor(() => slackPosts(h.slack, SLACK_CHANNEL).find((c) => JSON.stringify(c.args).includes(title)), 15_000);
  await waitUntil(() => discordPosts(h.discord, DISCORD_CHANNEL).some((c) => JSON.stringify(c.body).includes(title)), 15_000, "discord post");
  await queuesIdle(workers);
  const discord = discordPosts(h.discord, DISCORD_CHANNEL).find((c) => JSON.stringify(c.body).includes(title))!;
  return { slack, discord };
}

beforeAll(async () => {
  h = await startHarness();
  workers = await h.start();
  const manage = { permissions: { canManageChannel: true, isAdmin: false } };
  expect((await h.run("subscribe Jonathan Frankle", ctxFor("slack", "U0ADMIN", { channelId: SLACK_CHANNEL, ...manage }))).reply).toMatchObject({
    level: "success",
  });
  expect(
    (await h.run("subscribe Jonathan Frankle", ctxFor("discord", "1400000000000000001", { channelId: DISCORD_CHANNEL, ...manage }))).reply,
  ).toMatchObject({ level: "success" });
  // Frankle himself uses Peerlink on Slack and has claimed his record (verified).
  const me = await h.core.accounts.resolve(author.actor);
  await h.t.db.researcher.update({ where: { id: h.researcherId }, data: { claimedByAccountId: me.accountId, claimedAt: h.clock.now() } });
});
afterAll(async () => h?.close());

describe("mentions of authors in channel posts", () => {
  it("mentions the author in the Slack workspace where he uses Peerlink, and no one on Discord, where he does not", async () => {
    const { slack, discord } = await publish();
    expect(slack.args.text).toMatch(/^<@U0FRANKLE>: /);
    expect(JSON.stringify(slack.args.blocks)).toContain("Authors here: <@U0FRANKLE>");
    expect(discord.body.content).toBeUndefined();
    expect(discord.body.allowed_mentions).toEqual({ parse: [] });
  });

  it("mentions him on Discord too once his account has a Discord identity in that server, pinging only him", async () => {
    const me = await h.core.accounts.resolve(author.actor);
    await h.t.db.chatIdentity.create({
      data: { accountId: me.accountId, platform: "discord", tenantId: ctxFor("discord", "x").actor.tenantId, userId: DISCORD_AUTHOR },
    });
    const { discord } = await publish();
    expect(discord.body.content).toBe(`Authors here: <@${DISCORD_AUTHOR}>`);
    expect(discord.body.allowed_mentions).toEqual({ parse: [], users: [DISCORD_AUTHOR] });
  });

  it("never mentions anyone in a follower’s DM: only channel posts mention", async () => {
    await h.run("follow Jonathan Frankle", ctxFor("slack", "U0ALICE"));
    await publish();
    const dms = slackPosts(h.slack).filter((c) => c.args.channel !== SLACK_CHANNEL);
    expect(dms.length).toBeGreaterThan(0);
    for (const dm of dms) expect(JSON.stringify(dm.args)).not.toContain("<@");
  });

  it("stops mentioning him on both platforms after /researcher notify mentions off, and starts again with on", async () => {
    expect((await h.run("notify mentions off", author)).reply).toMatchObject({ level: "success" });
    const quiet = await publish();
    expect(JSON.stringify(quiet.slack.args)).not.toContain("<@U0FRANKLE>");
    expect(quiet.discord.body.content).toBeUndefined();
    expect(quiet.discord.body.allowed_mentions).toEqual({ parse: [] });

    expect((await h.run("notify mentions on", author)).reply).toMatchObject({ level: "success" });
    const loud = await publish();
    expect(loud.slack.args.text).toMatch(/^<@U0FRANKLE>: /);
    expect(loud.discord.body.allowed_mentions).toEqual({ parse: [], users: [DISCORD_AUTHOR] });
  });
});
