import type { Db, Prisma } from "../../db/client.js";

/** A database handle or an open transaction, so an event is recorded atomically with what it describes. */
export type DbOrTx = Db | Prisma.TransactionClient;

export interface AuditEntry {
  actorAccountId?: number | null;
  actorIdentityId?: number | null;
  /** Dotted verb, e.g. "claim.verified", "link.accounts_merged". */
  action: string;
  subjectType: string;
  subjectId: string | number;
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: bigint;
  at: Date;
  actorAccountId: number | null;
  actorIdentityId: number | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details: unknown;
}

/** Append-only record of who did what, when and how. Rows are never updated. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** Writes one event; pass `tx` to make it part of the transaction that made the change. */
  async record(entry: AuditEntry, tx: DbOrTx = this.db): Promise<void> {
    await tx.auditLog.create({
      data: {
        at: this.now(),
        actorAccountId: entry.actorAccountId ?? null,
        actorIdentityId: entry.actorIdentityId ?? null,
        action: entry.action,
        subjectType: entry.subjectType,
        subjectId: String(entry.subjectId),
        details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
  }

  /** Events about one subject, oldest first. */
  async history(subjectType: string, subjectId: string | number): Promise<AuditRecord[]> {
    return this.db.auditLog.findMany({
      where: { subjectType, subjectId: String(subjectId) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
  }

  /** How many times an identity did `action` since `since` (used for rate limits on failed attempts). */
  async countByIdentity(identityId: number, action: string, since: Date): Promise<number> {
    return this.db.auditLog.count({ where: { actorIdentityId: identityId, action, at: { gte: since } } });
  }
}
