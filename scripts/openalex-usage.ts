// npm run openalex:usage
//
// Today's (UTC) OpenAlex requests by price class and the spend computed from OpenAlex's documented
// prices, against the daily budget (OPENALEX_DAILY_BUDGET_USD; $0.01 without OPENALEX_API_KEY), and
// what OpenAlex's rate-limit headers last reported of the key's own allowance.
import "dotenv/config";
import { connectDatabase } from "../src/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { runCli } from "../src/runCli.js";
import { openAlexFrom } from "../src/sources/openalex/openAlexFrom.js";
import { PRICE_USD } from "../src/sources/openalex/OpenAlexUsage.js";

await runCli(async () => {
  const config = loadConfig();
  const db = await connectDatabase(config);
  try {
    const openalex = openAlexFrom(config, db);
    const u = await openalex.usage.today();
    console.log(`OpenAlex usage on ${u.day} (UTC)${u.keyed ? "" : " — no OPENALEX_API_KEY set"}`);
    for (const [kind, n] of Object.entries(u.requests)) {
      const price = PRICE_USD[kind as keyof typeof PRICE_USD] ?? 0;
      console.log(`  ${kind.padEnd(10)} ${String(n).padStart(7)} requests  $${(n * price).toFixed(4)}`);
    }
    console.log(`  spent      $${u.spentUsd.toFixed(4)} of $${u.budgetUsd.toFixed(2)} (${Math.round((u.spentUsd / (u.budgetUsd || 1)) * 100)}%)`);
    if (u.upstream) {
      const at = u.upstream.seenAt.toISOString().slice(11, 16);
      console.log(`  OpenAlex reports $${u.upstream.remainingUsd.toFixed(4)} left of the key's $${u.upstream.limitUsd.toFixed(2)} (at ${at} UTC)`);
    }
  } finally {
    await db.$disconnect();
  }
});
