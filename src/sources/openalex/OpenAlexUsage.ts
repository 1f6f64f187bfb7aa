// OpenAlex's daily allowance, kept in Postgres so every process shares it: each request is counted
// per UTC day (of the injected clock) and price class before it is sent, and a paid one that would
// go past the budget is refused instead.
import type { Clock } from "../../core/context.js";
import { ScholarlyDirectoryError, type DirectoryUsage } from "../../core/search/ScholarlyDirectory.js";
import type { Db } from "../../db/client.js";
import type { PriceClass, UpstreamAllowance } from "./client.js";

/** The latest allowance OpenAlex reported, with when; kept in openalex_cache so every process sees it. */
interface AllowanceReading extends UpstreamAllowance {
  day: string;
  seenAt: string;
}
const allowanceKey = (day: string) => `allowance:${day}`;

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
  /** What OpenAlex last reported to this process. */
  private latest: AllowanceReading | undefined;
  private saving: Promise<void> | undefined;
  private unsaved = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: UsageSettings,
  ) {}

  /**
   * The OpenAlexClient `observeAllowance`: remembers what OpenAlex's rate-limit headers said. The key's
   * allowance may be shared with other programs, so the meter also refuses a paid request OpenAlex
   * says it cannot afford, without sending it. Saved behind the request, latest reading wins.
   */
  readonly observe = (allowance: UpstreamAllowance): void => {
    const now = this.clock.now();
    this.latest = { ...allowance, day: now.toISOString().slice(0, 10), seenAt: now.toISOString() };
    this.unsaved = true;
    this.saving ??= this.save().finally(() => (this.saving = undefined));
  };

  private async save(): Promise<void> {
    while (this.unsaved && this.latest) {
      this.unsaved = false;
      const reading = this.latest;
      const body = JSON.stringify(reading);
      await this.db.$executeRaw`
        INSERT INTO openalex_cache (key, body, fetched_at) VALUES (${allowanceKey(reading.day)}, ${body}::jsonb, ${new Date(reading.seenAt)})
        ON CONFLICT (key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at
        WHERE openalex_cache.fetched_at <= excluded.fetched_at`.catch(() => {
        // Only a report: the next answer's headers say it again.
      });
    }
  }

  /** Resolves once the latest reading is saved (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.saving) await this.saving;
  }

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
    const upstream = this.latest;
    if (upstream && upstream.day === day && upstream.remainingUsd + 1e-9 < cost) {
      throw new ScholarlyDirectoryError(
        "budget",
        `OpenAlex reports $${upstream.remainingUsd.toFixed(4)} left of this API key's $${upstream.limitUsd.toFixed(2)} for ${day} (UTC).`,
      );
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
    const upstream = await this.upstream(day);
    return {
      day,
      requests,
      spentUsdByKind,
      spentUsd,
      budgetUsd: this.settings.dailyBudgetUsd,
      keyed: this.settings.keyed,
      ...(upstream && { upstream: { limitUsd: upstream.limitUsd, remainingUsd: upstream.remainingUsd, seenAt: new Date(upstream.seenAt) } }),
    };
  }

  /** The day's latest reading: this process's, or the one another process saved. */
  private async upstream(day: string): Promise<AllowanceReading | undefined> {
    if (this.latest?.day === day) return this.latest;
    const row = await this.db.openAlexCache.findUnique({ where: { key: allowanceKey(day) } });
    return row ? (row.body as unknown as AllowanceReading) : undefined;
  }

  /** Drops the daily counts of days more than KEEP_USAGE_DAYS before today (housekeeping). */
  async purge(): Promise<number> {
    const oldest = new Date(this.clock.now().getTime() - KEEP_USAGE_DAYS * 86_400_000).toISOString().slice(0, 10);
    return this.db.$executeRaw`DELETE FROM openalex_usage WHERE day < ${oldest}::date`;
  }
}
