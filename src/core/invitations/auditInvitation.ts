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

/**
 * Writes one audit row. A shared AuditLog service (src/core/audit) did not exist when invitations
 * were built, so this writes `audit_log` directly; swap it for that service when it lands.
 */
export async function auditInvitation(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      action: entry.action,
      actorAccountId: entry.actorAccountId ?? null,
      actorIdentityId: entry.actorIdentityId ?? null,
      subjectType: entry.subjectType,
      subjectId: String(entry.subjectId),
      details: entry.details,
    },
  });
}
