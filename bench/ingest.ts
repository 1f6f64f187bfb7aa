// npm run bench -- ingest [--users 10000] [--things 50000]
// One ingest cycle over users following distinct researchers, topics and searches (60/30/10 %),
// against the OpenAlex stand-in in this process, in a scratch database. Figures: upstream requests
// against the minimum the batch size allows (one OR list per 100 distinct things of a kind, plus a
// page per 100 works found), Postgres time per delivery row, and deliveries written per second
// (the writing phase: from the last page the source sent to the end of the cycle) against a raw COPY
// of the same rows into a copy of the table, in the same run; the whole cycle's rate is shown too.
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { IngestService } from "../src/core/notifications/IngestService.js";
import type { ScholarlySource } from "../src/core/notifications/ScholarlySource.js";
import { createDb } from "../src/db/client.js";
import { OpenAlexClient } from "../src/sources/openalex/client.js";
import { OpenAlexSource } from "../src/sources/openalex/OpenAlexSource.js";
import { startOpenAlexStub, syntheticWork } from "../test/support/openalex-stub.js";
import { scratchDatabase } from "./support/processes.js";

const arg = (args: string[], name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

export default async function ingestBench(args: string[]): Promise<void> {
  const users = arg(args, "users", 10_000);
  const things = arg(args, "things", 50_000);
  const researchers = Math.round(things * 0.6);
  const topics = Math.round(things * 0.3);
  const searches = things - researchers - topics;
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/peerlink";
  const scratch = await scratchDatabase(server, "ingest");
  const db = createDb(scratch.url, { poolSize: 4 });
  const clock = { now: () => new Date("2026-11-25T12:00:00.000Z") };
  const followedAt = new Date("2026-11-24T12:00:00.000Z");
  const today = "2026-11-25";
  try {
    // Users and what they follow, written by Postgres itself: each thing by one or two users.
    await db.$executeRaw`INSERT INTO account (display_name) SELECT 'bench ' || g FROM generate_series(1, ${users}) g`;
    await db.$executeRaw`
      INSERT INTO chat_identity (account_id, platform, tenant_id, user_id)
      SELECT id, 'slack', 'TBENCH', 'U' || id FROM account WHERE display_name LIKE 'bench %'`;
    await db.$executeRaw`
      INSERT INTO researcher (display_name, search_name, openalex_id, updated_at)
      SELECT 'Bench Author ' || g, 'bench author ' || g, 'A7' || lpad(g::text, 9, '0'), ${followedAt}::timestamp FROM generate_series(1, ${researchers}) g`;
    await db.$executeRaw`
      INSERT INTO follow (account_id, researcher_id, created_at)
      SELECT DISTINCT a.id, r.id, ${followedAt}::timestamp
      FROM researcher r
      CROSS JOIN LATERAL (VALUES (1 + r.id % ${users}), (1 + (r.id * 7) % ${users})) AS pick(n)
      JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM account) a ON a.n = pick.n
      WHERE r.openalex_id LIKE 'A7%'`;
    await db.$executeRaw`
      INSERT INTO alert_target (kind, key, label, created_at)
      SELECT 'topic'::"AlertKind", 'T7' || lpad(g::text, 7, '0'), 'Bench topic ' || g, ${followedAt}::timestamp FROM generate_series(1, ${topics}) g
      UNION ALL
      SELECT 'search'::"AlertKind", 'benchword' || g || ' sparse', 'benchword' || g || ' sparse', ${followedAt}::timestamp FROM generate_series(1, ${searches}) g`;
    await db.$executeRaw`
      INSERT INTO alert (recipient_key, account_id, target_id, created_at)
      SELECT 'account:' || a.id, a.id, t.id, ${followedAt}::timestamp
      FROM alert_target t JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM account) a ON a.n = 1 + t.id % ${users}`;

    // New works: one per ten things followed, each by (or on, or matching) one of them.
    const works = [];
    for (let i = 0; i < researchers / 10; i++) {
      works.push(
        syntheticWork(100_000 + i, {
          createdDate: today,
          withoutFrankle: true,
          coauthors: [
            { id: `https://openalex.org/A7${String(1 + i * 10).padStart(9, "0")}`, display_name: `Bench Author ${1 + i * 10}`, orcid: null },
          ],
        }),
      );
    }
    for (let i = 0; i < topics / 10; i++) {
      works.push(
        syntheticWork(200_000 + i, {
          createdDate: today,
          withoutFrankle: true,
          topics: [{ id: `https://openalex.org/T7${String(1 + i * 10).padStart(7, "0")}`, display_name: `Bench topic ${1 + i * 10}` }],
        }),
      );
    }
    for (let i = 0; i < searches / 10; i++) {
      works.push(syntheticWork(300_000 + i, { createdDate: today, withoutFrankle: true, title: `benchword${1 + i * 10} sparse networks` }));
    }
    const stub = await startOpenAlexStub({ authors: [], works });
    const openalex = new OpenAlexSource(new OpenAlexClient({ apiUrl: stub.url, baseDelayMs: 5 }));
    // The cycle asks for everything before it writes anything: the last page's arrival splits it in two.
    let askedAt = 0;
    const source: ScholarlySource = Object.assign(Object.create(openalex) as ScholarlySource, {
      async *worksMatching(...args: Parameters<ScholarlySource["worksMatching"]>) {
        for await (const page of openalex.worksMatching(...args)) {
          askedAt = performance.now();
          yield page;
        }
      },
    });

    const started = performance.now();
    const result = await new IngestService(db, clock).run(source);
    const ended = performance.now();
    const cycleMs = ended - started;
    const writeMs = ended - Math.max(askedAt, started);
    const sourceRequests = stub.requests.length;
    await stub.close();

    const rows = await db.notificationDelivery.count();
    // One request per OR list of 100 things; no list here finds 100 works, so one page each.
    const minimum = [researchers, topics, searches].reduce((n, k) => n + Math.ceil(k / 100), 0);
    // Baseline: the same rows by raw COPY into a copy of the table, in the same run.
    const copyMs = await copyBaseline(scratch.url);
    const perSecond = (rows / cycleMs) * 1000;
    const writtenPerSecond = (rows / writeMs) * 1000;
    const copyPerSecond = (rows / copyMs) * 1000;
    console.log(
      `users ${users}, distinct things followed ${things} (researchers ${researchers}, topics ${topics}, searches ${searches}), new works ${works.length}`,
    );
    console.log(
      `upstream requests ${result.requests.total} (stand-in saw ${sourceRequests}); minimum at 100 per OR list and page: ${minimum}; ratio ${(result.requests.total / minimum).toFixed(2)} (target ≤ 1.1)`,
    );
    console.log(`spend $${result.spendUsd.toFixed(4)} (list ${result.requests.list}, search ${result.requests.search})`);
    console.log(
      `one cycle ${(cycleMs / 1000).toFixed(1)} s (asking the source ${((cycleMs - writeMs) / 1000).toFixed(1)} s, writing ${(writeMs / 1000).toFixed(1)} s); delivery rows ${rows}; Postgres ${((writeMs / rows) * 1000).toFixed(0)} µs per row (works, authorships and deliveries written)`,
    );
    console.log(
      `deliveries written ${writtenPerSecond.toFixed(0)}/s (storing the works included; ${perSecond.toFixed(0)}/s over the whole cycle); raw COPY of the same rows ${copyPerSecond.toFixed(0)}/s`,
    );
    console.log(`whole-cycle ratio ${(perSecond / copyPerSecond).toFixed(3)}`);
    console.log(`ratio=${(writtenPerSecond / copyPerSecond).toFixed(3)}`);
  } finally {
    await db.$disconnect();
    await scratch.drop();
  }
}

async function copyBaseline(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(
      `SELECT concat_ws(E'\\t', recipient_key, coalesce(account_id::text, '\\N'), work_id, status, digest, coalesce(reasons::text, '\\N'), created_at) AS line FROM notification_delivery`,
    );
    await client.query("CREATE TABLE delivery_copy (LIKE notification_delivery INCLUDING DEFAULTS INCLUDING INDEXES)");
    const started = performance.now();
    const stream = client.query(copyFrom("COPY delivery_copy (recipient_key, account_id, work_id, status, digest, reasons, created_at) FROM STDIN"));
    await pipeline(Readable.from(rows.map((r) => `${r.line}\n`)), stream);
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
