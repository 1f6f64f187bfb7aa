import type { Prisma } from "./generated/client.js";

/**
 * Advisory lock namespaces (the first key of pg_advisory_xact_lock), one per kind of work that must
 * not run twice at once for the same account. Listed together so that no two ever share a number.
 */
export const LockSpace = {
  /** Sending an invitation: the daily limit is counted and the row inserted under it. */
  invitationSender: 7301,
  /** Issuing a link code: the hourly limit is counted and the code inserted under it. */
  linkCodeIssuer: 7302,
} as const;

/** Holds `(space, id)` until the transaction ends; a second holder waits. */
export async function lockForTransaction(tx: Prisma.TransactionClient, space: (typeof LockSpace)[keyof typeof LockSpace], id: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${space}::int, ${id}::int)`;
}
