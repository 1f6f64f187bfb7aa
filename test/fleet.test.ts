// A small fleet on one Postgres and one Redis: one `slack` process taking signed slash commands
// and two `workers` processes delivering what they enqueue. Every invitation is delivered exactly
// once, also when a workers process is killed mid-delivery, and the schedules both workers
// processes register exist once. Job locks and delivery leases are 1 s here (production: 30 s and
// 2 min), so a killed worker's deliveries are taken over within the test.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCore } from "../src/core/Core.js";
import { MAINTENANCE_QUEUE } from "../src/jobs/invitations/worker.js";
import { INVITATION_QUEUE } from "../src/jobs/invitations/producer.js";
import { claimant, person, silentLog } from "./core/invitations/fixtures.js";
import { testClock } from "./support/clock.js";
import { postSigned, slashCommandBody } from "./support/slackRequests.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { type SlackStub, startSlackStub } from "./support/slack-stub.js";
import { type PeerlinkProcess, spawnPeerlink, stopAll } from "./support/spawnPeerlink.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SECRET = "fleet-test-signing-secret";
const INVITATIONS = 20;
let t: TestDatabase;
let slack: SlackStub;
let front: PeerlinkProcess;
let workers: PeerlinkProcess[];
let env: Record<string, string>;

beforeAll(async () => {
  [t, slack] = await Promise.all([createTestDatabase(), startSlackStub()]);
  const core = createCore({ clock: testClock(), db: t.db, log: silentLog });
  for (let i = 1; i <= INVITATIONS; i++) await claimant(core, person("slack", "T0FLEET", `UR${i}`, `Researcher ${i}`), `Researcher Number${i}`);
  env = {
    DATABASE_URL: t.url,
    REDIS_URL: t.redisUrl,
    REDIS_PREFIX: t.redisPrefix,
    SLACK_BOT_TOKEN: "xoxb-fleet-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    INVITE_DAILY_LIMIT: "100",
    JOB_LOCK_SECONDS: "1",
    DELIVERY_LEASE_SECONDS: "1",
    // Twenty invitations at once on a loaded two-core machine: let each wait its turn rather than
    // be told Peerlink is busy (and left unsent), which this spec is not about.
    COMMAND_QUEUE_TIMEOUT_SECONDS: "30",
  };
  [front, ...workers] = await Promise.all([
    spawnPeerlink({ ...env, PEERLINK_ROLES: "slack" }),
    spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" }),
    spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" }),
  ]);
});

afterAll(async () => {
  await stopAll();
  await slack?.close();
  await t?.drop();
});

async function slashCommand(text: string): Promise<number> {
  const body = slashCommandBody({
    teamId: "T0FLEET",
    channelId: "C0FLEET",
    userId: "UALICE",
    userName: "alice",
    text,
    responseUrl: slack.responseUrl(),
  });
  const res = await postSigned(front.url("/slack/events"), body, SECRET);
  return res.status;
}

describe("a fleet of one slack and two workers processes", () => {
  it("delivers every invitation sent through the slack process exactly once", async () => {
    const statuses = await Promise.all(
      Array.from({ length: INVITATIONS }, (_, i) => slashCommand(`invite Researcher Number${i + 1}: hello ${i + 1}`)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await vi.waitFor(async () => expect(await t.db.invitation.count({ where: { status: "delivered" } })).toBe(INVITATIONS), {
      timeout: 30_000,
      interval: 200,
    });
    const ids = (await t.db.invitation.findMany({ select: { id: true } })).map((r) => r.id);
    expect(ids).toHaveLength(INVITATIONS);
    const dms = slack.callsTo("chat.postMessage").map((c) => JSON.stringify(c.args.blocks));
    for (const id of ids) expect(dms.filter((b) => b.includes(`"value":"${id}"`))).toHaveLength(1);
    expect(await t.db.invitationDelivery.count()).toBe(INVITATIONS);
  });

  it("delivers every invitation once when a workers process is killed mid-delivery and restarted", async () => {
    const core = createCore({ clock: testClock(), db: t.db, log: silentLog });
    const more = Array.from({ length: 10 }, (_, i) => INVITATIONS + i + 1);
    for (const n of more) await claimant(core, person("slack", "T0FLEET", `UR${n}`, `Researcher ${n}`), `Researcher Number${n}`);
    // One workers process leaves (and SIGTERM lets it go cleanly); the other takes every job and
    // is left holding two deliveries whose DMs Slack never answers.
    workers[1]!.child.kill("SIGTERM");
    expect(await workers[1]!.exited).toBe(0);
    slack.failNext("chat.postMessage", { hang: true }, 2);
    const hung = () => slack.callsTo("chat.postMessage").filter((c) => c.failed).length;
    const statuses = await Promise.all(more.map((n) => slashCommand(`invite Researcher Number${n}: hello ${n}`)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await vi.waitFor(
      async () => {
        expect(hung()).toBe(2);
        expect(await t.db.invitation.count({ where: { status: "delivered" } })).toBe(INVITATIONS + more.length - 2);
      },
      { timeout: 20_000, interval: 100 },
    );

    workers[0]!.child.kill("SIGKILL");
    await workers[0]!.exited;
    workers = await Promise.all([spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" }), spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" })]);

    await vi.waitFor(async () => expect(await t.db.invitation.count({ where: { status: "delivered" } })).toBe(INVITATIONS + more.length), {
      timeout: 30_000,
      interval: 200,
    });
    const ids = (await t.db.invitation.findMany({ select: { id: true } })).map((r) => r.id);
    const delivered = slack
      .callsTo("chat.postMessage")
      .filter((c) => !c.failed)
      .map((c) => JSON.stringify(c.args.blocks));
    for (const id of ids)
      expect(
        delivered.filter((b) => b.includes(`"value":"${id}"`)),
        id,
      ).toHaveLength(1);
    expect(await t.db.invitationDelivery.count()).toBe(INVITATIONS + more.length);
  });

  it("runs both workers processes on the queues and keeps one scheduler per schedule", async () => {
    const connection = { url: t.redisUrl };
    const invitations = new Queue(INVITATION_QUEUE, { connection, prefix: t.redisPrefix });
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection, prefix: t.redisPrefix });
    try {
      expect((await invitations.getWorkers()).length).toBe(2);
      expect((await maintenance.getJobSchedulers()).map((s) => s.key).sort()).toEqual([
        "expire-invitations",
        "reconcile-invitations",
        "send-reminders",
      ]);
    } finally {
      await Promise.all([invitations.close(), maintenance.close()]);
    }
  });
});
