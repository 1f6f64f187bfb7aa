import type { Db } from "../../db/client.js";
import type { Platform } from "../context.js";

export interface DeliveryTarget {
  id: number;
  platform: Platform;
  tenantId: string;
  userId: string;
  dmChannelId: string | null;
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
  /** The recipient has blocked the sender since the invitation was sent. */
  blocked: boolean;
  notifyIdentityId: number | null;
  /** The recipient's chat identities, most recently seen first. */
  identities: DeliveryTarget[];
}

/**
 * Everything a delivery needs in one round trip. Delivery is the hot path of the invitation
 * workers (see bench/invitations.ts), so this is one SQL statement rather than a query per relation.
 */
export async function loadForDelivery(db: Db, invitationId: string): Promise<InvitationForDelivery | null> {
  const rows = await db.$queryRaw<Array<Omit<InvitationForDelivery, "identities"> & { identities: DeliveryTarget[] }>>`
    SELECT i.id::text AS "id", i.status::text AS "status", i.expires_at AS "expiresAt", i.message,
           i.origin_platform::text AS "originPlatform", i.origin_tenant_id AS "originTenantId",
           i.origin_channel_id AS "originChannelId",
           coalesce(si.display_name, sa.display_name) AS "senderName",
           r.display_name AS "researcherName",
           ra.notify_identity_id AS "notifyIdentityId",
           EXISTS (SELECT 1 FROM block b
                   WHERE b.blocker_account_id = i.recipient_account_id AND b.blocked_account_id = i.sender_account_id) AS "blocked",
           coalesce((SELECT json_agg(json_build_object('id', ci.id, 'platform', ci.platform, 'tenantId', ci.tenant_id,
                                                       'userId', ci.user_id, 'dmChannelId', ci.dm_channel_id)
                                     ORDER BY ci.last_seen_at DESC, ci.id DESC)
                     FROM chat_identity ci WHERE ci.account_id = i.recipient_account_id), '[]'::json) AS "identities"
    FROM invitation i
    JOIN account sa ON sa.id = i.sender_account_id
    LEFT JOIN chat_identity si ON si.id = i.sender_identity_id
    JOIN researcher r ON r.id = i.researcher_id
    JOIN account ra ON ra.id = i.recipient_account_id
    WHERE i.id = ${invitationId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return { ...row, expiresAt: new Date(row.expiresAt), identities: typeof row.identities === "string" ? JSON.parse(row.identities) : row.identities };
}
