import type { Prisma } from "../../db/client.js";

/**
 * Folds account `from` into account `into` inside the caller's transaction: identities, follows,
 * claims, claimed records, claim watches, invitations, blocks and notification history move; rows
 * the survivor already has (same follow, same watch) are kept once; then `from` is deleted.
 * Every statement is keyed on account ids, so a concurrent merge of the same pair serialises on
 * the row locks and the second one finds nothing left to move.
 */
export async function mergeAccounts(tx: Prisma.TransactionClient, from: number, into: number): Promise<void> {
  if (from === into) return;
  await tx.$executeRaw`UPDATE chat_identity SET account_id = ${into} WHERE account_id = ${from}`;

  await tx.$executeRaw`
    INSERT INTO follow (account_id, researcher_id, muted, created_at)
    SELECT ${into}, researcher_id, muted, created_at FROM follow WHERE account_id = ${from}
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO claim_watch (account_id, researcher_id, created_at)
    SELECT ${into}, researcher_id, created_at FROM claim_watch WHERE account_id = ${from}
    ON CONFLICT DO NOTHING`;

  await tx.$executeRaw`UPDATE claim SET account_id = ${into} WHERE account_id = ${from}`;
  await tx.$executeRaw`UPDATE researcher SET claimed_by_account_id = ${into} WHERE claimed_by_account_id = ${from}`;
  // One pending invitation per sender and researcher (a partial unique index): when both halves
  // invited the same researcher, the survivor's stays pending and the other is closed.
  await tx.$executeRaw`
    UPDATE invitation f SET status = 'expired', last_error = 'closed when the sender linked accounts: duplicate of a pending invitation'
    WHERE f.sender_account_id = ${from} AND f.status IN ('queued', 'delivered')
      AND EXISTS (SELECT 1 FROM invitation i WHERE i.sender_account_id = ${into} AND i.researcher_id = f.researcher_id
                    AND i.status IN ('queued', 'delivered'))`;
  await tx.$executeRaw`UPDATE invitation SET sender_account_id = ${into} WHERE sender_account_id = ${from}`;
  await tx.$executeRaw`UPDATE invitation SET recipient_account_id = ${into} WHERE recipient_account_id = ${from}`;

  // A block between the two halves of one person means nothing once they are one account.
  await tx.$executeRaw`
    INSERT INTO block (blocker_account_id, blocked_account_id, created_at)
    SELECT ${into}, blocked_account_id, created_at FROM block
    WHERE blocker_account_id = ${from} AND blocked_account_id <> ${into}
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO block (blocker_account_id, blocked_account_id, created_at)
    SELECT blocker_account_id, ${into}, created_at FROM block
    WHERE blocked_account_id = ${from} AND blocker_account_id <> ${into}
    ON CONFLICT DO NOTHING`;

  // Delivery history keeps "one notification per (recipient, work)": a work both accounts were told
  // about stays as the survivor's row; the other copy is dropped with the account.
  const fromKey = `account:${from}`;
  const intoKey = `account:${into}`;
  await tx.$executeRaw`
    UPDATE notification_delivery n SET account_id = ${into}, recipient_key = ${intoKey}
    WHERE n.recipient_key = ${fromKey}
      AND NOT EXISTS (SELECT 1 FROM notification_delivery m WHERE m.recipient_key = ${intoKey} AND m.work_id = n.work_id)`;

  // Cascades remove what did not move: duplicate follows/watches/blocks, unused link codes.
  await tx.$executeRaw`DELETE FROM account WHERE id = ${from}`;
}
