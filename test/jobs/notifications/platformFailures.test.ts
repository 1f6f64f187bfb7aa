// The new-paper delivery workers meeting platform failures while they send: a failure that may
// pass is retried with backoff and the message sent once; one that cannot marks the delivery failed
// with the platform's reason. The workers keep delivering, and nothing reaches unhandledRejection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import type { Platform } from "../../../src/core/context.js";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import type { RecordedCall } from "../../support/discord-stub.js";
import { type UnhandledWatch, watchUnhandled } from "../../support/unhandled.js";
import { ctxFor, type Harness, newFrankleWork, startHarness, waitUntil } from "./harness.js";

const TIMEOUT_MS = 300;
const SLACK_USER = "U0PFAIL";
const DISCORD_USER = "1400000000000000088";

let h: Harness;
let workers: NotificationWorkers;
let unhandled: UnhandledWatch;
const accounts: Partial<Record<Platform, number>> = {};

beforeAll(async () => {
  h = await startHarness();
  h.core.messengers.slack = new SlackMessenger({ db: h.t.db, apiUrl: h.slack.apiUrl, botToken: async () => "xoxb-test", timeoutMs: TIMEOUT_MS });
  h.core.messengers.discord = DiscordMessenger.create({ db: h.t.db, token: h.discord.token, apiUrl: h.discord.apiUrl, timeoutMs: TIMEOUT_MS });
  workers = await h.start();
  for (const [platform, user] of [
    ["slack", SLACK_USER],
    ["discord", DISCORD_USER],
  ] as const) {
    const ctx = ctxFor(platform, user);
    expect((await h.run("follow Jonathan Frankle", ctx)).reply).toMatchObject({ level: "success" });
    accounts[platform] = (await h.core.accounts.resolve(ctx.actor)).accountId;
  }
  unhandled = watchUnhandled();
});
afterAll(async () => {
  unhandled?.stop();
  await h?.close();
});

const isDiscordPost = (c: RecordedCall) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path);
const CASES: Array<{ platform: Platform; name: string; inject(): void; status: "sent" | "failed" }> = [
  { platform: "slack", name: "503", inject: () => h.slack.failNext("chat.postMessage", { httpStatus: 503 }), status: "sent" },
  { platform: "slack", name: "a hang past the timeout", inject: () => h.slack.failNext("chat.postMessage", { hang: true }), status: "sent" },
  { platform: "slack", name: "a dropped connection", inject: () => h.slack.failNext("chat.postMessage", { drop: true }), status: "sent" },
  {
    platform: "slack",
    name: "ok: false, invalid_auth",
    inject: () => h.slack.failNext("chat.postMessage", { error: "invalid_auth" }),
    status: "failed",
  },
  // Discord's sending client retries a 5xx and a timeout once itself before the attempt fails.
  {
    platform: "discord",
    name: "500",
    inject: () => h.discord.failNext(2, 500, { code: 0, message: "500: Internal Server Error" }, isDiscordPost),
    status: "sent",
  },
  { platform: "discord", name: "a hang past the timeout", inject: () => h.discord.breakNext(2, "hang", isDiscordPost), status: "sent" },
  { platform: "discord", name: "a dropped connection", inject: () => h.discord.breakNext(1, "drop", isDiscordPost), status: "sent" },
  { platform: "discord", name: "a malformed body", inject: () => h.discord.breakNext(1, "malformed", isDiscordPost), status: "sent" },
  {
    platform: "discord",
    name: "403 Missing Access (50001)",
    inject: () => h.discord.failNext(1, 403, { code: 50001, message: "Missing Access" }, isDiscordPost),
    status: "failed",
  },
];

describe("new-paper deliveries meeting platform failures", () => {
  CASES.forEach((c, i) => {
    it(`on ${c.platform}, ${c.name}: ${c.status === "sent" ? "retried, then sent" : "marked failed"}`, async () => {
      c.inject();
      const work = newFrankleWork(100 + i, h.clock.now());
      h.openalex.addWork(work);
      expect((await workers.ingestNow()).deliveriesCreated).toBe(2);
      const settled = (platform: Platform) => async () => {
        const row = await h.t.db.notificationDelivery.findFirst({ where: { accountId: accounts[platform], work: { title: String(work.title) } } });
        return row && (row.status === "sent" || row.status === "failed") ? row : undefined;
      };
      await waitUntil(async () => Boolean(await settled(c.platform)()), 10_000, "the delivery to settle");
      const row = await settled(c.platform)();
      expect(row!.status).toBe(c.status);
      // Sent at the second attempt (a sent row forgets the error); a failed one keeps the platform's reason.
      if (c.status === "sent") expect(row!.attempts).toBe(2);
      else expect(row!.lastError).toBeTruthy();
      // The other platform's follower got the paper as usual: its worker never noticed.
      const other = c.platform === "slack" ? "discord" : "slack";
      await waitUntil(async () => (await settled(other)())?.status === "sent", 10_000, "the other delivery");
      expect(h.slack.failuresLeft + h.discord.failuresLeft).toBe(0);
      expect(await unhandled.settle()).toEqual([]);
    });
  });
});
