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

const ctx: CommandContext = {
  actor: { platform: "console", tenantId: "bench", userId: "bench" },
  permissions: { canManageChannel: false, isAdmin: false },
};

const RATIO_TARGET = 10;
const P99_TARGET_MS = 25;

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
  const core = createCore({ clock: systemClock, db, log: { error: (d, m) => console.error(m, d) } });

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
  // The ratio is p99 against p99: the tail is what a user notices, and what both targets are about.
  const coreP99 = percentile(coreTimes, 99);
  const ratio = coreP99 / percentile(bareTimes, 99);
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  console.log(`target: lookup p99 within 10x of the bare query's p99: ${verdict(ratio <= RATIO_TARGET)}`);
  console.log(`target: lookup p99 under ${P99_TARGET_MS} ms: ${ms(coreP99)}, ${verdict(coreP99 < P99_TARGET_MS)}`);
  console.log(`ratio=${ratio.toFixed(2)}`);
  await db.$disconnect();
  await bare.end();
}
