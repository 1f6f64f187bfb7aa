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

/** A work that matched a followed topic, institution, search or citations (alert_target id). */
export interface AlertMatch {
  workId: number;
  targetId: number;
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
   * subscribed to one, and of `matches` (works that matched a followed topic, institution, search or
   * citations) to the accounts and channels following those. One row per (recipient, work) carries
   * every reason; a row still pending when another reason turns up gets that reason added. Filters
   * and "Not relevant" mutes drop a reason; a recipient left with none gets no row. A recipient who
   * muted every reason or is snoozed gets a `skipped` row: the work stays unsent even if a later
   * ingest sees it again. `now` decides snoozes and stamps the rows (digests are cut by it).
   */
  async fanOut(
    workIds: number[],
    now: Date,
    onBatch?: (instant: QueuedDelivery[]) => Promise<void>,
    matches: AlertMatch[] = [],
  ): Promise<FanOutResult> {
    const total: FanOutResult = { created: 0, instant: [], digest: 0, skipped: 0 };
    if (workIds.length === 0 && matches.length === 0) return total;
    const pairs = { works: matches.map((m) => m.workId), targets: matches.map((m) => m.targetId) };
    const [range] = await this.db.$queryRaw<{ max: number | null }[]>`
      SELECT greatest(
        (SELECT max(f.account_id) FROM follow f
         WHERE f.researcher_id IN (SELECT researcher_id FROM authorship WHERE work_id = ANY(${workIds}::int[]))),
        (SELECT max(al.account_id) FROM alert al WHERE al.target_id = ANY(${pairs.targets}::int[]))) AS max`;
    const maxAccount = range?.max ?? 0;
    // Followers in account-id slices, so a big fan-out enqueues one slice while Postgres writes the next.
    let pending: Promise<void> = Promise.resolve();
    for (let from = 0, first = true; first || from < maxAccount; from += FOLLOWER_SLICE, first = false) {
      const batch = await this.fanOutSlice(workIds, pairs, now, from, from + FOLLOWER_SLICE, first);
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
  private async fanOutSlice(
    workIds: number[],
    pairs: { works: number[]; targets: number[] },
    now: Date,
    after: number,
    upto: number,
    withChannels: boolean,
  ): Promise<FanOutResult> {
    const rows = await this.db.$queryRaw<Row[]>`
      WITH authors AS (
        SELECT work_id, researcher_id FROM authorship WHERE work_id = ANY(${workIds}::int[])
      ),
      matches AS (
        SELECT a.work_id, 'account:' || f.account_id AS recipient_key, f.account_id, f.muted, f.filters,
               f.frequency::text AS frequency, f.created_at, 'researcher:' || f.researcher_id AS reason_key,
               jsonb_build_object('kind', 'researcher', 'id', f.researcher_id, 'label', r.display_name) AS reason
        FROM authors a JOIN follow f ON f.researcher_id = a.researcher_id JOIN researcher r ON r.id = a.researcher_id
        WHERE f.account_id > ${after} AND f.account_id <= ${upto}
        UNION ALL
        SELECT a.work_id, 'channel:' || s.platform || ':' || s.tenant_id || ':' || s.channel_id, NULL::int, false, s.filters,
               'instant', s.created_at, 'researcher:' || s.researcher_id,
               jsonb_build_object('kind', 'researcher', 'id', s.researcher_id, 'label', r.display_name)
        FROM authors a JOIN channel_subscription s ON s.researcher_id = a.researcher_id JOIN researcher r ON r.id = a.researcher_id
        WHERE s.platform <> 'console' AND ${withChannels}
        UNION ALL
        SELECT p.work_id, al.recipient_key, al.account_id, al.muted, al.filters,
               CASE WHEN al.account_id IS NULL THEN 'instant' ELSE al.frequency::text END, al.created_at, 'alert:' || al.id,
               jsonb_build_object('kind', t.kind::text, 'id', al.id, 'label', t.label,
                                  'own', t.kind = 'citations' AND al.account_id IS NOT NULL AND tr.claimed_by_account_id = al.account_id)
        FROM unnest(${pairs.works}::int[], ${pairs.targets}::int[]) AS p(work_id, target_id)
        JOIN alert al ON al.target_id = p.target_id
        JOIN alert_target t ON t.id = p.target_id
        LEFT JOIN researcher tr ON tr.id = t.researcher_id
        WHERE (al.account_id > ${after} AND al.account_id <= ${upto})
           OR (al.account_id IS NULL AND ${withChannels} AND al.recipient_key NOT LIKE 'channel:console:%')
      ),
      kept AS (
        -- Only works the source first listed after the follow began (a day's slack for its clock),
        -- that pass the follow's filters and that "Not relevant" has not muted for this reason.
        SELECT m.* FROM matches m JOIN work w ON w.id = m.work_id
        WHERE coalesce(w.source_created_at, w.created_at) >= m.created_at - interval '1 day'
          AND (m.filters IS NULL OR peerlink_work_passes(m.filters, m.work_id))
          AND NOT EXISTS (
            SELECT 1 FROM feedback_mute fm
            WHERE fm.recipient_key = m.recipient_key AND fm.reason_key = m.reason_key
              AND (fm.venue = w.venue OR EXISTS (SELECT 1 FROM authorship x WHERE x.work_id = m.work_id AND x.researcher_id = fm.researcher_id)))
      ),
      grouped AS (
        SELECT recipient_key, work_id, min(account_id) AS account_id, bool_and(muted) AS muted,
               coalesce(jsonb_agg(DISTINCT reason) FILTER (WHERE NOT muted), jsonb_agg(DISTINCT reason)) AS reasons,
               min(CASE frequency WHEN 'instant' THEN 0 WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 END) AS chosen,
               bool_or(frequency IS NULL) AS account_default
        FROM kept GROUP BY recipient_key, work_id
      ),
      recipients AS (
        SELECT g.recipient_key, g.account_id, g.work_id, g.reasons,
               CASE WHEN g.account_id IS NULL THEN split_part(g.recipient_key, ':', 2) ELSE dest.platform::text END AS platform,
               coalesce((ARRAY['instant', 'daily', 'weekly', 'monthly'])[1 + least(g.chosen, CASE WHEN g.account_default THEN
                 CASE acc.digest_mode WHEN 'instant' THEN 0 WHEN 'daily' THEN 1 ELSE 2 END END)], 'instant') AS cadence,
               CASE WHEN g.account_id IS NULL THEN NULL
                    WHEN g.muted THEN 'muted'
                    WHEN dest.platform IS NULL THEN 'no Slack or Discord identity to notify'
                    WHEN acc.snoozed_until > ${now} THEN 'snoozed' END AS skip_reason
        FROM grouped g
        LEFT JOIN account acc ON acc.id = g.account_id
        LEFT JOIN LATERAL (
          SELECT ci.platform FROM chat_identity ci
          WHERE ci.account_id = acc.id AND (ci.platform <> 'console' OR ${this.reach.console})
          ORDER BY (ci.id = acc.notify_identity_id) DESC, (ci.platform <> 'console') DESC, ci.last_seen_at DESC, ci.id DESC
          LIMIT 1
        ) dest ON true
      ),
      inserted AS (
        INSERT INTO notification_delivery AS d (recipient_key, account_id, work_id, status, digest, cadence, reasons, last_error, created_at)
        SELECT recipient_key, account_id, work_id,
               (CASE WHEN skip_reason IS NULL THEN 'pending' ELSE 'skipped' END)::"DeliveryStatus",
               cadence <> 'instant', CASE WHEN cadence <> 'instant' THEN cadence::"AlertFrequency" END, reasons, skip_reason, ${now}
        FROM recipients
        ON CONFLICT (recipient_key, work_id) DO UPDATE
          SET reasons = (SELECT jsonb_agg(DISTINCT e) FROM jsonb_array_elements(coalesce(d.reasons, '[]'::jsonb) || excluded.reasons) e)
          WHERE d.status = 'pending' AND NOT (coalesce(d.reasons, '[]'::jsonb) @> excluded.reasons)
        RETURNING id, recipient_key, work_id, status, digest, (xmax = 0) AS fresh
      ),
      written AS (
        SELECT i.id, r.platform, i.digest, i.status
        FROM inserted i JOIN recipients r ON r.recipient_key = i.recipient_key AND r.work_id = i.work_id
        WHERE i.fresh
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
