import type { Db, Prisma } from "../../db/client.js";

/** Every invitation event, in one vocabulary, so the audit log reads as the invitation's history. */
export type InvitationEvent =
  | "invitation.sent"
  | "invitation.refused"
  | "invitation.delivered"
  | "invitation.accepted"
  | "invitation.declined"
  | "invitation.expired"
  | "invitation.failed"
  | "invitation.answer_refused"
  | "invitation.withdrawn"
  | "block.created"
  | "block.removed"
  | "claim_watch.created";

export interface AuditEntry {
  action: InvitationEvent;
  actorAccountId?: number | null;
  actorIdentityId?: number | null;
  subjectType: "invitation" | "account" | "researcher";
  subjectId: string | number;
  details?: Prisma.InputJsonValue;
}

type AuditWriter = Pick<Db, "auditLog">;

/** Writes one audit row, stamped `at` by the caller's clock (inside the caller's transaction when `db` is one). */
export async function auditInvitation(db: AuditWriter, entry: AuditEntry, at: Date): Promise<void> {
  await db.auditLog.create({
    data: {
      at,
      action: entry.action,
      actorAccountId: entry.actorAccountId ?? null,
      actorIdentityId: entry.actorIdentityId ?? null,
      subjectType: entry.subjectType,
      subjectId: String(entry.subjectId),
      details: entry.details,
    },
  });
}
