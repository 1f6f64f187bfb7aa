// Process roles (PEERLINK_ROLES / --roles): each role starts alone and starts only what it needs.
// Every process shares one database; each has its own Redis prefix so its BullMQ workers can be
// told apart from the others'.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { INVITATION_QUEUE } from "../src/jobs/invitations/producer.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { DiscordStub } from "./support/discord-stub.js";
import { type SlackStub, startSlackStub } from "./support/slack-stub.js";
import { type PeerlinkProcess, runPeerlinkToExit, spawnPeerlink, stopAll } from "./support/spawnPeerlink.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let t: TestDatabase;
let slack: SlackStub;
let discord: DiscordStub;
const started: Record<string, PeerlinkProcess> = {};

const prefixOf = (role: string) => `${t.redisPrefix}:${role}`;

beforeAll(async () => {
  [t, slack, discord] = await Promise.all([createTestDatabase(), startSlackStub(), DiscordStub.start()]);
  const platforms = {
    SLACK_BOT_TOKEN: "xoxb-roles-test",
    SLACK_SIGNING_SECRET: "roles-test-secret",
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
  };
  const env = (role: string) => ({ ...platforms, DATABASE_URL: t.url, REDIS_URL: t.redisUrl, REDIS_PREFIX: prefixOf(role) });
  const [slackOnly, discordOnly, workers, http] = await Promise.all([
    spawnPeerlink({ ...env("slack"), PEERLINK_ROLES: "slack" }),
    spawnPeerlink({ ...env("discord"), PEERLINK_ROLES: "discord" }),
    spawnPeerlink(env("workers"), ["--roles", "workers"]),
    spawnPeerlink({ ...env("http"), PEERLINK_ROLES: "http" }),
  ]);
  Object.assign(started, { slack: slackOnly, discord: discordOnly, workers, http });
});

afterAll(async () => {
  await stopAll();
  await Promise.all([slack?.close(), discord?.close()]);
  await t?.drop();
});

async function invitationWorkers(role: string): Promise<number> {
  const queue = new Queue(INVITATION_QUEUE, { connection: { url: t.redisUrl }, prefix: prefixOf(role) });
  try {
    return (await queue.getWorkers()).length;
  } finally {
    await queue.close();
  }
}

const slackEvent = (p: PeerlinkProcess) => fetch(p.url("/slack/events"), { method: "POST", body: "" });

describe("PEERLINK_ROLES", () => {
  it("starts each role alone, each reporting healthy Postgres and Redis", async () => {
    for (const [role, p] of Object.entries(started)) {
      expect(p.stderr(), role).toMatch(new RegExp(`"roles":\\["${role}"\\]`));
      const health = await fetch(p.url("/health"));
      expect(health.status, role).toBe(200);
      expect(await health.json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
    }
  });

  it("a workers process runs the job workers and opens no Slack route", async () => {
    expect((await slackEvent(started.workers!)).status).toBe(404);
    expect((await fetch(started.workers!.url("/metrics"))).status).toBe(200);
    expect(await invitationWorkers("workers")).toBeGreaterThan(0);
    expect(started.workers!.stderr()).toMatch(/"platforms":\[\]/);
  });

  it("an http process serves health alone: no workers, no Slack route, no gateway", async () => {
    expect((await slackEvent(started.http!)).status).toBe(404);
    // The queue dashboard stays off without ADMIN_TOKEN.
    expect((await fetch(started.http!.url("/admin/queues"))).status).toBe(404);
    expect(await invitationWorkers("http")).toBe(0);
    expect(started.http!.stderr()).toMatch(/"platforms":\[\]/);
  });

  it("a slack process answers Slack's HTTP events and runs no workers", async () => {
    // Unsigned: Bolt refuses it, which shows the route is there.
    expect((await slackEvent(started.slack!)).status).toBe(401);
    expect(await invitationWorkers("slack")).toBe(0);
    expect(started.slack!.stderr()).toMatch(/"platforms":\["slack"\]/);
  });

  it("a discord process logs in to the gateway, opens no Slack route and runs no workers", async () => {
    expect(started.discord!.stderr()).toMatch(/"platforms":\["discord"\]/);
    expect((await slackEvent(started.discord!)).status).toBe(404);
    expect(await invitationWorkers("discord")).toBe(0);
  });

  it("refuses an unknown role with one line that lists the roles", async () => {
    const { code, output } = await runPeerlinkToExit({ DATABASE_URL: t.url, PEERLINK_ROLES: "workers,web" });
    expect(code).toBe(1);
    expect(output).toContain("PEERLINK_ROLES: unknown role “web”; choose any of slack, discord, workers, http");
  });

  it("refuses a platform role whose platform is not configured", async () => {
    const { code, output } = await runPeerlinkToExit({ DATABASE_URL: t.url, SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "" }, ["--roles=slack"]);
    expect(code).toBe(1);
    expect(output).toContain("PEERLINK_ROLES includes slack, but Slack is not configured");
  });
});
