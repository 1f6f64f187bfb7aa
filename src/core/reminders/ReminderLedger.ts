import type { Db, Prisma } from "../../db/client.js";

export type ReminderKind = "invitation_unanswered" | "invitation_expired" | "claim_review";

export interface OwedReminder {
  id: bigint;
  kind: ReminderKind;
  subject: string;
  occurrence: string;
  attempts: number;
}

/** How long a reminder stays `sending` before a sweep presumes its worker dead and sends it again. */
export const REMINDER_LEASE_MS = 2 * 60_000;
/** Sweeps that may fail one reminder before it is given up (`failed`). */
export const REMINDER_MAX_ATTEMPTS = 5;

type Tx = Db | Prisma.TransactionClient;

/**
 * The reminder table is what makes reminders once-only: a row per (kind, subject, occurrence), its
 * unique key refusing a second one, written before anything is sent. A worker moves a row to
 * `sending` with a conditional update (only one can), sends, then marks it `sent`; a row left
 * `sending` by a dead worker is taken again once its lease has run out.
 */
export class ReminderLedger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly leaseMs = REMINDER_LEASE_MS,
  ) {}

  /** Writes the rows owed; ones already on record (sent or not) are left as they are. */
  async record(rows: Array<{ kind: ReminderKind; subject: string; occurrence?: string }>, tx: Tx = this.db): Promise<number> {
    if (rows.length === 0) return 0;
    const createdAt = this.now();
    const { count } = await tx.reminder.createMany({
      data: rows.map((r) => ({ kind: r.kind, subject: r.subject, occurrence: r.occurrence ?? "", createdAt })),
      skipDuplicates: true,
    });
    return count;
  }

  /** Pending rows, and `sending` rows whose lease ran out, oldest first. */
  async owed(take = 200): Promise<OwedReminder[]> {
    const stale = new Date(this.now().getTime() - this.leaseMs);
    const rows = await this.db.reminder.findMany({
      where: { OR: [{ status: "pending" }, { status: "sending", claimedAt: { lte: stale } }] },
      select: { id: true, kind: true, subject: true, occurrence: true, attempts: true },
      orderBy: { createdAt: "asc" },
      take,
    });
    return rows.map((r) => ({ ...r, kind: r.kind as ReminderKind }));
  }

  /** Takes the row for this worker; false when another took it first. */
  async take(id: bigint): Promise<boolean> {
    const now = this.now();
    const stale = new Date(now.getTime() - this.leaseMs);
    const { count } = await this.db.reminder.updateMany({
      where: { id, OR: [{ status: "pending" }, { status: "sending", claimedAt: { lte: stale } }] },
      data: { status: "sending", claimedAt: now, attempts: { increment: 1 } },
    });
    return count === 1;
  }

  /** Takes a row by its key (for a notice sent right after it was recorded). */
  async takeByKey(kind: ReminderKind, subject: string, occurrence = ""): Promise<bigint | null> {
    const row = await this.db.reminder.findUnique({
      where: { kind_subject_occurrence: { kind, subject, occurrence } },
      select: { id: true },
    });
    return row && (await this.take(row.id)) ? row.id : null;
  }

  async finish(id: bigint, status: "sent" | "skipped"): Promise<void> {
    await this.db.reminder.updateMany({
      where: { id, status: "sending" },
      data: { status, ...(status === "sent" && { sentAt: this.now() }) },
    });
  }

  /** A send that failed goes back to `pending` for the next sweep, or `failed` after the last attempt. */
  async fail(id: bigint, attempts: number, error: unknown): Promise<void> {
    await this.db.reminder.updateMany({
      where: { id, status: "sending" },
      data: {
        status: attempts >= REMINDER_MAX_ATTEMPTS ? "failed" : "pending",
        lastError: (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500),
      },
    });
  }
}
