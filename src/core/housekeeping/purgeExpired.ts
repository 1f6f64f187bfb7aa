import type { Db } from "../../db/client.js";
import type { DirectoryPurged, ScholarlyDirectory } from "../search/ScholarlyDirectory.js";

/** Expired one-time secrets are kept this long (for support questions), then removed. */
export const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

/**
 * Weekly "what you missed" decisions are kept this long. Older ones go, except each account's latest:
 * the summary reads only that one (the next week starts where it ended), so the table holds at most
 * eight weeks per account plus one row, instead of a row per account per week forever.
 */
export const KEEP_MISSED_WEEKS = 8;

export interface Purged {
  linkCodes: number;
  oauthStates: number;
  /** weekly "what you missed" decisions older than KEEP_MISSED_WEEKS, each account's latest kept */
  missedSummaries: number;
  /** cached directory answers past their TTL, old usage and per-user search counts */
  directory: DirectoryPurged | null;
}

/**
 * Removes link codes and ORCID sign-in states that expired more than a day ago, used or not. They
 * can never be redeemed again and only hold hashes and nonces; what happened with them is in the
 * audit log, which is kept. Also old weekly-summary decisions (KEEP_MISSED_WEEKS). With a
 * scholarly directory, also what it cached or counted and no longer reads.
 */
export async function purgeExpired(db: Db, now: Date, directory?: ScholarlyDirectory): Promise<Purged> {
  const before = new Date(now.getTime() - KEEP_EXPIRED_MS);
  const weeksBefore = new Date(now.getTime() - KEEP_MISSED_WEEKS * 7 * 24 * 60 * 60_000).toISOString().slice(0, 10);
  const [linkCodes, oauthStates, missedSummaries] = await db.$transaction([
    db.linkCode.deleteMany({ where: { expiresAt: { lt: before } } }),
    db.oAuthState.deleteMany({ where: { expiresAt: { lt: before } } }),
    db.$executeRaw`
      DELETE FROM missed_summary m
      WHERE m.week_start < ${weeksBefore}::date
        AND EXISTS (SELECT 1 FROM missed_summary n WHERE n.account_id = m.account_id AND n.week_start > m.week_start)`,
  ]);
  return {
    linkCodes: linkCodes.count,
    oauthStates: oauthStates.count,
    missedSummaries,
    directory: directory ? await directory.purgeExpired() : null,
  };
}
