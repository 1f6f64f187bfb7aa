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
import { type RecordRetry, recordWhileLeased } from "../recordWhileLeased.js";
import type { Destination } from "../ports.js";
import type { Reply } from "../reply.js";
import { authorMentions } from "./authorMentions.js";
import { CHAT_ONLY, channelDestination, type Reach, type Resolved } from "./destinations.js";
import { newWorkCard, type NotifiedWork, type Reason } from "./notificationMessage.js";
import { notificationPicture } from "./notificationPicture.js";

/** How long a claim protects a delivery being sent; longer than any send takes, retries included. */
export const DEFAULT_SENDING_LEASE_MS = 5 * 60_000;

export type Claimed =
  /** `leaseUntil`: until when this claim keeps other attempts away (see recordSent) */
  | { kind: "send"; deliveryId: string; destination: Destination; reply: Reply; leaseUntil: Date }
  | { kind: "done"; reason: string }
  /** another attempt holds a live claim (or held it when its worker died): try again at `retryAt` */
  | { kind: "busy"; retryAt: Date };

type ClaimRow = {
  recipient_key: string;
  account_id: number | null;
  snoozed_until: Date | null;
  dest_platform: string | null;
  dest_tenant: string | null;
  dest_user: string | null;
  work_id: number;
  title: string;
  type: string;
  abstract: string | null;
  venue: string | null;
  publication_year: number | null;
  doi: string | null;
  arxiv_id: string | null;
  openalex_id: string | null;
  authors: { researcherId: number; name: string; highlighted: boolean }[];
  reasons: Reason[] | null;
};

export class DeliveryService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly leaseMs = DEFAULT_SENDING_LEASE_MS,
    private readonly reach: Reach = CHAT_ONLY,
  ) {}

  /**
   * Claims a pending (or abandoned) instant delivery and prepares its message. Returns "done" when
   * there is nothing to send: already sent or being sent, failed, or skipped now (snoozed, unreachable).
   */
  async claim(deliveryId: string): Promise<Claimed> {
    // One statement claims the row and reads everything the message needs: sending is limited by
    // the platform, not by round trips to Postgres. Leases are measured on the injected clock.
    const now = this.clock.now();
    const [row] = await this.db.$queryRaw<ClaimRow[]>`
      WITH claimed AS (
        UPDATE notification_delivery
        SET status = 'sending', claimed_at = ${now}, attempts = attempts + 1
        WHERE id = ${BigInt(deliveryId)} AND NOT digest
          AND (status = 'pending' OR (status = 'sending' AND claimed_at < ${new Date(now.getTime() - this.leaseMs)}))
        RETURNING id, recipient_key, account_id, work_id, reasons
      )
      SELECT c.recipient_key, c.account_id, acc.snoozed_until, c.reasons,
             dest.platform::text AS dest_platform, dest.tenant_id AS dest_tenant, dest.user_id AS dest_user,
             w.id AS work_id, w.title, w.type, w.abstract, w.venue, w.publication_year, w.doi, w.arxiv_id, w.openalex_id,
             (SELECT coalesce(json_agg(json_build_object(
                       'researcherId', a.researcher_id, 'name', r.display_name,
                       'highlighted', CASE WHEN c.account_id IS NOT NULL
                         THEN EXISTS (SELECT 1 FROM follow f WHERE f.account_id = c.account_id AND f.researcher_id = a.researcher_id)
                         ELSE EXISTS (SELECT 1 FROM channel_subscription s WHERE s.researcher_id = a.researcher_id
                                      AND 'channel:' || s.platform || ':' || s.tenant_id || ':' || s.channel_id = c.recipient_key) END)
                     ORDER BY a.position), '[]'::json)
              FROM authorship a JOIN researcher r ON r.id = a.researcher_id WHERE a.work_id = c.work_id) AS authors
      FROM claimed c
      JOIN work w ON w.id = c.work_id
      LEFT JOIN account acc ON acc.id = c.account_id
      LEFT JOIN LATERAL (
        SELECT ci.platform, ci.tenant_id, ci.user_id FROM chat_identity ci
        WHERE ci.account_id = acc.id AND (ci.platform <> 'console' OR ${this.reach.console})
        ORDER BY (ci.id = acc.notify_identity_id) DESC, (ci.platform <> 'console') DESC, ci.last_seen_at DESC, ci.id DESC
        LIMIT 1
      ) dest ON true`;
    if (!row) return this.whyNotClaimed(deliveryId);

    const destination = row.account_id === null ? channelDestination(row.recipient_key) : this.accountDestination(row);
    if ("skip" in destination) {
      await this.markSkipped(deliveryId, destination.skip);
      return { kind: "done", reason: destination.skip };
    }
    const work: NotifiedWork = {
      id: row.work_id,
      title: row.title,
      type: row.type,
      abstract: row.abstract,
      venue: row.venue,
      year: row.publication_year,
      doi: row.doi,
      arxivId: row.arxiv_id,
      openalexId: row.openalex_id,
      authors: row.authors.map((a) => ({ researcherId: a.researcherId, name: a.name })),
      ...(row.reasons && { reasons: row.reasons, deliveryId }),
    };
    const highlighted = new Set(row.authors.filter((a) => a.highlighted).map((a) => a.researcherId));
    const forChannel = row.account_id === null;
    const card = newWorkCard(work, highlighted, forChannel);
    const sentFor = work.authors.find((a) => highlighted.has(a.researcherId));
    if (forChannel && sentFor) card.picture = await notificationPicture(this.db, sentFor.researcherId, this.clock.now());
    if (forChannel) {
      const mentions = await authorMentions(this.db, work.id, destination);
      if (mentions.length) card.mentions = mentions;
    }
    return { kind: "send", deliveryId, destination, reply: card, leaseUntil: new Date(now.getTime() + this.leaseMs) };
  }

  /** See accountDestination in destinations.ts: the same rule, read in the claim's statement. */
  private accountDestination(row: ClaimRow): Resolved {
    if (row.snoozed_until && row.snoozed_until > this.clock.now()) return { skip: "snoozed" };
    if (!row.dest_platform || !row.dest_tenant || !row.dest_user)
      return { skip: this.reach.console ? "no chat identity to notify" : "no Slack or Discord identity to notify" };
    return { platform: row.dest_platform as Destination["platform"], tenantId: row.dest_tenant, userId: row.dest_user };
  }

  private async whyNotClaimed(deliveryId: string): Promise<Claimed> {
    const [row] = await this.db.$queryRaw<{ status: string; retry_at: Date | null }[]>`
      SELECT status::text AS status, claimed_at + ${this.leaseMs} * interval '1 millisecond' AS retry_at
      FROM notification_delivery WHERE id = ${BigInt(deliveryId)}`;
    if (row?.status === "sending" && row.retry_at) return { kind: "busy", retryAt: row.retry_at };
    return { kind: "done", reason: row ? `already ${row.status}` : "delivery no longer exists" };
  }

  /** `messageRef` (what the messenger returned) makes a channel's post the parent of its paper's thread. */
  async markSent(deliveryId: string, messageRef: string | null = null): Promise<void> {
    await this.db.$executeRaw`
      UPDATE notification_delivery SET status = 'sent', sent_at = ${this.clock.now()}, last_error = NULL, message_ref = ${messageRef}
      WHERE id = ${BigInt(deliveryId)} AND status = 'sending'`;
  }

  /**
   * markSent right after the platform accepted the message, retried while the claim's lease lasts:
   * a Postgres restart at that moment would otherwise leave it `sending`, and it would be sent again
   * when the lease ran out. False when it could not be recorded in time (`retry.failed` says why).
   */
  recordSent(deliveryId: string, messageRef: string | null, leaseUntil: Date, retry: RecordRetry): Promise<boolean> {
    return recordWhileLeased(() => this.markSent(deliveryId, messageRef), leaseUntil, this.clock, retry);
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
}
