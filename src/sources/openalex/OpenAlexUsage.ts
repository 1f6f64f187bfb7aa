// OpenAlex's daily allowance, kept in Postgres so every process shares it: each request is counted
// per UTC day (of the injected clock) and price class before it is sent, and a paid one that would
// go past the budget is refused instead.
import type { Clock } from "../../core/context.js";
import { ScholarlyDirectoryError, type DirectoryUsage } from "../../core/search/ScholarlyDirectory.js";
import type { Db } from "../../db/client.js";
import type { PriceClass } from "./client.js";

/** Documented prices (developers.openalex.org, Authentication & Pricing), in dollars per request. */
export const PRICE_USD: Record<PriceClass, number> = { singleton: 0, list: 0.1 / 1000, search: 1 / 1000 };

/** Daily usage rows are kept this long, for questions about past spend; then removed. */
export const KEEP_USAGE_DAYS = 90;

export interface UsageSettings {
  /** dollars a day (a free key's allowance is $1) */
  dailyBudgetUsd: number;
  keyed: boolean;
}

export class OpenAlexUsage {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: UsageSettings,
  ) {}

  /** The UTC day requests are counted on. */
  day(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  /** The OpenAlexClient `meter`: refuses a paid request past the budget, else counts it. */
  readonly meter = async (price: PriceClass): Promise<void> => {
    const day = this.day();
    const cost = PRICE_USD[price];
    if (cost === 0) {
      await this.db.$executeRaw`
        INSERT INTO openalex_usage (day, kind, requests) VALUES (${day}::date, ${price}, 1)
        ON CONFLICT (day, kind) DO UPDATE SET requests = openalex_usage.requests + 1`;
      return;
    }
    // Checked and counted in one statement: a paid request is what the first card waits on.
    // A little slack for floating point: a budget of $1 allows exactly 1,000 searches.
    const counted = await this.db.$executeRaw`
      INSERT INTO openalex_usage (day, kind, requests)
      SELECT ${day}::date, ${price}, 1
      WHERE (SELECT coalesce(sum(requests * CASE kind WHEN 'list' THEN ${PRICE_USD.list}::float8 WHEN 'search' THEN ${PRICE_USD.search}::float8 ELSE 0 END), 0)
             FROM openalex_usage WHERE day = ${day}::date) + ${cost}::float8 <= ${this.settings.dailyBudgetUsd + 1e-9}::float8
      ON CONFLICT (day, kind) DO UPDATE SET requests = openalex_usage.requests + 1`;
    if (counted === 0) {
      const { spentUsd } = await this.today(day);
      throw new ScholarlyDirectoryError(
        "budget",
        `Today's OpenAlex budget ($${this.settings.dailyBudgetUsd.toFixed(2)}) is spent: $${spentUsd.toFixed(4)} used on ${day} (UTC).`,
      );
    }
  };

  async today(day = this.day()): Promise<DirectoryUsage> {
    const rows = await this.db.$queryRaw<{ kind: string; requests: number }[]>`
      SELECT kind, requests FROM openalex_usage WHERE day = ${day}::date`;
    const requests: Record<string, number> = { singleton: 0, list: 0, search: 0 };
    const spentUsdByKind: Record<string, number> = { singleton: 0, list: 0, search: 0 };
    let spentUsd = 0;
    for (const r of rows) {
      requests[r.kind] = r.requests;
      spentUsdByKind[r.kind] = (PRICE_USD[r.kind as PriceClass] ?? 0) * r.requests;
      spentUsd += spentUsdByKind[r.kind]!;
    }
    return { day, requests, spentUsdByKind, spentUsd, budgetUsd: this.settings.dailyBudgetUsd, keyed: this.settings.keyed };
  }

  /** Drops the daily counts of days more than KEEP_USAGE_DAYS before today (housekeeping). */
  async purge(): Promise<number> {
    const oldest = new Date(this.clock.now().getTime() - KEEP_USAGE_DAYS * 86_400_000).toISOString().slice(0, 10);
    return this.db.$executeRaw`DELETE FROM openalex_usage WHERE day < ${oldest}::date`;
  }
}
