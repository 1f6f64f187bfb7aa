// npm run bench -- intro [--members 200] [--targets 200]
// Warm-intro path search through the core (members of one workspace, their precomputed ties, the
// bounded bidirectional search, names) against a bare recursive SQL search for the same paths (every
// co-author walk of up to 3 hops from the target, stopping at members), interleaved in one run.
// Needs a large dataset: npm run db:synth -- --researchers 1000000 (BENCH_DATABASE_URL or DATABASE_URL).
// Leaves nothing behind: its members (accounts, identities, claims, opt-ins, ties) are deleted in a finally.
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { createCore } from "../src/core/Core.js";
import { createDb } from "../src/db/client.js";
import { ms, percentile, timed } from "./stats.js";

const BARE_SEARCH = `
  WITH RECURSIVE walk(node, depth) AS (
    SELECT $1::int, 0
    UNION
    SELECT a2.researcher_id, w.depth + 1
    FROM walk w
    JOIN authorship a1 ON a1.researcher_id = w.node
    JOIN authorship a2 ON a2.work_id = a1.work_id AND a2.researcher_id <> w.node
    WHERE w.depth < 3 AND NOT (w.node = ANY($2::int[]))
  )
  SELECT node, min(depth) AS hops FROM walk WHERE node = ANY($2::int[]) GROUP BY node`;

export default async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { members: { type: "string", default: "200" }, targets: { type: "string", default: "200" } } });
  const memberCount = Number(values.members);
  const targetCount = Number(values.targets);
  const url = process.env.BENCH_DATABASE_URL ?? loadConfig().databaseUrl;
  const db = createDb(url, { poolSize: 4 });
  const bare = new pg.Pool({ connectionString: url, max: 2 });
  const core = createCore({ db, clock: { now: () => new Date() }, log: { error: (d, m) => console.error(m, d) } });
  const tenant = { platform: "slack" as const, tenantId: `TBENCHINTRO${process.pid}` };

  const [row0] = await db.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM researcher`;
  const count = row0?.count ?? 0;
  console.log(`researchers: ${count.toLocaleString("en-US")}`);
  if (count < 100_000) console.log("warning: fewer than 100,000 researchers; run npm run db:synth -- --researchers 1000000 first");

  // Members spread over the table (unclaimed records), the 10 most prolific among them.
  const step = Math.max(1, Math.floor(count / memberCount));
  const prolific = await db.$queryRaw<Array<{ id: number }>>`
    SELECT a.researcher_id AS id FROM authorship a JOIN researcher r ON r.id = a.researcher_id AND r.claimed_by_account_id IS NULL
    GROUP BY a.researcher_id ORDER BY count(*) DESC LIMIT 10`;
  const spread = await db.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM researcher WHERE id % ${step} = 7 AND claimed_by_account_id IS NULL ORDER BY id LIMIT ${memberCount - prolific.length}`;
  const memberIds = [...new Set([...prolific, ...spread].map((r) => r.id))];
  const accountIds: number[] = [];
  try {
    const started = performance.now();
    for (const [i, researcherId] of memberIds.entries()) {
      const me = await core.accounts.resolve({ ...tenant, userId: `UBENCH${i}`, displayName: `member${i}` });
      accountIds.push(me.accountId);
      await db.researcher.updateMany({ where: { id: researcherId, claimedByAccountId: null }, data: { claimedByAccountId: me.accountId } });
      await core.intros.join(me, tenant); // precomputes the member's ties
    }
    const ties = await db.coauthorTie.count({ where: { researcherId: { in: memberIds } } });
    console.log(`members: ${memberIds.length} opted in, ${ties.toLocaleString("en-US")} precomputed ties, in ${ms(performance.now() - started)}`);

    // Targets: half two or three hops from a member (a co-author of a member's co-author), half anywhere.
    const near = await bare.query<{ id: number }>(
      `SELECT DISTINCT ON (m.id) a3.researcher_id AS id
       FROM unnest($1::int[]) AS m(id)
       JOIN authorship a1 ON a1.researcher_id = m.id JOIN authorship a2 ON a2.work_id = a1.work_id AND a2.researcher_id <> m.id
       JOIN authorship b1 ON b1.researcher_id = a2.researcher_id JOIN authorship a3 ON a3.work_id = b1.work_id
       WHERE a3.researcher_id <> ALL($1::int[]) ORDER BY m.id, a3.researcher_id DESC`,
      [memberIds],
    );
    const tstep = Math.max(1, Math.floor(count / targetCount));
    const anywhere = await db.$queryRaw<Array<{ id: number }>>`SELECT id FROM researcher WHERE id % ${tstep} = 3 ORDER BY id LIMIT ${targetCount}`;
    const targets = [...near.rows.slice(0, targetCount / 2), ...anywhere.slice(0, targetCount / 2)].map((r) => r.id);

    const asker = await core.accounts.resolve({ ...tenant, userId: "UBENCHASKER", displayName: "asker" });
    accountIds.push(asker.accountId);
    const coreSearch = (id: number) => core.intros.paths(tenant, asker, id);
    const bareSearch = (id: number) => bare.query(BARE_SEARCH, [id, memberIds]);
    for (const id of targets.slice(0, 10)) {
      await coreSearch(id);
      await bareSearch(id);
    }
    const coreTimes: number[] = [];
    const bareTimes: number[] = [];
    let found = 0;
    let agree = 0;
    for (const id of targets) {
      let paths: Awaited<ReturnType<typeof coreSearch>>["paths"] = [];
      coreTimes.push(await timed(async () => (paths = (await coreSearch(id)).paths)));
      let rows: Array<{ node: number; hops: number }> = [];
      bareTimes.push(await timed(async () => (rows = (await bareSearch(id)).rows as typeof rows)));
      if (paths.length) found++;
      // Same members at the same distance (the capped fan-out may miss some the bare walk finds).
      const byCore = new Map(paths.map((p) => [p.member.researcherId, p.hops]));
      if (rows.every((r) => byCore.get(r.node) === r.hops) && byCore.size === rows.length) agree++;
    }
    const row = (label: string, t: number[]) => console.log(`${label.padEnd(44)} p50 ${ms(percentile(t, 50))}   p99 ${ms(percentile(t, 99))}`);
    console.log(
      `targets: ${targets.length} (${near.rows.length >= targetCount / 2 ? "half" : "some"} near a member), interleaved; ${found} with a path; same members and hops as the bare walk for ${agree}`,
    );
    row("bare recursive SQL walk, 3 hops (pg)", bareTimes);
    row("intro search (core: members, ties, names)", coreTimes);
    console.log(`ratio=${(percentile(coreTimes, 99) / percentile(bareTimes, 99)).toFixed(3)}`);
  } finally {
    const via = await db.coauthorTie.findMany({ where: { researcherId: { in: memberIds } }, select: { coauthorId: true } });
    await db.coauthorReach.deleteMany({ where: { researcherId: { in: [...new Set(via.map((t) => t.coauthorId))] } } });
    await db.coauthorTie.deleteMany({ where: { researcherId: { in: memberIds } } });
    await db.coauthorTieSource.deleteMany({ where: { researcherId: { in: memberIds } } });
    await db.researcher.updateMany({ where: { claimedByAccountId: { in: accountIds } }, data: { claimedByAccountId: null } });
    await db.account.deleteMany({ where: { id: { in: accountIds } } }); // identities and opt-ins go with them
    await db.$disconnect();
    await bare.end();
  }
}
