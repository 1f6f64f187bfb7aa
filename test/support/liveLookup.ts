// Live lookup against the OpenAlex stand-in, for specs that drive an adapter: the real directory,
// budget and cache over real Postgres, with clients that retry without really sleeping.
import type { Clock } from "../../src/core/context.js";
import type { CoreServices } from "../../src/core/CoreServices.js";
import { LiveLookup } from "../../src/core/search/LiveLookup.js";
import type { ImportQueue } from "../../src/core/search/ScholarlyDirectory.js";
import { OpenAlexClient } from "../../src/sources/openalex/client.js";
import { OpenAlexCache } from "../../src/sources/openalex/OpenAlexCache.js";
import { type DirectorySettings, OpenAlexDirectory } from "../../src/sources/openalex/OpenAlexDirectory.js";
import { OpenAlexUsage } from "../../src/sources/openalex/OpenAlexUsage.js";

export const TEST_API_KEY = "test-openalex-key";

export interface LiveLookupOptions {
  dailyBudgetUsd?: number;
  directory?: Partial<DirectorySettings>;
  queue?: ImportQueue;
  staleAfterMs?: number;
  clock?: Clock;
}

export function liveLookupFor(core: Pick<CoreServices, "db" | "clock">, apiUrl: string, options: LiveLookupOptions = {}) {
  const clock = options.clock ?? core.clock;
  const usage = new OpenAlexUsage(core.db, clock, { dailyBudgetUsd: options.dailyBudgetUsd ?? 1, keyed: true });
  const cache = new OpenAlexCache(core.db, clock);
  const client = new OpenAlexClient({
    apiUrl,
    apiKey: TEST_API_KEY,
    mailto: "live@peerlink.test",
    meter: usage.meter,
    observeAllowance: usage.observe,
    maxRetries: 2,
    baseDelayMs: 1,
    timeoutMs: 2000,
    sleep: async () => {},
  });
  const directory = new OpenAlexDirectory({ db: core.db, clock, client, cache, usage }, options.directory);
  const live = new LiveLookup(
    core.db,
    clock,
    directory,
    () => options.queue,
    { error: () => {} },
    { staleAfterMs: options.staleAfterMs ?? 7 * 86_400_000 },
  );
  return { live, directory, usage, cache };
}

/**
 * Imports through the real BullMQ producer and worker, held at the gate until `release()`: the
 * first card is then shown, deterministically, while its counts are still arriving.
 */
export function gatedImports(producer: ImportQueue) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const queued: number[] = [];
  const queue: ImportQueue = {
    async enqueueImport(researcherId) {
      queued.push(researcherId);
      void gate.then(() => producer.enqueueImport(researcherId));
    },
  };
  return { queue, queued, release: () => open() };
}
