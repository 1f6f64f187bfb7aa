// npm run bench -- invitations [--jobs 2000] [--concurrency 8]
// Invitation delivery throughput (the real worker: Postgres reads, the delivery transaction, a
// messenger that returns at once) against a no-op BullMQ worker on the same Redis with the same
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
import { startInvitationWorkers } from "../src/jobs/invitations/worker.js";

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
  execFileSync("npm", ["run", "--silent", "db:migrate"], { env: { ...process.env, DATABASE_URL: url.toString() }, stdio: ["ignore", "ignore", "inherit"] });
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
  return rows.map((r) => r.id);
}

async function waitFor(done: () => Promise<boolean> | boolean) {
  while (!(await done())) await new Promise((r) => setTimeout(r, 50));
}

async function noopThroughput(redisUrl: string, prefix: string, jobs: number, concurrency: number): Promise<number> {
  const settings = { redisUrl, prefix };
  const queue = new Queue("bench-noop", queueConnection(settings));
  let completed = 0;
  const worker = new Worker("bench-noop", async () => "ok", { ...queueConnection(settings), concurrency });
  worker.on("completed", () => completed++);
  await worker.waitUntilReady();
  const start = performance.now();
  const retry = DEFAULT_DELIVERY_RETRY;
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
        name: "noop",
        data: { invitationId: `noop-${i + k}` },
        opts: { jobId: `noop-${i + k}`, attempts: retry.attempts, backoff: { type: "exponential", delay: retry.backoffMs }, removeOnComplete: true },
      })),
    );
  }
  await waitFor(() => completed >= jobs);
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.close();
  return jobs / seconds;
}

async function invitationThroughput(url: string, redisUrl: string, prefix: string, jobs: number, concurrency: number): Promise<number> {
  const db = createDb(url, { poolSize: concurrency + 4 });
  const ids = await seedInvitations(db, jobs);
  const core = createCore({ db, log: { error: (d, m) => console.error(m, d) }, messengers: { slack: noopMessenger } });
  const settings = { redisUrl, prefix };
  const workers = await startInvitationWorkers({ core, queue: settings, logger: pino({ level: "silent" }), options: { concurrency } });
  const producer = new InvitationProducer(settings);
  const start = performance.now();
  for (let i = 0; i < ids.length; i += 1000) await producer.enqueueDeliveries(ids.slice(i, i + 1000));
  const delivered = async () => (await db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM invitation WHERE status = 'delivered'`)[0]!.n;
  await waitFor(async () => (await delivered()) >= jobs);
  const seconds = (performance.now() - start) / 1000;
  await workers.stop();
  await producer.close();
  await db.$disconnect();
  return jobs / seconds;
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
  const { values } = parseArgs({ args: argv, options: { jobs: { type: "string", default: "2000" }, concurrency: { type: "string", default: "8" } } });
  const jobs = Number(values.jobs);
  const concurrency = Number(values.concurrency);
  const base = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/peerlink";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `peerlink-bench-${randomBytes(4).toString("hex")}`;
  const scratch = await scratchDatabase(base);
  try {
    console.log(`jobs: ${jobs}, worker concurrency: ${concurrency}`);
    // Warm both paths once (connections, Lua scripts, Prisma) before measuring.
    await noopThroughput(redisUrl, `${prefix}-warm`, 200, concurrency);
    const noop = await noopThroughput(redisUrl, prefix, jobs, concurrency);
    console.log(`no-op BullMQ worker:        ${noop.toFixed(0)} jobs/s`);
    const invitations = await invitationThroughput(scratch.url, redisUrl, prefix, jobs, concurrency);
    console.log(`invitation delivery worker: ${invitations.toFixed(0)} invitations/s`);
    console.log(`ratio=${(invitations / noop).toFixed(3)}`);
  } finally {
    await dropKeys(redisUrl, prefix);
    await dropKeys(redisUrl, `${prefix}-warm`);
    await scratch.drop();
  }
}
