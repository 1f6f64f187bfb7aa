import { type Db, sqlPool } from "../../db/client.js";
import { utcTimestamp } from "../../db/timestamps.js";
import { groupCommit } from "../../db/groupCommit.js";
import type { Platform } from "../context.js";
import { type InvitationForDelivery, loadForDelivery } from "./loadForDelivery.js";

/** How long a claimed delivery belongs to the worker that claimed it, if it never says it sent. */
export const DEFAULT_DELIVERY_LEASE_MS = 2 * 60_000;

export type ClaimOutcome =
  /** This caller owns the delivery now: send, then markSent (or release). */
  | { kind: "claimed" }
  | { kind: "sent" }
  /** Another attempt holds a live claim (or held it when its worker died): try again at `retryAt`. */
  | { kind: "busy"; retryAt: Date }
  /** The invitation was answered, expired or closed after it was read. */
  | { kind: "not_pending" };

interface ClaimRequest {
  invitationId: string;
  identityId: number;
}

interface SentRequest extends ClaimRequest {
  platform: Platform;
  messageRef: string;
}

/**
 * The invitation_delivery rows, which make a second DM impossible: one row per (invitation,
 * identity), claimed before the platform call and stamped sent after it. Reads and writes on the
 * delivery path are group-committed: concurrent deliveries share one statement, so a busy worker
 * makes a few round trips per batch instead of several per invitation.
 */
export class DeliveryLedger {
  readonly load: (invitationId: string) => Promise<InvitationForDelivery | null>;
  readonly claim: (request: ClaimRequest) => Promise<ClaimOutcome>;
  readonly markSent: (request: SentRequest) => Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly leaseMs = DEFAULT_DELIVERY_LEASE_MS,
  ) {
    this.load = groupCommit(async (ids) => {
      const rows = new Map((await loadForDelivery(db, [...new Set(ids)])).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    });
    this.claim = groupCommit((requests) => this.claimAll(requests));
    this.markSent = groupCommit(async (requests) => {
      await this.markAllSent(requests);
      return requests.map(() => undefined);
    });
  }

  // Every statement names its rows with `= ANY($1)` as well as the join: the planner cannot see
  // how few rows unnest() yields and would otherwise hash-join against the whole table.

  /**
   * One statement claims every requested row that is free: new, or claimed longer than the lease
   * ago and never sent, and only while its invitation is still pending. It also reports, from the
   * snapshot before the insert, why a row was not claimed.
   */
  private async claimAll(requests: readonly ClaimRequest[]): Promise<ClaimOutcome[]> {
    const now = this.now();
    const key = (r: { invitationId: string; identityId: number }) => `${r.invitationId}/${r.identityId}`;
    const unique = [...new Map(requests.map((r) => [key(r), r])).values()];
    const { rows } = await sqlPool(this.db).query<{
      invitationId: string;
      identityId: number;
      claimed: boolean;
      sent: boolean;
      claimedAtMs: number | null;
    }>({
      name: "invitation-delivery-claim",
      text: `
        WITH req AS (
          SELECT * FROM unnest($1::uuid[], $2::int[]) AS r(invitation_id, identity_id)
        ), claimed AS (
          INSERT INTO invitation_delivery (invitation_id, identity_id, claimed_at)
          SELECT req.invitation_id, req.identity_id, $3::timestamp FROM req
          JOIN invitation i ON i.id = req.invitation_id AND i.id = ANY($1::uuid[])
                            AND i.status IN ('queued', 'delivered') AND i.expires_at > $3::timestamp
          ON CONFLICT (invitation_id, identity_id) DO UPDATE SET claimed_at = excluded.claimed_at
            WHERE invitation_delivery.sent_at IS NULL AND invitation_delivery.claimed_at < $4::timestamp
          RETURNING invitation_id, identity_id
        )
        SELECT req.invitation_id::text AS "invitationId", req.identity_id AS "identityId",
               (c.invitation_id IS NOT NULL) AS claimed, (d.sent_at IS NOT NULL) AS sent,
               extract(epoch FROM d.claimed_at)::float8 * 1000 AS "claimedAtMs"
        FROM req
        LEFT JOIN claimed c ON c.invitation_id = req.invitation_id AND c.identity_id = req.identity_id
        LEFT JOIN invitation_delivery d ON d.invitation_id = req.invitation_id AND d.identity_id = req.identity_id
                                        AND d.invitation_id = ANY($1::uuid[])`,
      values: [
        unique.map((r) => r.invitationId),
        unique.map((r) => r.identityId),
        utcTimestamp(now),
        utcTimestamp(new Date(now.getTime() - this.leaseMs)),
      ],
    });
    const byKey = new Map(rows.map((r) => [key(r), r]));
    const answered = new Set<string>();
    return requests.map((request): ClaimOutcome => {
      const k = key(request);
      const row = byKey.get(k);
      // The same delivery asked for twice in one batch: the first asker owns it, the second waits.
      if (answered.has(k)) return { kind: "busy", retryAt: new Date(now.getTime() + 1_000) };
      answered.add(k);
      if (row?.claimed) return { kind: "claimed" };
      if (row?.sent) return { kind: "sent" };
      if (row?.claimedAtMs != null) return { kind: "busy", retryAt: new Date(row.claimedAtMs + this.leaseMs) };
      return { kind: "not_pending" };
    });
  }

  /** Stamps the rows sent, moves their invitations to `delivered` and writes the audit rows. */
  private async markAllSent(requests: readonly SentRequest[]): Promise<void> {
    await sqlPool(this.db).query({
      name: "invitation-delivery-sent",
      text: `
        WITH req AS (
          SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS r(invitation_id, identity_id, message_ref, platform)
        ), d AS (
          UPDATE invitation_delivery x SET message_ref = req.message_ref, sent_at = $5::timestamp
          FROM req WHERE x.invitation_id = ANY($1::uuid[]) AND x.invitation_id = req.invitation_id AND x.identity_id = req.identity_id
        ), i AS (
          UPDATE invitation SET status = 'delivered', delivered_at = $5::timestamp, attempts = attempts + 1
          WHERE id = ANY($1::uuid[]) AND status = 'queued'
        )
        INSERT INTO audit_log (at, action, subject_type, subject_id, details)
        SELECT $5::timestamp, 'invitation.delivered', 'invitation', req.invitation_id::text,
               jsonb_build_object('identityId', req.identity_id, 'platform', req.platform)
        FROM req`,
      values: [
        requests.map((r) => r.invitationId),
        requests.map((r) => r.identityId),
        requests.map((r) => r.messageRef),
        requests.map((r) => r.platform),
        utcTimestamp(this.now()),
      ],
    });
  }

  /** Gives a claim back after a failed send, so a retry need not wait for the lease to run out. */
  async release({ invitationId, identityId }: ClaimRequest): Promise<void> {
    await this.db.$executeRaw`
      DELETE FROM invitation_delivery
      WHERE invitation_id = ${invitationId}::uuid AND identity_id = ${identityId} AND sent_at IS NULL`;
  }
}
