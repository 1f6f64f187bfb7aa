// npm run bench -- fanout [--followers 100000] [--rounds 2] [--limit 40] [--deliver 1500]
// One researcher with 100,000 followers publishes. Measures (1) writing every delivery row and
// enqueueing every job (FanOut + DeliveryProducer, what ingest does) against a raw BullMQ addBulk
// of the same number of jobs in the same run, and (2) the delivery rate through the real delivery
// worker and SlackMessenger against a Slack stand-in that allows `--limit` messages per second
// and answers 429 + Retry-After beyond it. Uses a scratch database and a unique Redis prefix, both
// removed at the end. Last line: ratio=<fan-out rate / raw addBulk rate>.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import pg from "pg";
import { SlackMessenger } from "../src/adapters/slack/SlackMessenger.js";
import { loadConfig } from "../src/config.js";
import { createCore } from "../src/core/Core.js";
import { FanOut } from "../src/core/notifications/FanOut.js";
import { createDb, type Db } from "../src/db/client.js";
import { createDeliveryWorker } from "../src/jobs/notifications/worker.js";
import { DELIVER_JOB, DeliveryProducer, queueOptions } from "../src/jobs/notifications/producer.js";
import { timed } from "./stats.js";
import { systemClock } from "../src/core/context.js";

const quiet = { info() {}, warn() {}, error() {} };
const TEAM = "TBENCH";

export default async function main(argv: string[] = []) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: "string", default: "2" },
      followers: { type: "string", default: "100000" },
      limit: { type: "string", default: "40" },
      deliver: { type: "string", default: "1500" },
    },
  });
  const followers = Number(values.followers);
  const rounds = Math.max(1, Number(values.rounds));
  const limit = Number(values.limit);
  const deliverCount = Math.min(Number(values.deliver), followers);
  const config = loadConfig();
  const scratch = await createScratchDatabase(config.databaseUrl);
  const queue = { redisUrl: config.redisUrl, prefix: `peerlink-bench-${randomBytes(4).toString("hex")}` };
  const db = createDb(scratch.url, { poolSize: 20 });
  const producer = new DeliveryProducer(queue);
  const raw = new Queue("bench-raw-addbulk", queueOptions(queue));
  let slack: Awaited<ReturnType<typeof startLimitedSlack>> | undefined;
  try {
    const firstWorkId = await seed(db, followers);
    console.log(`followers: ${followers.toLocaleString("en-US")} (scratch database ${scratch.name}, Redis prefix ${queue.prefix})`);

    // Warm both paths (connections, Lua scripts) outside the measurement.
    await raw.addBulk(jobs(0, 1000, "warm"));
    await producer.enqueue([{ id: "0", platform: "slack" }]);
    await Promise.all([raw.obliterate({ force: true }), producer.queues.slack.obliterate({ force: true })]);

    // Alternating rounds on the same machine; each side's best round is compared (the machine is shared).
    const rawRounds: number[] = [];
    const fanOutRounds: number[] = [];
    let waiting = 0;
    for (let round = 0; round < rounds; round++) {
      await raw.obliterate({ force: true });
      rawRounds.push(
        await timed(async () => {
          for (let i = 0; i < followers; i += 1000) await raw.addBulk(jobs(i, Math.min(1000, followers - i), `raw${round}-`));
        }),
      );
      await producer.queues.slack.obliterate({ force: true });
      const workId = round === 0 ? firstWorkId : await newWork(db, round);
      let queued = 0;
      fanOutRounds.push(
        await timed(async () => {
          const result = await new FanOut(db).fanOut([workId], new Date(), (batch) => producer.enqueue(batch));
          queued = result.instant.length;
        }),
      );
      if (queued !== followers) throw new Error(`fan-out queued ${queued} deliveries, expected ${followers}`);
      waiting = await producer.queues.slack.getWaitingCount();
      console.log(
        `round ${round + 1}: raw addBulk ${(rawRounds[round]! / 1000).toFixed(2)} s, fan-out ${(fanOutRounds[round]! / 1000).toFixed(2)} s`,
      );
    }
    const rawMs = Math.min(...rawRounds);
    const fanOutMs = Math.min(...fanOutRounds);
    console.log(`best of ${rounds} rounds:`);
    const rate = (n: number, t: number) => `${Math.round((n / t) * 1000).toLocaleString("en-US")}/s`;
    console.log(`raw BullMQ addBulk (1,000 per call)    ${(rawMs / 1000).toFixed(2)} s   ${rate(followers, rawMs)}`);
    console.log(
      `fan-out: rows + addBulk (${waiting.toLocaleString("en-US")} jobs)  ${(fanOutMs / 1000).toFixed(2)} s   ${rate(followers, fanOutMs)}`,
    );
    const ratio = rawMs / fanOutMs;
    console.log(`fan-out rate / raw addBulk rate        ${ratio.toFixed(3)} (target ≥ 0.7)`);

    // Delivery: keep `deliverCount` deliveries, send them through the real worker and SlackMessenger.
    await producer.queues.slack.obliterate({ force: true });
    await db.$executeRaw`UPDATE notification_delivery SET status = 'skipped', last_error = 'bench: not in the delivery sample' WHERE work_id <> ${firstWorkId} OR account_id > ${deliverCount}`;
    slack = await startLimitedSlack(limit);
    const core = createCore({
      clock: systemClock,
      db,
      log: quiet,
      messengers: { slack: new SlackMessenger({ db, apiUrl: slack.apiUrl, botToken: async () => "xoxb-bench" }) },
    });
    const sample = await db.notificationDelivery.findMany({ where: { status: "pending" }, select: { id: true } });
    const worker = createDeliveryWorker({
      core,
      platform: "slack",
      queue,
      producer,
      log: quiet,
      // The limit spread over tenths of a second: a one-second burst arrives unevenly and trips the bucket.
      limiter: { max: Math.max(1, Math.round(limit / 10)), duration: 100 },
      concurrency: 50,
    });
    const started = Date.now();
    await producer.enqueue(sample.map((d) => ({ id: String(d.id), platform: "slack" as const })));
    for (;;) {
      const left = await db.notificationDelivery.count({ where: { status: { in: ["pending", "sending"] } } });
      if (left === 0) break;
      if (Date.now() - started > 10 * 60_000) throw new Error(`${left} deliveries still pending after 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const deliverMs = Date.now() - started;
    await worker.close();
    const failed = await db.notificationDelivery.count({ where: { status: "failed" } });
    const sent = await db.notificationDelivery.count({ where: { status: "sent" } });
    const perSecond = (sent / deliverMs) * 1000;
    console.log(
      `delivery: ${sent} sent, ${failed} failed in ${(deliverMs / 1000).toFixed(1)} s = ${perSecond.toFixed(1)}/s against a limit of ${limit}/s ` +
        `(${((perSecond / limit) * 100).toFixed(1)} % of the limit; target ≥ 90 %)`,
    );
    console.log(
      `stand-in: ${slack.accepted} messages accepted, ${slack.refused} answered 429 (each retried after Retry-After: ${failed === 0 ? "all delivered" : "SOME FAILED"})`,
    );
    console.log(`ratio=${ratio.toFixed(3)}`);
  } finally {
    await Promise.allSettled([raw.obliterate({ force: true }), ...Object.values(producer.queues).map((q) => q.obliterate({ force: true }))]);
    await raw.close();
    await producer.close();
    await slack?.close();
    await db.$disconnect();
    await scratch.drop();
  }
}

const jobs = (from: number, n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    name: DELIVER_JOB,
    data: { deliveryId: `${tag}${from + i}` },
    opts: {
      jobId: `${tag}-${from + i}`,
      attempts: 8,
      backoff: { type: "exponential" as const, delay: 2000 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  }));

/** Another new work by the same researcher. */
async function newWork(db: Db, n: number): Promise<number> {
  const researcher = await db.researcher.findFirstOrThrow({ where: { openalexId: "A1" } });
  const work = await db.work.create({ data: { title: `Another paper ${n}`, type: "article", openalexId: `W${n + 1}` } });
  await db.authorship.create({ data: { workId: work.id, researcherId: researcher.id, position: 1 } });
  return work.id;
}

/** One researcher, one new work, `n` Slack users following the researcher. */
async function seed(db: Db, n: number): Promise<number> {
  const [r] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO researcher (display_name, search_name, openalex_id, updated_at) VALUES ('Bench Author', 'bench author', 'A1', now()) RETURNING id`;
  const work = await db.work.create({
    data: { title: "A paper everybody follows", type: "article", openalexId: "W1", venue: "Bench", publicationYear: 2026 },
  });
  await db.authorship.create({ data: { workId: work.id, researcherId: r!.id, position: 1 } });
  await db.$executeRaw`INSERT INTO account (id, display_name) SELECT g, 'follower ' || g FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO chat_identity (account_id, platform, tenant_id, user_id, dm_channel_id)
    SELECT g, 'slack', ${TEAM}, 'U' || g, 'D' || g FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`INSERT INTO follow (account_id, researcher_id) SELECT g, ${r!.id} FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`ANALYZE`;
  return work.id;
}

async function createScratchDatabase(databaseUrl: string) {
  const name = `peerlink_bench_fanout_${randomBytes(4).toString("hex")}`;
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  execFileSync("npm", ["run", "--silent", "db:migrate"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * chat.postMessage as Slack answers it, at most `limit` per second: a token bucket (capacity
 * `limit`, refilled at `limit` per second, as platform rate limits behave) and 429 + Retry-After
 * when it is empty.
 */
async function startLimitedSlack(limit: number) {
  let tokens = limit;
  let refilledAt = Date.now();
  const stats = { accepted: 0, refused: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const now = Date.now();
      tokens = Math.min(limit, tokens + ((now - refilledAt) / 1000) * limit);
      refilledAt = now;
      res.setHeader("content-type", "application/json");
      if (req.url?.includes("chat.postMessage")) {
        if (tokens < 1) {
          stats.refused++;
          res.writeHead(429, { "retry-after": "1" }).end(JSON.stringify({ ok: false, error: "ratelimited" }));
          return;
        }
        tokens -= 1;
        stats.accepted++;
        res.end(JSON.stringify({ ok: true, channel: "D1", ts: `${now / 1000}` }));
        return;
      }
      res.end(JSON.stringify({ ok: true, channel: { id: "D1" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    get accepted() {
      return stats.accepted;
    },
    get refused() {
      return stats.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
