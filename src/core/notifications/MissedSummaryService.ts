// The weekly "what you missed": papers your follows matched that never reached you one by one or in
// a digest — skipped because you were snoozed, or given up on because they could not be delivered.
// Digested and muted papers are not "missed" (the digest sent them; a mute is a choice). Sent once a
// week at the account's digest hour on Monday, covering everything since the previous summary's week
// (at most four weeks back), so a long snooze is summed up when it ends. The missed_summary row for
// (account, week) is written first and its key makes a second summary for that week impossible; a
// week with nothing missed is written with works = 0 and nothing is sent.
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { type Messengers, PermanentDeliveryError } from "../ports.js";
import { accountDestination, reachOf } from "./destinations.js";
import { latestDigestTime } from "./localTime.js";
import { loadNotifiedWorks } from "./loadNotifiedWorks.js";
import { digestItem, type Reason } from "./notificationMessage.js";
import type { List } from "../reply.js";

/** papers listed in the message; the rest are counted */
export const MISSED_WORKS_SHOWN = 10;
const DAY_MS = 86_400_000;
/** how far back a summary looks when there was none before (or long ago) */
const MAX_WEEKS_BACK = 4;

export interface MissedRunResult {
  /** summaries sent */
  sent: number;
  /** weeks decided with nothing missed (no message) */
  empty: number;
  errors: { accountId: number; error: string }[];
}

type Candidate = { id: number; digest_hour: number; timezone: string; last_week: Date | null };
type Missed = { work_id: number; reasons: Reason[] | null };

export class MissedSummaryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Decides every account's week that has ended and is not decided yet; safe to run as often as wanted. */
  async sendDue(messengers: Messengers): Promise<MissedRunResult> {
    const now = this.clock.now();
    const result: MissedRunResult = { sent: 0, empty: 0, errors: [] };
    // Accounts with the summary on and not snoozed now (a snoozed account's week waits for the snooze to end).
    const accounts = await this.db.$queryRaw<Candidate[]>`
      SELECT a.id, a.digest_hour, a.timezone, (SELECT max(m.week_start) FROM missed_summary m WHERE m.account_id = a.id) AS last_week
      FROM account a
      WHERE a.missed_summary AND (a.snoozed_until IS NULL OR a.snoozed_until <= ${now})
        AND EXISTS (SELECT 1 FROM chat_identity ci WHERE ci.account_id = a.id)`;
    for (const account of accounts) {
      const end = latestDigestTime(now, account.timezone, account.digest_hour, "weekly");
      const weekStart = new Date(end.getTime() - 7 * DAY_MS);
      const weekKey = weekStart.toISOString().slice(0, 10);
      if (account.last_week && account.last_week.toISOString().slice(0, 10) >= weekKey) continue;
      const previousEnd = account.last_week ? account.last_week.getTime() + 7 * DAY_MS : 0;
      const from = new Date(Math.max(previousEnd, end.getTime() - MAX_WEEKS_BACK * 7 * DAY_MS));
      try {
        const sent = await this.decide(account.id, weekKey, from, end, messengers);
        if (sent) result.sent++;
        else result.empty++;
      } catch (error) {
        result.errors.push({ accountId: account.id, error: (error as Error).message });
      }
    }
    return result;
  }

  /** Writes the week's row, then sends; false when nothing was missed (the row says so, nothing is sent). */
  private async decide(accountId: number, weekKey: string, from: Date, end: Date, messengers: Messengers): Promise<boolean> {
    const missed = await this.db.$queryRaw<Missed[]>`
      SELECT d.work_id, d.reasons FROM notification_delivery d
      WHERE d.account_id = ${accountId} AND d.created_at >= ${from} AND d.created_at < ${end}
        AND (d.status = 'failed' OR (d.status = 'skipped' AND d.last_error = 'snoozed'))
        AND NOT EXISTS (SELECT 1 FROM notification_delivery s WHERE s.account_id = d.account_id AND s.work_id = d.work_id AND s.status = 'sent')
      ORDER BY d.created_at DESC, d.id DESC`;
    const claimed = await this.db.$executeRaw`
      INSERT INTO missed_summary (account_id, week_start, works, sent_at)
      VALUES (${accountId}, ${weekKey}::date, ${missed.length}, ${this.clock.now()})
      ON CONFLICT DO NOTHING`;
    // Another process decided this week first: it sends (or skipped) it.
    if (claimed === 0 || missed.length === 0) return false;
    try {
      const destination = await accountDestination(this.db, accountId, this.clock.now(), reachOf(messengers));
      if ("skip" in destination) throw new PermanentDeliveryError(destination.skip);
      const messenger = messengers[destination.platform];
      if (!messenger) throw new PermanentDeliveryError(`no messenger for ${destination.platform}`);
      await messenger.send(destination, await this.summary(missed));
      return true;
    } catch (error) {
      // Only an outage gives the week back for the next run; a permanent failure keeps it decided.
      if (!(error instanceof PermanentDeliveryError))
        await this.db.$executeRaw`DELETE FROM missed_summary WHERE account_id = ${accountId} AND week_start = ${weekKey}::date`;
      throw error;
    }
  }

  private async summary(missed: Missed[]): Promise<List> {
    const shown = missed.slice(0, MISSED_WORKS_SHOWN);
    const works = await loadNotifiedWorks(
      this.db,
      shown.map((m) => m.work_id),
    );
    const items = shown.flatMap((m) => {
      const work = works.find((w) => w.id === m.work_id);
      return work ? [digestItem(work, new Set(), m.reasons ?? [])] : [];
    });
    const n = missed.length;
    const more = n - items.length;
    return {
      kind: "list",
      title: `What you missed: ${n} paper${n === 1 ? "" : "s"} your follows found that did not reach you`,
      intro: "While you were snoozed, or when a message could not be delivered.",
      items,
      footer: `${more > 0 ? `and ${more} more · ` : ""}/researcher digest missed off to stop this weekly summary`,
    };
  }
}
