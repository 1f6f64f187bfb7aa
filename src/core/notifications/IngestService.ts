// New-paper ingest: asks the scholarly source for works of every followed or subscribed researcher
// since that researcher was last checked, stores them and fans them out. Crash-safe by order:
// deliveries are written before worksCheckedAt moves, and re-reading the same window writes nothing
// new (deliveries are unique per recipient and work).
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { CHAT_ONLY, type Reach } from "./destinations.js";
import { FanOut, type QueuedDelivery } from "./FanOut.js";
import type { ScholarlySource } from "./ScholarlySource.js";
import { WorkStore } from "./WorkStore.js";

export interface IngestResult {
  researchersChecked: number;
  worksSeen: number;
  deliveriesCreated: number;
  /** deliveries to enqueue for sending now */
  instant: QueuedDelivery[];
}

type Tracked = { id: number; openalexId: string; since: Date };

const DAY_MS = 86_400_000;

export class IngestService {
  private readonly works: WorkStore;
  private readonly fanOut: FanOut;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    reach: Reach = CHAT_ONLY,
  ) {
    this.works = new WorkStore(db, clock);
    this.fanOut = new FanOut(db, reach);
  }

  /**
   * One ingest pass. `onDeliveries` is called after each page's fan-out so sending can start while
   * later pages are still being read.
   */
  async run(source: ScholarlySource, onDeliveries?: (instant: QueuedDelivery[]) => Promise<void>): Promise<IngestResult> {
    const startedAt = this.clock.now();
    const result: IngestResult = { researchersChecked: 0, worksSeen: 0, deliveriesCreated: 0, instant: [] };
    for (const [sinceDay, group] of groupBySinceDay(await this.tracked())) {
      const ids = group.map((r) => r.openalexId);
      for await (const page of source.worksOfAuthorsSince(ids, sinceDay)) {
        const workIds: number[] = [];
        for (const work of page) workIds.push(await this.works.save(work));
        result.worksSeen += page.length;
        const fanned = await this.fanOut.fanOut(workIds, this.clock.now(), onDeliveries);
        result.deliveriesCreated += fanned.created;
        result.instant.push(...fanned.instant);
      }
      // Only after every page of the window is stored and fanned out: a crash before this re-reads it.
      await this.db.researcher.updateMany({ where: { id: { in: group.map((r) => r.id) } }, data: { worksCheckedAt: startedAt } });
      result.researchersChecked += group.length;
    }
    return result;
  }

  /**
   * Researchers someone follows (unmuted or not: muting is decided per recipient) or a channel
   * subscribes to, with the day to ask from: the last check, else when they were first followed.
   */
  private async tracked(): Promise<Tracked[]> {
    return this.db.$queryRaw<Tracked[]>`
      SELECT r.id, r.openalex_id AS "openalexId",
             COALESCE(r.works_checked_at, LEAST(
               (SELECT min(created_at) FROM follow f WHERE f.researcher_id = r.id),
               (SELECT min(created_at) FROM channel_subscription s WHERE s.researcher_id = r.id))) AS since
      FROM researcher r
      WHERE r.openalex_id ~ '^A[0-9]+$'
        AND (EXISTS (SELECT 1 FROM follow f WHERE f.researcher_id = r.id)
          OR EXISTS (SELECT 1 FROM channel_subscription s WHERE s.researcher_id = r.id))
      ORDER BY r.id`;
  }
}

/**
 * OpenAlex's from_created_date is a day, so researchers checked on the same day share requests.
 * The day before the last check is asked for too: a work listed late on that day may have been
 * missed by a check that ran earlier the same day in another timezone of the source's clock.
 */
export function groupBySinceDay(tracked: Tracked[]): Map<string, Tracked[]> {
  const groups = new Map<string, Tracked[]>();
  for (const r of tracked) {
    const day = new Date(r.since.getTime() - DAY_MS).toISOString().slice(0, 10);
    const group = groups.get(day);
    if (group) group.push(r);
    else groups.set(day, [r]);
  }
  return groups;
}
