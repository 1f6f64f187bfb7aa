// Digests: deliveries held for accounts that chose daily or weekly messages, sent as one list at
// the account's local hour. Each run sends, per account, every held delivery written before the
// latest digest time that has passed, so a missed or repeated hourly run neither loses nor repeats
// anything (rows are claimed pending → sending like single deliveries).
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { type Messengers, PermanentDeliveryError } from "../ports.js";
import { accountDestination, reachOf } from "./destinations.js";
import { latestDigestTime } from "./localTime.js";
import { loadNotifiedWorks } from "./loadNotifiedWorks.js";
import { digestItem, digestList, type NotifiedWork } from "./notificationMessage.js";
import { notificationPicture } from "./notificationPicture.js";
import type { Picture } from "../reply.js";
import { DEFAULT_SENDING_LEASE_MS } from "./DeliveryService.js";

/** works per digest message; more are split into parts */
export const DIGEST_WORKS_PER_MESSAGE = 20;

export interface DigestRunResult {
  accounts: number;
  messages: number;
  works: number;
  /** accounts whose digest could not be sent this time (kept for the next run, or failed for good) */
  errors: { accountId: number; error: string }[];
}

type Waiting = { account_id: number; digest_mode: "instant" | "daily" | "weekly"; digest_hour: number; timezone: string; snoozed_until: Date | null };

export class DigestService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly leaseMs = DEFAULT_SENDING_LEASE_MS,
  ) {}

  async sendDue(messengers: Messengers): Promise<DigestRunResult> {
    const now = this.clock.now();
    const result: DigestRunResult = { accounts: 0, messages: 0, works: 0, errors: [] };
    const waiting = await this.db.$queryRaw<Waiting[]>`
      SELECT a.id AS account_id, a.digest_mode::text AS digest_mode, a.digest_hour, a.timezone, a.snoozed_until
      FROM account a
      WHERE EXISTS (SELECT 1 FROM notification_delivery d WHERE d.account_id = a.id AND d.digest AND d.status IN ('pending', 'sending'))`;
    for (const account of waiting) {
      // Snoozed: the digest waits for the snooze to end rather than being lost.
      if (account.snoozed_until && account.snoozed_until > now) continue;
      // Someone who switched back to instant gets what was held at once, as one list.
      // Each held row waits for its own follow's frequency (cadence), or the account's digest when it has none.
      const at = (mode: "daily" | "weekly" | "monthly") => latestDigestTime(now, account.timezone, account.digest_hour, mode);
      const cutoffs = { instant: now, daily: at("daily"), weekly: at("weekly"), monthly: at("monthly") };
      const claimed = await this.claim(account.account_id, cutoffs, account.digest_mode);
      if (claimed.length === 0) continue;
      result.accounts++;
      try {
        const sent = await this.send(account, claimed, messengers);
        result.messages += sent;
        result.works += claimed.length;
      } catch (error) {
        const message = (error as Error).message;
        result.errors.push({ accountId: account.account_id, error: message });
        if (error instanceof PermanentDeliveryError) await this.finish(claimed, "failed", message);
        else await this.finish(claimed, "pending", message);
      }
    }
    return result;
  }

  /** Claims the account's held deliveries written before `cutoff`; returns [deliveryId, workId] pairs. */
  private async claim(
    accountId: number,
    cutoffs: Record<"instant" | "daily" | "weekly" | "monthly", Date>,
    accountMode: string,
  ): Promise<{ id: bigint; work_id: number }[]> {
    const now = this.clock.now();
    const rows = await this.db.$queryRaw<{ id: bigint; work_id: number }[]>`
      UPDATE notification_delivery
      SET status = 'sending', claimed_at = ${now}, attempts = attempts + 1
      WHERE account_id = ${accountId} AND digest
        AND created_at < CASE coalesce(cadence::text, ${accountMode})
          WHEN 'daily' THEN ${cutoffs.daily}::timestamp WHEN 'weekly' THEN ${cutoffs.weekly}::timestamp
          WHEN 'monthly' THEN ${cutoffs.monthly}::timestamp ELSE ${cutoffs.instant}::timestamp END
        AND (status = 'pending' OR (status = 'sending' AND claimed_at < ${new Date(now.getTime() - this.leaseMs)}))
      RETURNING id, work_id`;
    return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private async send(account: Waiting, claimed: { id: bigint; work_id: number }[], messengers: Messengers): Promise<number> {
    const destination = await accountDestination(this.db, account.account_id, this.clock.now(), reachOf(messengers));
    if ("skip" in destination) throw new PermanentDeliveryError(destination.skip);
    const messenger = messengers[destination.platform];
    if (!messenger) throw new Error(`no messenger for ${destination.platform}`);
    const works = await loadNotifiedWorks(
      this.db,
      claimed.map((c) => c.work_id),
    );
    const follows = await this.db.follow.findMany({ where: { accountId: account.account_id }, select: { researcherId: true } });
    const followed = new Set(follows.map((f) => f.researcherId));
    const parts = Math.ceil(claimed.length / DIGEST_WORKS_PER_MESSAGE);
    for (let i = 0; i < parts; i++) {
      const chunk = claimed.slice(i * DIGEST_WORKS_PER_MESSAGE, (i + 1) * DIGEST_WORKS_PER_MESSAGE);
      const chunkWorks = works.filter((w) => chunk.some((c) => c.work_id === w.id));
      const list = digestList(
        chunkWorks.map((w) => digestItem(w, followed)),
        account.digest_mode,
        { index: i + 1, of: parts },
      );
      if (i === 0) list.picture = await this.picture(chunkWorks, followed);
      await messenger.send(destination, list);
      // Marked part by part: a failure in part 2 does not resend part 1.
      await this.finish(chunk, "sent", null);
    }
    return parts;
  }

  /** The graph of the followed researcher with the most papers in the digest (see notificationPicture). */
  private async picture(works: NotifiedWork[], followed: ReadonlySet<number>): Promise<Picture | undefined> {
    const counts = new Map<number, number>();
    for (const w of works)
      for (const a of w.authors) if (followed.has(a.researcherId)) counts.set(a.researcherId, (counts.get(a.researcherId) ?? 0) + 1);
    const [top] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return top ? notificationPicture(this.db, top[0], this.clock.now()) : undefined;
  }

  private async finish(rows: { id: bigint }[], status: "sent" | "pending" | "failed", error: string | null) {
    const ids = rows.map((r) => r.id);
    if (status === "sent") {
      await this.db.$executeRaw`
        UPDATE notification_delivery SET status = 'sent', sent_at = ${this.clock.now()}, last_error = NULL
        WHERE id = ANY(${ids}::bigint[]) AND status = 'sending'`;
    } else {
      await this.db.$executeRaw`
        UPDATE notification_delivery
        SET status = ${status}::"DeliveryStatus", claimed_at = NULL, last_error = ${error?.slice(0, 1000) ?? null}
        WHERE id = ANY(${ids}::bigint[]) AND status = 'sending'`;
    }
  }
}
