// The invitation worker meeting every kind of platform failure while it sends a DM, on Slack and on
// Discord: a failure that may pass is retried (an attempt used, the reason recorded) and the DM goes
// out once the platform recovers; one that cannot pass marks the invitation failed at once; a
// "slow down" waits without using an attempt. The worker keeps running, and nothing reaches
// unhandledRejection. (docs/failures.md says the same in prose.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { PlatformFailures } from "../../../src/adapters/platformFailures.js";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import type { Platform } from "../../../src/core/context.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import type { RecordedCall } from "../../support/discord-stub.js";
import { type UnhandledWatch, watchUnhandled } from "../../support/unhandled.js";
import { claimant, inChannel, person } from "../../core/invitations/fixtures.js";
import { type Harness, startHarness, waitUntil } from "./harness.js";

/**
 * Short, so a hung call costs little (Discord's sending client retries a hang once itself), yet long
 * enough that an ordinary call on a loaded 2-core CI machine never reaches it: the failure counts
 * below are exact, and a real call timing out would add one.
 */
const TIMEOUT_MS = 1_500;

let t: TestDatabase;
let h: Harness;
let unhandled: UnhandledWatch;
const failures = new PlatformFailures();
const alice = person("slack", "T0TEST", "UALICE", "Alice Adams");

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startHarness(t.db, { redisUrl: t.redisUrl, prefix: t.redisPrefix }, { dailyLimit: 1000 });
  h.core.messengers.slack = new SlackMessenger({
    db: t.db,
    apiUrl: h.slack.apiUrl,
    botToken: async () => "xoxb-test",
    timeoutMs: TIMEOUT_MS,
    failures,
  });
  h.core.messengers.discord = DiscordMessenger.create({
    db: t.db,
    token: h.discord.token,
    apiUrl: h.discord.apiUrl,
    timeoutMs: TIMEOUT_MS,
    failures,
  });
  await h.startWorkers();
  unhandled = watchUnhandled();
});
afterAll(async () => {
  unhandled?.stop();
  await h?.close();
  await t?.drop();
});

const isDiscordDm = (c: RecordedCall) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path);

type Outcome = "delivered after a retry" | "failed at once" | "delivered after waiting";
interface Case {
  platform: Platform;
  name: string;
  /** Makes the next DM attempt fail this way. */
  inject(): void;
  outcome: Outcome;
}

const slackFail = (failure: Parameters<Harness["slack"]["failNext"]>[1]) => () => h.slack.failNext("chat.postMessage", failure);
// Discord's sending client retries a 5xx and a timeout once before the attempt fails.
const discordStatus = (times: number, status: number, code: number, message: string) => () =>
  h.discord.failNext(times, status, { code, message }, isDiscordDm);
const discordBreak = (times: number, fault: "hang" | "drop" | "malformed") => () => h.discord.breakNext(times, fault, isDiscordDm);

const CASES: Case[] = [
  { platform: "slack", name: "503", inject: slackFail({ httpStatus: 503 }), outcome: "delivered after a retry" },
  { platform: "slack", name: "a hang past the timeout", inject: slackFail({ hang: true }), outcome: "delivered after a retry" },
  { platform: "slack", name: "a dropped connection", inject: slackFail({ drop: true }), outcome: "delivered after a retry" },
  { platform: "slack", name: "ok: false, internal_error", inject: slackFail({ error: "internal_error" }), outcome: "delivered after a retry" },
  {
    platform: "slack",
    name: "429 ratelimited with Retry-After",
    inject: slackFail({ status: 429, retryAfter: 0.2 }),
    outcome: "delivered after waiting",
  },
  { platform: "slack", name: "ok: false, channel_not_found", inject: slackFail({ error: "channel_not_found" }), outcome: "failed at once" },
  { platform: "slack", name: "ok: false, invalid_auth", inject: slackFail({ error: "invalid_auth" }), outcome: "failed at once" },
  { platform: "discord", name: "500", inject: discordStatus(2, 500, 0, "500: Internal Server Error"), outcome: "delivered after a retry" },
  { platform: "discord", name: "a hang past the timeout", inject: discordBreak(2, "hang"), outcome: "delivered after a retry" },
  { platform: "discord", name: "a dropped connection", inject: discordBreak(1, "drop"), outcome: "delivered after a retry" },
  { platform: "discord", name: "a malformed body", inject: discordBreak(1, "malformed"), outcome: "delivered after a retry" },
  {
    platform: "discord",
    name: "403 Cannot send messages to this user (50007)",
    inject: discordStatus(1, 403, 50007, "Cannot send messages to this user"),
    outcome: "failed at once",
  },
];

const invitation = (researcherId: number) => t.db.invitation.findFirstOrThrow({ where: { researcherId }, orderBy: { createdAt: "desc" } });
let n = 0;
let failedSoFar = 0;
const senderNotices = () =>
  h.slack.callsTo("chat.postMessage").filter((c) => !c.failed && c.args.channel === "DUALICE" && String(c.args.text).includes("couldn't deliver"))
    .length;

/** A claimant on `platform` and an invitation to them from Alice; resolves with its row once it settles. */
async function invite(platform: Platform, settled: (status: string) => boolean) {
  n++;
  const who =
    platform === "slack"
      ? person("slack", "T0TEST", `UPF${n}`, `Slack Person ${n}`)
      : person("discord", h.discord.guildId, `14000000000009${String(n).padStart(2, "0")}`, `Discord Person ${n}`);
  const { researcherId } = await claimant(h.core, who, who.displayName!);
  const sent = await h.core.router.handleText(`/researcher invite #${researcherId}: about failures`, inChannel(alice));
  expect(sent.reply).toMatchObject({ kind: "notice", level: "success" });
  const { id } = await invitation(researcherId);
  return waitUntil(async () => {
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id } });
    return settled(row.status) && row;
  }, "the invitation to settle");
}

describe("invitation delivery meeting platform failures", () => {
  for (const c of CASES) {
    // Each case's invitation is sent by the same worker as the one before: it is still running.
    it(`on ${c.platform}, ${c.name}: ${c.outcome}`, async () => {
      c.inject();
      const row = await invite(c.platform, (s) => s === "delivered" || s === "failed");
      if (c.outcome === "failed at once") {
        expect(row.status).toBe("failed");
        expect(row.lastError).toBeTruthy();
        // Alice hears about it (a Slack DM): wait for that, so the next case's failure is not spent on it.
        failedSoFar++;
        await h.slack.waitFor(() => senderNotices() >= failedSoFar);
      } else {
        expect(row.status).toBe("delivered");
        expect(await t.db.invitationDelivery.count({ where: { invitationId: row.id } })).toBe(1);
        // A retry uses an attempt and records why; waiting out a rate limit does not.
        if (c.outcome === "delivered after a retry") expect(row.lastError).toBeTruthy();
        else expect(row.attempts).toBe(1);
      }
      expect(h.slack.failuresLeft + h.discord.failuresLeft).toBe(0);
      expect(await unhandled.settle()).toEqual([]);
    });
  }

  it("afterwards still delivers on both platforms at the first attempt", async () => {
    for (const platform of ["slack", "discord"] as const) {
      const next = await invite(platform, (s) => s === "delivered" || s === "failed");
      expect(next).toMatchObject({ status: "delivered", attempts: 1 });
    }
    expect(await unhandled.settle()).toEqual([]);
  });

  it("counts the platform failures it met, by platform and reason", () => {
    expect(failures.count({ platform: "slack", call: "dm", reason: "server_error" })).toBe(1);
    expect(failures.count({ platform: "slack", call: "dm", reason: "timeout" })).toBe(1);
    expect(failures.count({ platform: "slack", call: "dm", reason: "rate_limited" })).toBe(1);
    expect(failures.count({ platform: "discord", call: "dm", reason: "server_error" })).toBe(1);
    expect(failures.count({ platform: "discord", call: "dm", reason: "timeout" })).toBe(1);
    expect(failures.count({ platform: "discord", call: "dm", reason: "malformed" })).toBe(1);
    expect(failures.count({ platform: "discord", call: "dm", reason: "refused" })).toBe(1);
  });
});
