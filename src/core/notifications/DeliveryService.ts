// Sending one delivery row, safely under retries, crashes and several workers:
//   claim   pending → sending (conditional UPDATE; only one caller wins)
//   send    through the recipient platform's Messenger
//   finish  sending → sent | pending (retry later) | failed | skipped
// A claim older than the lease belongs to a worker that died, and may be taken again. The one
// window that stays at-least-once: a worker that dies after the platform accepted the message but
// before `sent` is written; its delivery is sent again once the lease runs out. `markSent` is the
// very next statement after the platform answers, so the window is one round trip to Postgres.
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import type { Destination } from "../ports.js";
import type { Reply } from "../reply.js";
import { accountDestination, channelDestination } from "./destinations.js";
import { loadNotifiedWorks } from "./loadNotifiedWorks.js";
import { newWorkCard } from "./notificationMessage.js";

/** How long a claim protects a delivery being sent; longer than any send takes, retries included. */
export const DEFAULT_SENDING_LEASE_MS = 5 * 60_000;

export type Claimed =
  | { kind: "send"; deliveryId: string; destination: Destination; reply: Reply }
  | { kind: "done"; reason: string }
  /** another attempt holds a live claim (or held it when its worker died): try again at `retryAt` */
  | { kind: "busy"; retryAt: Date };

type ClaimRow = { id: bigint; recipient_key: string; account_id: number | null; work_id: number };

export class DeliveryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly leaseMs = DEFAULT_SENDING_LEASE_MS,
  ) {}

  /**
   * Claims a pending (or abandoned) instant delivery and prepares its message. Returns "done" when
   * there is nothing to send: already sent or being sent, failed, or skipped now (snoozed, unreachable).
   */
  async claim(deliveryId: string): Promise<Claimed> {
    const [row] = await this.db.$queryRaw<ClaimRow[]>`
      UPDATE notification_delivery
      SET status = 'sending', claimed_at = now(), attempts = attempts + 1
      WHERE id = ${BigInt(deliveryId)} AND NOT digest
        AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - ${this.leaseMs} * interval '1 millisecond'))
      RETURNING id, recipient_key, account_id, work_id`;
    if (!row) return this.whyNotClaimed(deliveryId);

    const destination = row.account_id === null ? channelDestination(row.recipient_key) : await accountDestination(this.db, row.account_id, this.clock.now());
    if ("skip" in destination) {
      await this.markSkipped(deliveryId, destination.skip);
      return { kind: "done", reason: destination.skip };
    }
    const [work] = await loadNotifiedWorks(this.db, [row.work_id]);
    if (!work) {
      await this.markSkipped(deliveryId, "work no longer exists");
      return { kind: "done", reason: "work no longer exists" };
    }
    const highlighted = await this.highlighted(row, work.authors.map((a) => a.researcherId));
    const reply = newWorkCard(work, highlighted, row.account_id === null);
    return { kind: "send", deliveryId, destination, reply };
  }

  private async whyNotClaimed(deliveryId: string): Promise<Claimed> {
    const [row] = await this.db.$queryRaw<{ status: string; retry_at: Date | null }[]>`
      SELECT status::text AS status, claimed_at + ${this.leaseMs} * interval '1 millisecond' AS retry_at
      FROM notification_delivery WHERE id = ${BigInt(deliveryId)}`;
    if (row?.status === "sending" && row.retry_at) return { kind: "busy", retryAt: row.retry_at };
    return { kind: "done", reason: row ? `already ${row.status}` : "delivery no longer exists" };
  }

  async markSent(deliveryId: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE notification_delivery SET status = 'sent', sent_at = now(), last_error = NULL
      WHERE id = ${BigInt(deliveryId)} AND status = 'sending'`;
  }

  /** Gives the claim back so a later attempt can send (transient failure or rate limit). */
  async release(deliveryId: string, error: string | null): Promise<void> {
    await this.db.$executeRaw`
      UPDATE notification_delivery SET status = 'pending', claimed_at = NULL, last_error = ${error}
      WHERE id = ${BigInt(deliveryId)} AND status = 'sending'`;
  }

  /** Retrying cannot help or attempts are spent: recorded, never dropped silently. */
  async markFailed(deliveryId: string, error: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE notification_delivery SET status = 'failed', last_error = ${error.slice(0, 1000)}
      WHERE id = ${BigInt(deliveryId)} AND status IN ('pending', 'sending')`;
  }

  async markSkipped(deliveryId: string, reason: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE notification_delivery SET status = 'skipped', last_error = ${reason}
      WHERE id = ${BigInt(deliveryId)} AND status IN ('pending', 'sending')`;
  }

  private async highlighted(row: ClaimRow, authorIds: number[]): Promise<Set<number>> {
    if (row.account_id !== null) {
      const follows = await this.db.follow.findMany({
        where: { accountId: row.account_id, researcherId: { in: authorIds } },
        select: { researcherId: true },
      });
      return new Set(follows.map((f) => f.researcherId));
    }
    const { platform, tenantId, channelId } = channelDestination(row.recipient_key) as Destination;
    const subs = await this.db.channelSubscription.findMany({
      where: { platform, tenantId, channelId, researcherId: { in: authorIds } },
      select: { researcherId: true },
    });
    return new Set(subs.map((s) => s.researcherId));
  }
}

