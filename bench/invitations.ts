// npm run bench -- invitations [--jobs 8000] [--concurrency 64] [--rounds 4]
// Invitation delivery throughput (the real worker: Postgres reads, the claim and the sent stamp,
// a messenger that returns at once) against a no-op BullMQ worker on the same Redis with the same
// job options and concurrency, in one run. Uses a scratch database (created, migrated, dropped)
// next to BENCH_DATABASE_URL / DATABASE_URL, and a unique Redis key prefix (removed afterwards).
import "dotenv/config";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { pino } from "pino";
import { createCore } from "../src/core/Core.js";
import type { Messenger } from "../src/core/ports.js";
import { createDb, type Db } from "../src/db/client.js";
import { DEFAULT_DELIVERY_RETRY, InvitationProducer, queueConnection } from "../src/jobs/invitations/producer.js";
import { DEFAULT_INVITATION_CONCURRENCY, startInvitationWorkers } from "../src/jobs/invitations/worker.js";
import { systemClock } from "../src/core/context.js";

const noopMessenger: Messenger = { send: async () => ({ messageRef: "bench" }) };

async function scratchDatabase(base: string) {
  const name = `peerlink_bench_inv_${randomBytes(4).toString("hex")}`;
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const url = new URL(base);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  execFileSync("npm", ["run", "--silent", "db:migrate"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin.toString() });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await d.end();
    },
  };
}

/** n senders, n claimed researchers, one queued invitation each (written in bulk, as a busy day would leave them). */
async function seedInvitations(db: Db, n: number): Promise<string[]> {
  await db.$executeRaw`
    INSERT INTO account (display_name) SELECT 'Bench ' || g FROM generate_series(1, ${2 * n}::int) g`;
  await db.$executeRaw`
    INSERT INTO chat_identity (account_id, platform, tenant_id, user_id, display_name, dm_channel_id)
    SELECT id, 'slack', 'TBENCH', 'U' || id, display_name, 'D' || id FROM account`;
  await db.$executeRaw`
    INSERT INTO researcher (display_name, search_name, claimed_by_account_id, updated_at)
    SELECT 'Researcher ' || id, 'researcher ' || id, id, now() FROM account WHERE id % 2 = 0`;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    INSERT INTO invitation (id, sender_account_id, sender_identity_id, researcher_id, recipient_account_id, message,
                            origin_platform, origin_tenant_id, origin_channel_id, expires_at)
    SELECT gen_random_uuid(), s.id, si.id, r.id, r.claimed_by_account_id, 'Shall we collaborate?',
           'slack', 'TBENCH', 'CBENCH', now() + interval '14 days'
    FROM researcher r
    JOIN account s ON s.id = r.claimed_by_account_id - 1
    JOIN chat_identity si ON si.account_id = s.id
    RETURNING id::text AS id`;
  // What autovacuum would do after a bulk load: without statistics the planner cannot tell that
  // "WHERE id = ANY(…)" finds a few rows among thousands of queued ones.
  await db.$executeRawUnsafe("ANALYZE account, chat_identity, researcher, invitation, invitation_delivery");
  return rows.map((r) => r.id);
}

/**
 * Resolves when the queue has nothing left to do. Both paths are watched the same way, with the
 * same cheap Redis call, so watching costs neither of them more than the other.
 */
async function drained(queue: Queue) {
  for (;;) {
    const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized", "waiting-children");
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const seconds = async (work: () => Promise<void>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

const jobOptions = (id: string) => ({
  jobId: id,
  attempts: DEFAULT_DELIVERY_RETRY.attempts,
  backoff: { type: "exponential" as const, delay: DEFAULT_DELIVERY_RETRY.backoffMs },
  removeOnComplete: true,
});

/** The baseline: the same queue mechanics (job ids, options, concurrency) with a processor that does nothing. */
async function startNoop(settings: { redisUrl: string; prefix: string }, concurrency: number) {
  const queue = new Queue("bench-noop", queueConnection(settings));
  const worker = new Worker("bench-noop", async () => "ok", { ...queueConnection(settings), concurrency });
  await worker.waitUntilReady();
  let next = 0;
  return {
    /** Enqueues `n` jobs and resolves when they are done; returns the seconds it took. */
    run: (n: number) =>
      seconds(async () => {
        const ids = Array.from({ length: n }, () => `noop-${next++}`);
        await queue.addBulk(ids.map((id) => ({ name: "deliver", data: { invitationId: id }, opts: jobOptions(id) })));
        await drained(queue);
      }),
    async stop() {
      await worker.close();
      await queue.close();
    },
  };
}

/** The measured path: the real invitation workers delivering seeded invitations through a no-op messenger. */
async function startInvitations(url: string, settings: { redisUrl: string; prefix: string }, total: number, concurrency: number) {
  const db = createDb(url, { poolSize: concurrency + 4 });
  const core = createCore({ clock: systemClock, db, log: { error: (d, m) => console.error(m, d) }, messengers: { slack: noopMessenger } });
  const workers = await startInvitationWorkers({ core, queue: settings, logger: pino({ level: "silent" }), options: { concurrency } });
  // Seeded after the start-up reconcile, which would otherwise enqueue them all at once.
  const ids = await seedInvitations(db, total);
  const producer = new InvitationProducer(settings);
  const delivered = async () =>
    (await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM invitation WHERE status = 'delivered'`)[0]!.n;
  let next = 0;
  return {
    run: (n: number) =>
      seconds(async () => {
        const batch = ids.slice(next, next + n);
        next += n;
        await producer.enqueueDeliveries(batch);
        await drained(producer.queue);
        // Done means on record in Postgres: the records of the last DMs are written behind their jobs.
        await core.invitationDeliverer.settled();
        // Not a stand-in for work: every job must really have delivered its invitation.
        const done = await delivered();
        if (done !== next) throw new Error(`expected ${next} delivered invitations, found ${done}`);
      }),
    async stop() {
      await workers.stop();
      await producer.close();
      await db.$disconnect();
    },
  };
}

async function dropKeys(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
  await redis.quit();
}

export default async function main(argv: string[] = []) {
  const { values } = parseArgs({
    args: argv,
    options: {
      jobs: { type: "string", default: "8000" },
      // The worker's own default, for both paths.
      concurrency: { type: "string", default: String(DEFAULT_INVITATION_CONCURRENCY) },
      rounds: { type: "string", default: "4" },
    },
  });
  const jobs = Number(values.jobs);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const batch = Math.ceil(jobs / rounds);
  const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/peerlink";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `peerlink-bench-${randomBytes(4).toString("hex")}`;
  const settings = { redisUrl, prefix };
  const scratch = await scratchDatabase(base);
  try {
    console.log(`jobs: ${batch * rounds} each, in ${rounds} interleaved rounds; worker concurrency: ${concurrency}`);
    const noop = await startNoop(settings, concurrency);
    const invitations = await startInvitations(scratch.url, settings, batch * (rounds + 1), concurrency);
    // A warm-up round of each (connections, Lua scripts, Prisma), not counted.
    await noop.run(batch);
    await invitations.run(batch);
    let noopSeconds = 0;
    let invitationSeconds = 0;
    // Interleaved, so a busy moment on the machine hits both paths alike.
    for (let r = 0; r < rounds; r++) {
      const n = await noop.run(batch);
      const i = await invitations.run(batch);
      if (process.env.BENCH_VERBOSE) console.log(`round ${r + 1}: no-op ${n.toFixed(2)} s, invitations ${i.toFixed(2)} s`);
      noopSeconds += n;
      invitationSeconds += i;
    }
    await noop.stop();
    await invitations.stop();
    const noopRate = (batch * rounds) / noopSeconds;
    const invitationRate = (batch * rounds) / invitationSeconds;
    console.log(`no-op BullMQ worker:        ${noopRate.toFixed(0)} jobs/s`);
    console.log(`invitation delivery worker: ${invitationRate.toFixed(0)} invitations/s`);
    console.log(`ratio=${(invitationRate / noopRate).toFixed(3)}`);
  } finally {
    await dropKeys(redisUrl, prefix);
    await scratch.drop();
  }
}
