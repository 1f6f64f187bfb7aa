import { type Db, sqlPool } from "../../db/client.js";
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
 * Everything the deliveries of these invitations need, in one statement (one round trip for a whole
 * batch: see DeliveryLedger). Invitations that do not exist are left out.
 */
export async function loadForDelivery(db: Db, invitationIds: string[]): Promise<InvitationForDelivery[]> {
  if (invitationIds.length === 0) return [];
  const { rows } = await sqlPool(db).query<Omit<InvitationForDelivery, "expiresAt"> & { expiresAtMs: number }>({
    name: "invitation-load-for-delivery",
    text: `
      SELECT i.id::text AS "id", i.status::text AS "status", extract(epoch FROM i.expires_at)::float8 * 1000 AS "expiresAtMs",
             i.message, i.origin_platform::text AS "originPlatform", i.origin_tenant_id AS "originTenantId",
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
      WHERE i.id = ANY($1::uuid[])`,
    values: [invitationIds],
  });
  return rows.map(({ expiresAtMs, ...row }) => ({ ...row, expiresAt: new Date(expiresAtMs) }));
}
