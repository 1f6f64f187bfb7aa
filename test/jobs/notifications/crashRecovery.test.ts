// A delivery worker that dies mid-batch: some messages sent, some claimed but never sent, the rest
// queued. A new worker delivers everything that is left, and nobody gets a message twice. And Redis
// losing every job: the reconciler re-enqueues what Postgres says is owed.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createCore } from "../../../src/core/Core.js";
import type { Destination, Messenger } from "../../../src/core/ports.js";
import type { Reply } from "../../../src/core/reply.js";
import { startNotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { type Harness, newFrankleWork, quietLog, SLACK_TEAM, slackPosts, startHarness, waitUntil } from "./harness.js";

const FOLLOWERS = 30;
// Short enough to keep the test quick, long enough that a busy CI machine renews job locks in time
// (a lost lock looks like a crash to BullMQ and would muddle what this test kills on purpose).
const timings = { leaseMs: 4_000, lockDurationMs: 3_000, stalledIntervalMs: 1_000 };
vi.setConfig({ testTimeout: 120_000 });
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < FOLLOWERS; i++) {
    const userId = `U0F${String(i).padStart(3, "0")}`;
    await h.t.db.account.create({
      data: {
        displayName: userId,
        identities: { create: { platform: "slack", tenantId: SLACK_TEAM, userId } },
        follows: { create: { researcherId: h.researcherId, createdAt: h.clock.now() } },
      },
    });
  }
});
afterAll(async () => h?.close());

it("delivers the rest exactly once after a worker is killed mid-batch", async () => {
  // The first worker's messenger sends 10 messages, then hangs: the worker dies holding claims.
  let sent = 0;
  const real = h.core.messengers.slack!;
  const dying: Messenger = {
    send: (to: Destination, reply: Reply) => (++sent <= 10 ? real.send(to, reply) : new Promise(() => {})),
  };
  const coreA = createCore({ db: h.t.db, log: quietLog, clock: h.clock, messengers: { slack: dying } });
  const first = await startNotificationWorkers({
    core: coreA,
    source: h.source,
    queue: { redisUrl: h.t.redisUrl, prefix: h.t.redisPrefix },
    logger: quietLog,
    ingestIntervalMinutes: 60,
    schedule: false,
    concurrency: 4,
    ...timings,
  });
  h.openalex.addWork(newFrankleWork(1, h.clock.now()));
  expect((await first.ingestNow()).instant).toHaveLength(FOLLOWERS);
  await waitUntil(() => slackPosts(h.slack).length === 10 && sent >= 14, 40_000, "ten messages sent, four hanging");
  await first.stop(true);
  expect(await h.t.db.notificationDelivery.count({ where: { status: "sending" } })).toBe(4);

  const second = await h.start({ concurrency: 4, ...timings });
  await waitUntil(async () => (await h.t.db.notificationDelivery.count({ where: { status: "sent" } })) === FOLLOWERS, 60_000, "all sent");

  const perChannel = new Map<string, number>();
  for (const c of slackPosts(h.slack)) perChannel.set(c.args.channel, (perChannel.get(c.args.channel) ?? 0) + 1);
  expect(perChannel.size).toBe(FOLLOWERS);
  expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
  await second.stop();
});

it("re-enqueues pending deliveries whose jobs Redis lost, when a worker starts", async () => {
  const before = slackPosts(h.slack).length;
  // Ingest wrote the rows and queued the jobs, then Redis lost everything before any worker ran.
  const producerOnly = await startNotificationWorkers({
    core: createCore({ db: h.t.db, log: quietLog, clock: h.clock }),
    source: h.source,
    queue: { redisUrl: h.t.redisUrl, prefix: h.t.redisPrefix },
    logger: quietLog,
    ingestIntervalMinutes: 60,
    schedule: false,
  });
  h.openalex.addWork(newFrankleWork(2, h.clock.now()));
  expect((await producerOnly.ingestNow()).instant).toHaveLength(FOLLOWERS);
  await producerOnly.producer.queues.slack.obliterate({ force: true });
  await producerOnly.stop();
  expect(await h.t.db.notificationDelivery.count({ where: { status: "pending" } })).toBe(FOLLOWERS);

  const worker = await h.start({ concurrency: 4, ...timings });
  await waitUntil(async () => (await h.t.db.notificationDelivery.count({ where: { status: "sent" } })) === 2 * FOLLOWERS, 60_000, "all sent");
  expect(slackPosts(h.slack).length - before).toBe(FOLLOWERS);
  // Reconciling again finds nothing owed and sends nothing.
  expect((await worker.reconcileNow()).enqueued).toBe(0);
  await worker.stop();
});
