// Answers from OpenAlex kept in Postgres for a while, shared by every process: a search repeated
// within the TTL (same normalised query) costs nothing and sends nothing.
import type { Clock } from "../../core/context.js";
import type { Db, Prisma } from "../../db/client.js";

export class OpenAlexCache {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get<T>(key: string, ttlMs: number): Promise<T | undefined> {
    const since = new Date(this.clock.now().getTime() - ttlMs);
    const row = await this.db.openAlexCache.findFirst({ where: { key, fetchedAt: { gte: since } }, select: { body: true } });
    return row ? (row.body as T) : undefined;
  }

  async put(key: string, body: unknown): Promise<void> {
    const fetchedAt = this.clock.now();
    const json = body as Prisma.InputJsonValue;
    await this.db.openAlexCache.upsert({ where: { key }, create: { key, body: json, fetchedAt }, update: { body: json, fetchedAt } });
  }

  /** Drops entries older than `ttlMs` (housekeeping). */
  async purge(ttlMs: number): Promise<number> {
    const before = new Date(this.clock.now().getTime() - ttlMs);
    return (await this.db.openAlexCache.deleteMany({ where: { fetchedAt: { lt: before } } })).count;
  }
}
