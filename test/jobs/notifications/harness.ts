// Everything a new-paper notification test needs, real where it can be: Postgres and Redis (fresh
// per file), the real SlackMessenger and DiscordMessenger talking to the Slack and Discord
// stand-ins, and the real OpenAlex client talking to the OpenAlex stand-in.
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import type { CommandContext, Platform } from "../../../src/core/context.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { Response } from "../../../src/core/reply.js";
import { type NotificationWorkers, type NotificationWorkersOptions, startNotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../../../src/sources/openalex/client.js";
import { OpenAlexSource } from "../../../src/sources/openalex/OpenAlexSource.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { FRANKLE, type OpenAlexStub, startOpenAlexStub, syntheticWork } from "../../support/openalex-stub.js";
import { type SlackStub, startSlackStub } from "../../support/slack-stub.js";
import { type TestClock, testClock } from "../../support/clock.js";

export const SLACK_TEAM = "T0TEST";

export interface Harness {
  t: TestDatabase;
  core: Core;
  clock: TestClock;
  openalex: OpenAlexStub;
  source: OpenAlexSource;
  slack: SlackStub;
  discord: DiscordStub;
  researcherId: number;
  start(options?: Partial<NotificationWorkersOptions>): Promise<NotificationWorkers>;
  run(text: string, ctx: CommandContext): Promise<Response>;
  close(): Promise<void>;
}

export const quietLog = { info() {}, warn() {}, error() {} };

export function ctxFor(platform: Platform, userId: string, extra: Partial<CommandContext> = {}): CommandContext {
  const tenantId = platform === "slack" ? SLACK_TEAM : "1200000000000000001";
  return {
    actor: { platform, tenantId, userId, displayName: userId },
    channelId: platform === "slack" ? "C0GENERAL" : "1300000000000000001",
    permissions: { canManageChannel: false, isAdmin: false },
    ...extra,
  };
}

export async function startHarness(): Promise<Harness> {
  const t = await createTestDatabase();
  const { researcherId } = await seedDemo(t.db);
  // The demo record carries no persistent ids; here it stands for the stand-in's Jonathan Frankle.
  await t.db.researcher.update({ where: { id: researcherId }, data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid } });
  const clock = testClock();
  const [openalex, slack, discord] = await Promise.all([startOpenAlexStub(), startSlackStub(), DiscordStub.start()]);
  const source = new OpenAlexSource(new OpenAlexClient({ apiUrl: openalex.url, baseDelayMs: 5, maxDelayMs: 20 }));
  const messengers = {
    slack: new SlackMessenger({ db: t.db, apiUrl: slack.apiUrl, botToken: async () => "xoxb-test" }),
    discord: DiscordMessenger.create({ db: t.db, token: discord.token, apiUrl: discord.apiUrl }),
  };
  const core = createCore({ db: t.db, log: { error: (d, m) => console.error(m, d) }, clock, messengers });
  const started: NotificationWorkers[] = [];
  return {
    t,
    core,
    clock,
    openalex,
    source,
    slack,
    discord,
    researcherId,
    async start(options = {}) {
      const workers = await startNotificationWorkers({
        core,
        source,
        queue: { redisUrl: t.redisUrl, prefix: t.redisPrefix },
        logger: quietLog,
        ingestIntervalMinutes: 60,
        schedule: false,
        limits: { slack: { max: 200, duration: 1000 }, discord: { max: 200, duration: 1000 } },
        retry: { attempts: 4, backoffMs: 50 },
        ...options,
      });
      started.push(workers);
      return workers;
    },
    run: (text, ctx) => core.router.handleText(text, ctx),
    async close() {
      for (const w of started) await w.stop(true).catch(() => {});
      await Promise.all([openalex.close(), slack.close(), discord.close()]);
      await t.drop();
    },
  };
}

/** A new work by the reference researcher, first listed today (per the harness clock). */
export function newFrankleWork(n: number, now: Date) {
  return syntheticWork(9000 + n, { createdDate: now.toISOString().slice(0, 10) });
}

export { FRANKLE };

/** Slack DMs and channel posts the stand-in received (chat.postMessage), by channel. */
export const slackPosts = (slack: SlackStub, channel?: string) =>
  slack.callsTo("chat.postMessage").filter((c) => channel === undefined || c.args.channel === channel);

/** Discord messages the stand-in received, by channel. */
export const discordPosts = (discord: DiscordStub, channelId?: string) =>
  discord.callsTo("POST", /^\/channels\/\d+\/messages$/).filter((c) => channelId === undefined || c.path === `/channels/${channelId}/messages`);

export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every delivery job has run: nothing waiting, active or delayed on any platform's queue. A check
 * that nothing was sent is made after this, not after a fixed sleep, so a late send cannot slip by.
 */
export async function queuesIdle(workers: NotificationWorkers, timeoutMs = 10_000): Promise<void> {
  await waitUntil(
    async () => {
      for (const queue of Object.values(workers.producer.queues)) {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    },
    timeoutMs,
    "the delivery queues to be idle",
  );
}
