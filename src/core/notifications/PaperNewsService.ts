// Paper threads: a channel's post about a new paper is the parent of that paper's thread, and later
// news about the paper goes there: its published version after a preprint, a retraction, citation
// milestones. `check` asks the source about works posted in a channel lately and writes one
// paper_news row per (channel post, news key) in the same transaction that stores what the source
// said, so a rerun finds nothing new and a crash between the two loses nothing. `sendPending`
// claims rows pending → sending under a lease (as DeliveryService does) and posts each in its thread.
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { type Messengers, PermanentDeliveryError, RateLimitedError } from "../ports.js";
import { type Notice, notice } from "../reply.js";
import { DEFAULT_SENDING_LEASE_MS } from "./DeliveryService.js";
import { channelDestination } from "./destinations.js";
import type { WorkStatus, WorkStatusSource } from "./WorkStatusSource.js";

/** Works posted in a channel within this many days are checked for news. */
export const NEWS_WINDOW_DAYS = 90;
/** A work is asked about at most once in this long. */
export const NEWS_CHECK_INTERVAL_MS = 24 * 3_600_000;
/** Works asked about per run; the rest wait for the next run (oldest check first). */
export const NEWS_WORKS_PER_RUN = 500;
/** Citation counts worth a message; when several are passed at once, only the highest is said. */
export const CITATION_MILESTONES = [1, 10, 50, 100, 500, 1000, 5000];
/** Tries before a thread post is marked failed. */
export const NEWS_ATTEMPTS = 5;

const DAY_MS = 86_400_000;

export interface PaperNewsResult {
  worksChecked: number;
  /** paper_news rows written by this run */
  news: number;
  sent: number;
  failed: number;
  /** left pending for the next run (a rate limit, a transient failure) */
  deferred: number;
}

type Checked = {
  id: number;
  openalex_id: string;
  type: string;
  venue: string | null;
  is_retracted: boolean;
  cited_by_count: number;
  news_checked_at: Date | null;
};
type Claimed = {
  id: bigint;
  news_key: string;
  detail: string;
  attempts: number;
  recipient_key: string;
  message_ref: string;
  title: string;
  also_in_channel: boolean;
};

export interface NewsItem {
  key: string;
  detail: string;
}

/** What changed between what Peerlink stored and what the source says now. */
export function newsOf(stored: Checked, now: WorkStatus): NewsItem[] {
  const news: NewsItem[] = [];
  if (stored.type === "preprint" && (now.type !== "preprint" || now.published)) news.push({ key: "published", detail: now.venue ?? "" });
  if (!stored.is_retracted && now.isRetracted) news.push({ key: "retracted", detail: "" });
  // The first check only learns the count: citations a paper had when it was posted are not news.
  if (stored.news_checked_at !== null) {
    const passed = CITATION_MILESTONES.filter((m) => stored.cited_by_count < m && now.citedByCount >= m).at(-1);
    if (passed !== undefined) news.push({ key: `cited:${passed}`, detail: String(now.citedByCount) });
  }
  return news;
}

/** The thread post for one piece of news. */
export function newsMessage(key: string, detail: string, title: string): Notice {
  if (key === "published") {
    return notice("success", detail ? `Published: “${title}” is out in ${detail}.` : `Published: “${title}” now has its version of record.`);
  }
  if (key === "retracted") return notice("warning", `Retracted: OpenAlex marks “${title}” as retracted.`);
  const count = Number(detail);
  return notice("info", count === 1 ? `First citation: “${title}” has been cited.` : `“${title}” now has ${count} citations (OpenAlex).`);
}

export class PaperNewsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly leaseMs = DEFAULT_SENDING_LEASE_MS,
  ) {}

  /** Checks the works due and sends every pending thread post. */
  async run(source: WorkStatusSource, messengers: Messengers): Promise<PaperNewsResult> {
    const checked = await this.check(source);
    const sent = await this.sendPending(messengers);
    return { ...checked, ...sent };
  }

  async check(source: WorkStatusSource): Promise<{ worksChecked: number; news: number }> {
    const now = this.clock.now();
    const due = await this.db.$queryRaw<Checked[]>`
      SELECT w.id, w.openalex_id, w.type, w.venue, w.is_retracted, w.cited_by_count, w.news_checked_at
      FROM work w
      WHERE w.openalex_id IS NOT NULL
        AND (w.news_checked_at IS NULL OR w.news_checked_at <= ${new Date(now.getTime() - NEWS_CHECK_INTERVAL_MS)})
        AND EXISTS (SELECT 1 FROM notification_delivery d
                    WHERE d.work_id = w.id AND d.account_id IS NULL AND d.status = 'sent' AND d.message_ref IS NOT NULL
                      AND d.sent_at > ${new Date(now.getTime() - NEWS_WINDOW_DAYS * DAY_MS)})
      ORDER BY w.news_checked_at NULLS FIRST, w.id
      LIMIT ${NEWS_WORKS_PER_RUN}`;
    if (due.length === 0) return { worksChecked: 0, news: 0 };
    const statuses = new Map((await source.statusOf(due.map((w) => w.openalex_id))).map((s) => [s.sourceId, s]));
    let written = 0;
    for (const work of due) {
      const status = statusFor(work, statuses.get(work.openalex_id));
      const news = newsOf(work, status);
      const [, ...inserted] = await this.db.$transaction([
        this.db.$executeRaw`
          UPDATE work SET type = ${status.type}, venue = ${status.venue ?? work.venue}, is_retracted = ${status.isRetracted},
                          cited_by_count = ${status.citedByCount}, news_checked_at = ${now}
          WHERE id = ${work.id}`,
        ...news.map(
          (n) => this.db.$executeRaw`
            INSERT INTO paper_news (delivery_id, news_key, detail, created_at)
            SELECT d.id, ${n.key}, ${n.detail}, ${now}
            FROM notification_delivery d
            WHERE d.work_id = ${work.id} AND d.account_id IS NULL AND d.status = 'sent' AND d.message_ref IS NOT NULL
            ON CONFLICT (delivery_id, news_key) DO NOTHING`,
        ),
      ]);
      written += inserted.reduce((a, b) => a + b, 0);
    }
    return { worksChecked: due.length, news: written };
  }

  async sendPending(messengers: Messengers): Promise<{ sent: number; failed: number; deferred: number }> {
    const result = { sent: 0, failed: 0, deferred: 0 };
    const rows = await this.claim();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const outcome = await this.sendOne(row, messengers);
      if (outcome !== "rate_limited") {
        result[outcome]++;
        continue;
      }
      // The platform said slow down: the rest wait for the next run rather than hammer it.
      for (const rest of rows.slice(i)) if (rest !== row) await this.finish(rest.id, "pending", "waiting after a rate limit");
      result.deferred += rows.length - i;
      break;
    }
    return result;
  }

  private async sendOne(row: Claimed, messengers: Messengers): Promise<"sent" | "failed" | "deferred" | "rate_limited"> {
    const destination = channelDestination(row.recipient_key);
    if ("skip" in destination) {
      await this.finish(row.id, "failed", destination.skip);
      return "failed";
    }
    const messenger = messengers[destination.platform];
    if (!messenger) {
      await this.finish(row.id, "pending", `no ${destination.platform} messenger here`);
      return "deferred";
    }
    try {
      const sent = await messenger.send(
        { ...destination, thread: { parentRef: row.message_ref, name: row.title, alsoInChannel: row.also_in_channel } },
        newsMessage(row.news_key, row.detail, row.title),
      );
      await this.db.$executeRaw`
        UPDATE paper_news SET status = 'sent', sent_at = ${this.clock.now()}, message_ref = ${sent.messageRef}, last_error = NULL
        WHERE id = ${row.id} AND status = 'sending'`;
      return "sent";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitedError) {
        await this.finish(row.id, "pending", message);
        return "rate_limited";
      }
      const permanent = error instanceof PermanentDeliveryError || row.attempts >= NEWS_ATTEMPTS;
      await this.finish(row.id, permanent ? "failed" : "pending", message);
      return permanent ? "failed" : "deferred";
    }
  }

  /** Pending rows (and ones whose claim outlived its lease), pending → sending, with what their post needs. */
  private async claim(): Promise<Claimed[]> {
    const now = this.clock.now();
    return this.db.$queryRaw<Claimed[]>`
      WITH claimed AS (
        UPDATE paper_news n SET status = 'sending', claimed_at = ${now}, attempts = attempts + 1
        WHERE n.id IN (
          SELECT id FROM paper_news
          WHERE status = 'pending' OR (status = 'sending' AND claimed_at < ${new Date(now.getTime() - this.leaseMs)})
          ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.delivery_id, n.news_key, n.detail, n.attempts
      )
      SELECT c.id, c.news_key, c.detail, c.attempts, d.recipient_key, d.message_ref, w.title,
             coalesce(cs.thread_replies_in_channel, false) AS also_in_channel
      FROM claimed c
      JOIN notification_delivery d ON d.id = c.delivery_id
      JOIN work w ON w.id = d.work_id
      LEFT JOIN channel_setting cs
        ON 'channel:' || cs.platform || ':' || cs.tenant_id || ':' || cs.channel_id = d.recipient_key
      ORDER BY c.id`;
  }

  private async finish(id: bigint, status: "pending" | "failed", error: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE paper_news SET status = ${status}::"DeliveryStatus", claimed_at = NULL, last_error = ${error.slice(0, 1000)}
      WHERE id = ${id} AND status = 'sending'`;
  }
}

/** A work the source no longer lists keeps what was stored (and is not asked again until the next interval). */
function statusFor(work: Checked, status: WorkStatus | undefined): WorkStatus {
  return (
    status ?? {
      sourceId: work.openalex_id,
      type: work.type,
      venue: work.venue,
      published: false,
      isRetracted: work.is_retracted,
      citedByCount: work.cited_by_count,
    }
  );
}
