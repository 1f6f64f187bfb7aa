// npm run bench -- lookup [--queries 400]
// The profile lookup through the core (router → search → profile card, what a user waits for)
// against the bare trigram query on the same database, interleaved in one run.
// Needs a large dataset: npm run db:synth -- --researchers 1000000 (BENCH_DATABASE_URL or DATABASE_URL).
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { createCore } from "../src/core/Core.js";
import type { CommandContext } from "../src/core/context.js";
import { searchName } from "../src/core/text.js";
import { createDb } from "../src/db/client.js";
import { ms, percentile, timed } from "./stats.js";
import { systemClock } from "../src/core/context.js";
import type { Core } from "../src/core/Core.js";
import { profileCard } from "../src/core/profiles/profileCard.js";
import { measureRecall, relevanceSet } from "../src/sources/synthetic/relevanceSet.js";

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "bench", userId: "bench" },
  permissions: { canManageChannel: false, isAdmin: false },
};

const RATIO_TARGET = 10;
const P99_TARGET_MS = 10;
const THROUGHPUT_TARGET = 500;
const THROUGHPUT_USERS = 32;
const THROUGHPUT_POOL = 10;

/** A deterministic typo: swaps two neighbouring letters in the middle of the name. */
function typo(name: string): string {
  const i = Math.floor(name.length / 2);
  return name.slice(0, i - 1) + name[i] + name[i - 1] + name.slice(i + 1);
}

export default async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { queries: { type: "string", default: "400" } } });
  const n = Number(values.queries);
  const url = process.env.BENCH_DATABASE_URL ?? loadConfig().databaseUrl;
  const db = createDb(url, { poolSize: 2 });
  // The baseline: one hand-written trigram query (GIN, % at the core's first threshold).
  const bare = new pg.Pool({ connectionString: url, max: 2, options: "-c pg_trgm.similarity_threshold=0.45" });
  const core = createBenchCore(db);

  const [row0] = await db.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM researcher`;
  const count = row0?.count ?? 0;
  console.log(`researchers: ${count.toLocaleString("en-US")}`);
  if (count < 100_000) console.log("warning: fewer than 100,000 researchers; run npm run db:synth -- --researchers 1000000 first");

  // Names spread over the whole table, half of them with a typo.
  const step = Math.max(1, Math.floor(count / n));
  const names = await db.$queryRaw<Array<{ display_name: string }>>`
    SELECT display_name FROM researcher WHERE id % ${step} = 0 ORDER BY id LIMIT ${n}`;
  const queries = names.map((r, i) => (i % 2 ? typo(r.display_name) : r.display_name));

  const bareQuery = (q: string) =>
    bare.query("SELECT id, display_name FROM researcher WHERE search_name % $1 ORDER BY similarity(search_name, $1) DESC LIMIT 10", [searchName(q)]);
  const corePath = (q: string) => core.router.handleText(q, ctx);

  for (const q of queries.slice(0, 30)) {
    await bareQuery(q);
    await corePath(q);
  }
  const coreTimes: number[] = [];
  const bareTimes: number[] = [];
  for (const q of queries) {
    bareTimes.push(await timed(() => bareQuery(q)));
    coreTimes.push(await timed(() => corePath(q)));
  }
  const row = (label: string, t: number[]) => console.log(`${label.padEnd(34)} p50 ${ms(percentile(t, 50))}   p99 ${ms(percentile(t, 99))}`);
  console.log(`queries: ${queries.length} (half with a typo), interleaved`);
  row("bare trigram query (pg)", bareTimes);
  row("lookup through the core (card)", coreTimes);

  // Where the card's time goes: each step of the path on its own, for the same queries.
  const steps = await stepTimes(core, queries);
  console.log("steps of the card (each alone, same queries):");
  for (const [step, t] of Object.entries(steps)) row(`  ${step}`, t);

  // Quality: the relevance set (exact, typos, swapped order, initials, no middle initial, no accents).
  const set = await relevanceSet(bare, Math.ceil(n / 8));
  const recall = await measureRecall(set, async (q) => (await core.search.candidates(q, 5)).map((c) => c.id));
  const pct = (k: number, of: number) => `${((100 * k) / of).toFixed(1)}%`;
  console.log(`relevance: ${recall.queries} queries, recall@1 ${pct(recall.at1, recall.queries)}, recall@5 ${pct(recall.at5, recall.queries)}`);
  for (const [kind, r] of Object.entries(recall.byKind)) {
    console.log(
      `  ${kind.padEnd(20)} ${String(r.queries).padStart(4)} queries  @1 ${pct(r.at1, r.queries).padStart(6)}  @5 ${pct(r.at5, r.queries).padStart(6)}`,
    );
  }

  // Throughput: 32 users at once, each running the next query when the last one answered.
  const throughput = await lookupsPerSecond(url, queries, THROUGHPUT_USERS);
  console.log(`throughput: ${throughput.toFixed(0)} lookups/s with ${THROUGHPUT_USERS} concurrent users (pool ${THROUGHPUT_POOL})`);

  // The ratio is p99 against p99: the tail is what a user notices, and what both targets are about.
  const coreP99 = percentile(coreTimes, 99);
  const ratio = coreP99 / percentile(bareTimes, 99);
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  console.log(`target: lookup p99 within 10x of the bare query's p99: ${verdict(ratio <= RATIO_TARGET)}`);
  console.log(`target: lookup p99 at most ${P99_TARGET_MS} ms: ${ms(coreP99)}, ${verdict(coreP99 <= P99_TARGET_MS)}`);
  console.log(`target: at least ${THROUGHPUT_TARGET} lookups/s: ${verdict(throughput >= THROUGHPUT_TARGET)}`);
  await db.$disconnect();
  await bare.end();
}

const createBenchCore = (db: ReturnType<typeof createDb>) => createCore({ clock: systemClock, db, log: { error: (d, m) => console.error(m, d) } });

/** Each step of the card path (lookup.ts: resolve, viewer, profile row, counts, recent works, card) timed alone. */
async function stepTimes(core: Core, queries: string[]) {
  const steps: Record<string, number[]> = {
    "name search": [],
    viewer: [],
    "profile row (counts, follow)": [],
    counts: [],
    "recent works": [],
    "card (render)": [],
  };
  for (const q of queries) {
    let found: Awaited<ReturnType<Core["search"]["find"]>> | undefined;
    steps["name search"]!.push(await timed(async () => (found = await core.search.find(q))));
    const id = found?.kind === "found" ? found.researcherId : found?.kind === "ambiguous" ? found.candidates[0]?.id : undefined;
    if (id === undefined) continue;
    steps.viewer!.push(await timed(() => core.accounts.resolve(ctx.actor)));
    steps["profile row (counts, follow)"]!.push(await timed(() => core.profiles.row(id, 1)));
    steps.counts!.push(await timed(() => core.profiles.counts(id)));
    steps["recent works"]!.push(await timed(() => core.profiles.works(id, 0, 3)));
    const profile = await core.profiles.load(id);
    steps["card (render)"]!.push(await timed(async () => profileCard(profile!)));
  }
  return steps;
}

/** Full card lookups per second with `users` running at once over one pool, as a busy bot would. */
async function lookupsPerSecond(url: string, queries: string[], users: number): Promise<number> {
  const db = createDb(url, { poolSize: THROUGHPUT_POOL });
  const core = createBenchCore(db);
  try {
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        const user: CommandContext = { ...ctx, actor: { ...ctx.actor, userId: `bench-${u}` } };
        while (next < queries.length * 2) await core.router.handleText(queries[next++ % queries.length]!, user);
      }),
    );
    return (queries.length * 2) / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await db.$disconnect();
  }
}
