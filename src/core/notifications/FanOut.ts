// Fan-out: turns new works into one delivery row per (recipient, work), in one statement. The row
// is written before anything is queued, and its unique key (recipient_key, work_id) is what makes
// a second notification impossible, however often ingest runs.
import type { Db } from "../../db/client.js";
import { CHAT_ONLY, type Reach } from "./destinations.js";

/** Platforms that can receive notifications; the console only where its shell runs (see Reach). */
export type DeliveryPlatform = "slack" | "discord" | "console";

/** A delivery ready to be sent one by one (not held for a digest, not skipped). */
export interface QueuedDelivery {
  id: string;
  platform: DeliveryPlatform;
}

export interface FanOutResult {
  /** rows written by this call (earlier runs' rows are not counted again) */
  created: number;
  /** to be sent now, one message each */
  instant: QueuedDelivery[];
  /** held for the recipient's daily/weekly digest */
  digest: number;
  /** written as skipped: recipient muted the authors, is snoozed, or has no identity that can be reached */
  skipped: number;
}

/** account ids per fan-out statement */
const FOLLOWER_SLICE = 10_000;

type Row = { created: number; digest: number; skipped: number; slack: string; discord: string; console: string };

export class FanOut {
  constructor(
    private readonly db: Db,
    private readonly reach: Reach = CHAT_ONLY,
  ) {}

  /**
   * Writes deliveries of `workIds` to every account following one of their authors and every channel
   * subscribed to one. A recipient who muted (all followed authors of the work) or is snoozed gets a
   * `skipped` row: the work stays unsent even if a later ingest sees it again after unmute or snooze end.
   * `now` decides snoozes and stamps the rows (digests are cut by it).
   */
  async fanOut(workIds: number[], now: Date, onBatch?: (instant: QueuedDelivery[]) => Promise<void>): Promise<FanOutResult> {
    const total: FanOutResult = { created: 0, instant: [], digest: 0, skipped: 0 };
    if (workIds.length === 0) return total;
    const [range] = await this.db.$queryRaw<{ max: number | null }[]>`
      SELECT max(f.account_id) AS max FROM follow f
      WHERE f.researcher_id IN (SELECT researcher_id FROM authorship WHERE work_id = ANY(${workIds}::int[]))`;
    const maxAccount = range?.max ?? 0;
    // Followers in account-id slices, so a big fan-out enqueues one slice while Postgres writes the next.
    let pending: Promise<void> = Promise.resolve();
    for (let from = 0, first = true; first || from < maxAccount; from += FOLLOWER_SLICE, first = false) {
      const batch = await this.fanOutSlice(workIds, now, from, from + FOLLOWER_SLICE, first);
      await pending;
      total.created += batch.created;
      total.digest += batch.digest;
      total.skipped += batch.skipped;
      total.instant.push(...batch.instant);
      if (onBatch && batch.instant.length) {
        pending = onBatch(batch.instant);
        pending.catch(() => {}); // awaited (and thrown) on the next turn; this only keeps Node from calling it unhandled
      }
    }
    await pending;
    return total;
  }

  /** Deliveries for followers with account ids in (after, upto], plus channels when asked. */
  private async fanOutSlice(workIds: number[], now: Date, after: number, upto: number, withChannels: boolean): Promise<FanOutResult> {
    const rows = await this.db.$queryRaw<Row[]>`
      WITH authors AS (
        SELECT work_id, researcher_id FROM authorship WHERE work_id = ANY(${workIds}::int[])
      ),
      followers AS (
        SELECT a.work_id, f.account_id, bool_and(f.muted) AS muted
        FROM authors a JOIN follow f ON f.researcher_id = a.researcher_id
        WHERE f.account_id > ${after} AND f.account_id <= ${upto}
        GROUP BY a.work_id, f.account_id
      ),
      recipients AS (
        SELECT 'account:' || acc.id AS recipient_key, acc.id AS account_id, fo.work_id,
               dest.platform::text AS platform,
               acc.digest_mode <> 'instant' AS digest,
               CASE WHEN fo.muted THEN 'muted'
                    WHEN dest.platform IS NULL THEN 'no Slack or Discord identity to notify'
                    WHEN acc.snoozed_until > ${now} THEN 'snoozed' END AS skip_reason
        FROM followers fo
        JOIN account acc ON acc.id = fo.account_id
        LEFT JOIN LATERAL (
          SELECT ci.platform FROM chat_identity ci
          WHERE ci.account_id = acc.id AND (ci.platform <> 'console' OR ${this.reach.console})
          ORDER BY (ci.id = acc.notify_identity_id) DESC, (ci.platform <> 'console') DESC, ci.last_seen_at DESC, ci.id DESC
          LIMIT 1
        ) dest ON true
        UNION ALL
        SELECT DISTINCT 'channel:' || s.platform || ':' || s.tenant_id || ':' || s.channel_id, NULL::int, a.work_id,
               s.platform::text, false, NULL
        FROM authors a JOIN channel_subscription s ON s.researcher_id = a.researcher_id
        WHERE s.platform <> 'console' AND ${withChannels}
      ),
      inserted AS (
        INSERT INTO notification_delivery (recipient_key, account_id, work_id, status, digest, last_error, created_at)
        SELECT recipient_key, account_id, work_id,
               (CASE WHEN skip_reason IS NULL THEN 'pending' ELSE 'skipped' END)::"DeliveryStatus",
               digest, skip_reason, ${now}
        FROM recipients
        ON CONFLICT (recipient_key, work_id) DO NOTHING
        RETURNING id, recipient_key, work_id, status, digest
      ),
      written AS (
        SELECT i.id, r.platform, i.digest, i.status
        FROM inserted i JOIN recipients r ON r.recipient_key = i.recipient_key AND r.work_id = i.work_id
      )
      -- One row back, ids as text lists: reading 100,000 rows one by one costs more than writing them.
      SELECT count(*)::int AS created,
             (count(*) FILTER (WHERE status = 'pending' AND digest))::int AS digest,
             (count(*) FILTER (WHERE status = 'skipped'))::int AS skipped,
             coalesce(string_agg(id::text, ',' ORDER BY id) FILTER (WHERE status = 'pending' AND NOT digest AND platform = 'slack'), '') AS slack,
             coalesce(string_agg(id::text, ',' ORDER BY id) FILTER (WHERE status = 'pending' AND NOT digest AND platform = 'discord'), '') AS discord,
             coalesce(string_agg(id::text, ',' ORDER BY id) FILTER (WHERE status = 'pending' AND NOT digest AND platform = 'console'), '') AS console
      FROM written`;
    const row = rows[0] ?? { created: 0, digest: 0, skipped: 0, slack: "", discord: "", console: "" };
    const ids = (list: string, platform: DeliveryPlatform): QueuedDelivery[] => (list ? list.split(",").map((id) => ({ id, platform })) : []);
    return {
      created: row.created,
      digest: row.digest,
      skipped: row.skipped,
      instant: [...ids(row.slack, "slack"), ...ids(row.discord, "discord"), ...ids(row.console, "console")],
    };
  }
}
