// npm run bench -- graph [--researchers 200]
// The research graph and collaborator suggestions through the core (what a user waits for, before
// drawing) against the bare index scan of the same researchers' authorships, interleaved in one run.
// Needs a large dataset: npm run db:synth -- --researchers 1000000 (BENCH_DATABASE_URL or DATABASE_URL).
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { loadResearchGraph } from "../src/core/graph/loadResearchGraph.js";
import { suggestForResearcher } from "../src/core/graph/suggestCollaborators.js";
import { createDb } from "../src/db/client.js";
import { ms, percentile, timed } from "./stats.js";

export default async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { researchers: { type: "string", default: "200" } } });
  const n = Number(values.researchers);
  const url = process.env.BENCH_DATABASE_URL ?? loadConfig().databaseUrl;
  const db = createDb(url, { poolSize: 2 });
  const bare = new pg.Pool({ connectionString: url, max: 2 });
  const now = new Date();

  const [row0] = await db.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM researcher`;
  const count = row0?.count ?? 0;
  console.log(`researchers: ${count.toLocaleString("en-US")}`);
  if (count < 100_000) console.log("warning: fewer than 100,000 researchers; run npm run db:synth -- --researchers 1000000 first");

  // Researchers spread over the table, plus the most prolific ones (the worst case).
  const step = Math.max(1, Math.floor(count / n));
  const spread = await db.$queryRaw<Array<{ id: number }>>`SELECT id FROM researcher WHERE id % ${step} = 0 ORDER BY id LIMIT ${n}`;
  const prolific = await db.$queryRaw<Array<{ id: number }>>`
    SELECT researcher_id AS id FROM authorship GROUP BY researcher_id ORDER BY count(*) DESC LIMIT 10`;
  const ids = [...prolific, ...spread].map((r) => r.id);

  const bareQuery = (id: number) => bare.query("SELECT work_id FROM authorship WHERE researcher_id = $1", [id]);
  for (const id of ids.slice(0, 20)) {
    await bareQuery(id);
    await loadResearchGraph(db, id, now);
    await suggestForResearcher(db, id, "x");
  }
  const bareTimes: number[] = [];
  const graphTimes: number[] = [];
  const suggestTimes: number[] = [];
  let maxNodes = 0;
  for (const id of ids) {
    bareTimes.push(await timed(() => bareQuery(id)));
    graphTimes.push(await timed(async () => (maxNodes = Math.max(maxNodes, (await loadResearchGraph(db, id, now))?.nodes.length ?? 0))));
    suggestTimes.push(await timed(() => suggestForResearcher(db, id, "x")));
  }
  const row = (label: string, t: number[]) => console.log(`${label.padEnd(40)} p50 ${ms(percentile(t, 50))}   p99 ${ms(percentile(t, 99))}`);
  console.log(`researchers measured: ${ids.length} (10 most prolific included), interleaved; largest graph ${maxNodes} nodes`);
  row("bare authorship index scan (pg)", bareTimes);
  row("research graph (core, data only)", graphTimes);
  row("collaborator suggestions (core)", suggestTimes);
  console.log(`suggest p99 / bare p99 ${(percentile(suggestTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}`);
  console.log(`ratio=${(percentile(graphTimes, 99) / percentile(bareTimes, 99)).toFixed(2)}`);
  await db.$disconnect();
  await bare.end();
}
