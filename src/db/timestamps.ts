// Timestamps as literals for raw SQL (COPY rows, node-postgres parameters). Prisma stores DateTime
// columns as `timestamp(3) without time zone` in UTC; these write that form.

/** An ISO-8601 UTC string ("2026-11-25T06:00:00.000Z") as a timestamp literal. */
export const isoTimestamp = (iso: string): string => iso.replace("T", " ").replace("Z", "");

/** A Date as a timestamp literal in UTC. */
export const utcTimestamp = (date: Date): string => isoTimestamp(date.toISOString());
