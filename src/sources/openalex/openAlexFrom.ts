// Builds the OpenAlex clients, budget, cache and directory from configuration, for main.ts, the
// console and scripts alike.
import type { Config } from "../../config.js";
import { type Clock, systemClock } from "../../core/context.js";
import type { Db } from "../../db/client.js";
import { OpenAlexClient } from "./client.js";
import { OpenAlexCache } from "./OpenAlexCache.js";
import { OpenAlexDirectory } from "./OpenAlexDirectory.js";
import { OpenAlexUsage } from "./OpenAlexUsage.js";

/** What OpenAlex allows a day without an API key. */
export const KEYLESS_DAILY_USD = 0.01;

export interface OpenAlex {
  /** patient retries: imports, ingest, scripts */
  client: OpenAlexClient;
  /** for people waiting in chat: a few short retries, then "busy" */
  interactiveClient: OpenAlexClient;
  usage: OpenAlexUsage;
  cache: OpenAlexCache;
  directory: OpenAlexDirectory;
  /** a start-up warning to log, when something will not work as configured */
  warning?: string;
}

/** `clock`: the wall clock by default, since this runs at the wiring edge; tests pass their own. */
export function openAlexFrom(config: Config, db: Db, clock: Clock = systemClock): OpenAlex {
  const o = config.openalex;
  const keyed = Boolean(o.apiKey);
  const dailyBudgetUsd = keyed ? o.dailyBudgetUsd : Math.min(o.dailyBudgetUsd, KEYLESS_DAILY_USD);
  const usage = new OpenAlexUsage(db, clock, { dailyBudgetUsd, keyed });
  const cache = new OpenAlexCache(db, clock);
  const common = { apiUrl: o.apiUrl, mailto: o.mailto, apiKey: o.apiKey, meter: usage.meter, observeAllowance: usage.observe };
  const client = new OpenAlexClient(common);
  const interactiveClient = new OpenAlexClient({ ...common, maxRetries: 2, baseDelayMs: 500, maxRetryAfterMs: 4000, timeoutMs: 8000 });
  const directory = new OpenAlexDirectory(
    { db, clock, client: interactiveClient, backgroundClient: client, cache, usage },
    { searchCacheTtlMs: o.searchCacheHours * 3_600_000, userSearchesPerHour: o.userSearchesPerHour },
  );
  const warning = keyed
    ? undefined
    : `OPENALEX_API_KEY is not set: OpenAlex allows $${KEYLESS_DAILY_USD} a day without a key (about 10 name searches), so looking up people who are not in Peerlink yet will soon be refused until midnight UTC. A free key (openalex.org/settings/api) allows $1 a day.`;
  return { client, interactiveClient, usage, cache, directory, warning };
}
