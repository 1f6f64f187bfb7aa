import { type Db, sqlPool } from "../../db/client.js";
import { groupCommit } from "../../db/groupCommit.js";
import { utcTimestamp } from "../../db/timestamps.js";
import type { Platform } from "../context.js";

/** Under load, the pause between two statements that record sent DMs (see markSent). */
const RECORD_PAUSE_MS = 8;

/** How long a claimed invitation belongs to the worker that claimed it, if it never says it sent. */
export const DEFAULT_DELIVERY_LEASE_MS = 2 * 60_000;

export interface DeliveryTarget {
  id: number;
  platform: Platform;
  tenantId: string;
  userId: string;
  dmChannelId: string | null;
  /** This identity already got the DM (an earlier attempt sent it, then another target failed). */
  sent: boolean;
}

export interface InvitationForDelivery {
  id: string;
  status: string;
  expiresAt: Date;
  message: string;
  originPlatform: Platform;
  originTenantId: string;
  originChannelId: string;
  senderName: string;
  researcherName: string;
  /** An intro request: whom the sender wants to meet, and the path as stored (see IntroRequest). */
  introTargetName: string | null;
  introPath: unknown;
  /** The recipient has blocked the sender since the invitation was sent. */
  blocked: boolean;
  notifyIdentityId: number | null;
  /** The recipient's chat identities, most recently seen first. */
  identities: DeliveryTarget[];
}

export type ClaimResult =
  /** This caller holds the invitation until `lease`: send, then markSent (or release). */
  | { kind: "claimed"; invitation: InvitationForDelivery; lease: Date }
  /** Another attempt holds a live lease (or held it when its worker died): try again at `retryAt`. */
  | { kind: "busy"; retryAt: Date }
  /** Answered, closed or expired: nothing is owed. */
  | { kind: "not_pending" }
  | { kind: "expired" }
  | { kind: "gone" };

interface SentRequest {
  invitationId: string;
  identityId: number;
  platform: Platform;
  messageRef: string;
  /** The lease this worker holds; the last stamp of an attempt gives it back. */
  lease: Date;
  last: boolean;
}

interface ClaimRow extends Omit<InvitationForDelivery, "expiresAt"> {
  expiresAtMs: number;
  claimed: boolean;
  leaseUntilMs: number | null;
}

/**
 * What makes a second DM impossible without holding a transaction during the platform call:
 *
 * - claim: one statement reads everything a delivery needs and, while the invitation is pending and
 *   nobody holds it, sets its delivery lease. The lease column is in no index, so this is a
 *   heap-only update: no index entries, no foreign-key checks.
 * - markSent: after the platform accepted the DM, one statement writes the invitation_delivery row
 *   (its primary key refuses a second one), moves the invitation to `delivered`, writes the audit
 *   row and, with the attempt's last DM, clears the lease.
 *
 * Both are group-committed: concurrent deliveries share one statement, so a busy worker makes two
 * round trips per batch instead of several per invitation.
 */
export class DeliveryLedger {
  readonly claim: (invitationId: string) => Promise<ClaimResult>;
  readonly markSent: (request: SentRequest) => Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly leaseMs = DEFAULT_DELIVERY_LEASE_MS,
  ) {
    this.claim = groupCommit((ids) => this.claimAll(ids));
    // Records are written behind the jobs (see InvitationDeliverer): no delivery waits for them, so
    // under load they gather for a few milliseconds into fewer, larger statements.
    this.markSent = groupCommit(
      async (requests) => {
        await this.markAllSent(requests);
        return requests.map(() => undefined);
      },
      { maxBatchSize: 256, pauseMs: RECORD_PAUSE_MS },
    );
  }

  // Every statement names its rows with `= ANY($1)`: the planner then uses the primary key rather
  // than guessing how many rows unnest() yields.

  private async claimAll(ids: readonly string[]): Promise<ClaimResult[]> {
    const now = this.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const { rows } = await sqlPool(this.db).query<ClaimRow>({
      name: "invitation-delivery-claim",
      // The outer SELECT reads the snapshot from before the UPDATE: status and lease as they were.
      text: `
        WITH claimed AS (
          UPDATE invitation SET delivery_lease_until = $3::timestamp
          WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'delivered') AND expires_at > $2::timestamp
            AND (delivery_lease_until IS NULL OR delivery_lease_until <= $2::timestamp)
          RETURNING id
        )
        SELECT i.id::text AS "id", i.status::text AS "status", extract(epoch FROM i.expires_at)::float8 * 1000 AS "expiresAtMs",
               (c.id IS NOT NULL) AS "claimed", extract(epoch FROM i.delivery_lease_until)::float8 * 1000 AS "leaseUntilMs",
               i.message, i.origin_platform::text AS "originPlatform", i.origin_tenant_id AS "originTenantId",
               i.origin_channel_id AS "originChannelId",
               coalesce(si.display_name, sa.display_name) AS "senderName",
               r.display_name AS "researcherName",
               t.display_name AS "introTargetName", i.intro_path AS "introPath",
               ra.notify_identity_id AS "notifyIdentityId",
               EXISTS (SELECT 1 FROM block b
                       WHERE b.blocker_account_id = i.recipient_account_id AND b.blocked_account_id = i.sender_account_id) AS "blocked",
               coalesce((SELECT json_agg(json_build_object(
                                   'id', ci.id, 'platform', ci.platform, 'tenantId', ci.tenant_id,
                                   'userId', ci.user_id, 'dmChannelId', ci.dm_channel_id,
                                   -- A queued invitation has no sent DM: the row and the status change are written together.
                                   'sent', i.status = 'delivered' AND EXISTS (SELECT 1 FROM invitation_delivery d
                                                                              WHERE d.invitation_id = i.id AND d.identity_id = ci.id))
                                 ORDER BY ci.last_seen_at DESC, ci.id DESC)
                         FROM chat_identity ci WHERE ci.account_id = i.recipient_account_id), '[]'::json) AS "identities"
        FROM invitation i
        LEFT JOIN claimed c ON c.id = i.id
        JOIN account sa ON sa.id = i.sender_account_id
        LEFT JOIN chat_identity si ON si.id = i.sender_identity_id
        JOIN researcher r ON r.id = i.researcher_id
        LEFT JOIN researcher t ON t.id = i.intro_target_id
        JOIN account ra ON ra.id = i.recipient_account_id
        WHERE i.id = ANY($1::uuid[])`,
      values: [[...new Set(ids)], utcTimestamp(now), utcTimestamp(lease)],
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const answered = new Set<string>();
    return ids.map((id): ClaimResult => {
      const row = byId.get(id);
      if (!row) return { kind: "gone" };
      // The same invitation asked for twice in one batch: the first asker holds it, the second waits.
      if (answered.has(id)) return { kind: "busy", retryAt: new Date(now.getTime() + 1_000) };
      answered.add(id);
      if (row.status !== "queued" && row.status !== "delivered") return { kind: "not_pending" };
      if (row.expiresAtMs <= now.getTime()) return { kind: "expired" };
      if (!row.claimed) {
        // A lease set by a statement that ran alongside this one is not in its snapshot: assume a whole one.
        const held = row.leaseUntilMs != null && row.leaseUntilMs > now.getTime();
        return { kind: "busy", retryAt: held ? new Date(row.leaseUntilMs!) : lease };
      }
      const { expiresAtMs, claimed, leaseUntilMs, ...invitation } = row;
      return { kind: "claimed", invitation: { ...invitation, expiresAt: new Date(expiresAtMs) }, lease };
    });
  }

  /** Records the DMs as sent, moves their invitations to `delivered` and writes the audit rows. */
  private async markAllSent(requests: readonly SentRequest[]): Promise<void> {
    await sqlPool(this.db).query({
      name: "invitation-delivery-sent",
      text: `
        WITH req AS (
          SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::timestamp[], $6::bool[])
                   AS r(invitation_id, identity_id, message_ref, platform, lease, last)
        ), d AS (
          INSERT INTO invitation_delivery (invitation_id, identity_id, message_ref, sent_at)
          SELECT invitation_id, identity_id, message_ref, $7::timestamp FROM req
          ON CONFLICT (invitation_id, identity_id) DO NOTHING
        ), i AS (
          UPDATE invitation x
          SET status = CASE WHEN x.status = 'queued' THEN 'delivered'::"InvitationStatus" ELSE x.status END,
              delivered_at = coalesce(x.delivered_at, $7::timestamp),
              attempts = x.attempts + CASE WHEN req.last THEN 1 ELSE 0 END,
              delivery_lease_until = CASE WHEN req.last AND x.delivery_lease_until = req.lease THEN NULL ELSE x.delivery_lease_until END
          FROM req WHERE x.id = ANY($1::uuid[]) AND x.id = req.invitation_id
        )
        INSERT INTO audit_log (at, action, subject_type, subject_id, details)
        SELECT $7::timestamp, 'invitation.delivered', 'invitation', req.invitation_id::text,
               jsonb_build_object('identityId', req.identity_id, 'platform', req.platform)
        FROM req`,
      values: [
        requests.map((r) => r.invitationId),
        requests.map((r) => r.identityId),
        requests.map((r) => r.messageRef),
        requests.map((r) => r.platform),
        requests.map((r) => utcTimestamp(r.lease)),
        requests.map((r) => r.last),
        utcTimestamp(this.now()),
      ],
    });
  }

  /** Gives the lease back (a send failed, or nothing was owed), so a retry need not wait for it to run out. */
  async release(invitationId: string, lease: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE invitation SET delivery_lease_until = NULL
      WHERE id = ${invitationId}::uuid AND delivery_lease_until = ${utcTimestamp(lease)}::timestamp`;
  }
}
