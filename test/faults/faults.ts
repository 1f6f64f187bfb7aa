// The faults the suite strikes, each while the lab's notifications and invitations are in flight.
// The moments are random (a seeded generator: the seed is printed with the table, FAULTS_SEED
// repeats a run).
import { Queue } from "bullmq";
import { queueOptions } from "../../src/jobs/notifications/producer.js";
import { DIGEST_JOB, NOTIFICATION_SCHEDULE_QUEUE } from "../../src/jobs/notifications/scheduleJobs.js";
import { type Fault, killWorker, type ScenarioContext } from "./scenario.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** mulberry32: a small seeded generator, so that a run's random moments can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a killed worker may have had in flight: claimed deliveries and leased invitations. */
async function inFlight(ctx: ScenarioContext): Promise<number> {
  const now = ctx.clock.now();
  const [sending, leased] = await Promise.all([
    ctx.db.notificationDelivery.count({ where: { status: "sending" } }),
    ctx.db.invitation.count({ where: { status: "queued", deliveryLeaseUntil: { gt: now } } }),
  ]);
  return sending + leased;
}

export function faults(seed: number, stormMs: number): Fault[] {
  const random = seeded(seed);
  const slackMethods = ["chat.postMessage", "conversations.open"];
  const slackFailing = async (ctx: ScenarioContext, failure: Parameters<ScenarioContext["slack"]["failFor"]>[1], ms: number, what: string) => {
    for (const method of slackMethods) ctx.slack.failFor(method, failure, ms);
    ctx.note(`Slack stand-in: ${what} for ${(ms / 1000).toFixed(1)} s`);
    await pause(ms);
  };
  return [
    {
      name: "worker SIGKILL ×2",
      at: [0.1 + random() * 0.3, 0.5 + random() * 0.3],
      async strike(ctx) {
        const victim = Math.floor(random() * ctx.workers.length);
        await killWorker(ctx.workers[victim]!);
        // Counted after the kill: the survivor's claims are in the figure too, so it is an upper bound.
        const atRisk = await inFlight(ctx);
        ctx.inCrashWindow += atRisk;
        ctx.note(`killed worker ${victim + 1} with ${atRisk} messages in flight`);
        ctx.workers[victim] = await ctx.spawnWorker();
      },
    },
    {
      name: "Redis killed, restarted empty",
      at: [0.3 + random() * 0.3],
      async strike(ctx) {
        await ctx.lab.redis.kill();
        await pause(1_000);
        await ctx.lab.redis.start();
        ctx.note("redis-server SIGKILLed, started again empty after 1 s");
      },
    },
    {
      name: "PostgreSQL fast restart",
      at: [0.3 + random() * 0.3],
      async strike(ctx) {
        const started = performance.now();
        await ctx.lab.pg.restart();
        ctx.note(`postgres fast shutdown and start: ${Math.round(performance.now() - started)} ms`);
      },
    },
    {
      name: "Slack 5xx, hangs, 429 storm",
      at: [0.15, 0.3, 0.45],
      async strike(ctx, index) {
        if (index === 0) await slackFailing(ctx, { httpStatus: 503 }, stormMs / 3, "HTTP 503");
        if (index === 1) await slackFailing(ctx, { hang: true }, stormMs / 3, "no answer (client timeout 10 s)");
        if (index === 2) await slackFailing(ctx, { status: 429, retryAfter: 1 }, stormMs, "429 with Retry-After: 1");
      },
    },
    {
      name: "clock jump +1 h",
      at: [0.3 + random() * 0.3],
      extraOwed: (lab) => lab.size.digestFollowers + lab.size.expiring,
      async strike(ctx) {
        // Every process's clock at once: the workers' (SIGUSR2) and the suite's core.
        await Promise.all(
          ctx.workers.map(async (w) => {
            const before = (w.stdout().match(/jumped/g) ?? []).length;
            w.child.kill("SIGUSR2");
            while ((w.stdout().match(/jumped/g) ?? []).length === before) await pause(10);
          }),
        );
        ctx.clock.advance(3_600_000);
        ctx.note("clock moved from 12:xx to 13:xx: the 13:00 digests are due, the 12:30 invitations expired");
      },
      async afterStrikes(ctx) {
        // The top of the hour's digest tick, as the job scheduler adds it, and a repeated one.
        const schedule = new Queue(NOTIFICATION_SCHEDULE_QUEUE, queueOptions(ctx.queue));
        try {
          await schedule.add(DIGEST_JOB, {}, { removeOnComplete: true });
          await pause(500);
          await schedule.add(DIGEST_JOB, {}, { removeOnComplete: true });
        } finally {
          await schedule.close();
        }
      },
    },
  ];
}
