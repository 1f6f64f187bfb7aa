// Who a channel's post about a paper @-mentions: the paper's authors who claimed their record in
// Peerlink and have an identity in the channel's workspace (Slack team, Discord server), unless
// they said `/researcher notify mentions off`. Named in author order.
import type { Db } from "../../db/client.js";
import type { Destination } from "../ports.js";

/** More would drown the post; Discord also allows at most 100 users in allowed_mentions. */
export const MAX_MENTIONS = 20;

export async function authorMentions(db: Db, workId: number, to: Destination): Promise<string[]> {
  const rows = await db.$queryRaw<{ user_id: string }[]>`
    SELECT ci.user_id
    FROM authorship a
    JOIN researcher r ON r.id = a.researcher_id
    JOIN account acc ON acc.id = r.claimed_by_account_id AND acc.mention_in_channels
    JOIN chat_identity ci ON ci.account_id = acc.id AND ci.platform = ${to.platform}::"Platform" AND ci.tenant_id = ${to.tenantId}
    WHERE a.work_id = ${workId}
    GROUP BY ci.user_id
    ORDER BY min(a.position), ci.user_id
    LIMIT ${MAX_MENTIONS}`;
  return rows.map((r) => r.user_id);
}
