import type { Db } from "../../db/client.js";
import type { DirectoryPurged, ScholarlyDirectory } from "../search/ScholarlyDirectory.js";

/** Expired one-time secrets are kept this long (for support questions), then removed. */
export const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

export interface Purged {
  linkCodes: number;
  oauthStates: number;
  /** cached directory answers past their TTL, old usage and per-user search counts */
  directory: DirectoryPurged | null;
}

/**
 * Removes link codes and ORCID sign-in states that expired more than a day ago, used or not. They
 * can never be redeemed again and only hold hashes and nonces; what happened with them is in the
 * audit log, which is kept. With a scholarly directory, also what it cached or counted and no
 * longer reads.
 */
export async function purgeExpired(db: Db, now: Date, directory?: ScholarlyDirectory): Promise<Purged> {
  const before = new Date(now.getTime() - KEEP_EXPIRED_MS);
  const [linkCodes, oauthStates] = await db.$transaction([
    db.linkCode.deleteMany({ where: { expiresAt: { lt: before } } }),
    db.oAuthState.deleteMany({ where: { expiresAt: { lt: before } } }),
  ]);
  return { linkCodes: linkCodes.count, oauthStates: oauthStates.count, directory: directory ? await directory.purgeExpired() : null };
}
