import type { Platform } from "../context.js";
import { type ErrorLog, type Messengers, RateLimitedError } from "../ports.js";
import type { Reply } from "../reply.js";

export interface Reachable {
  platform: Platform;
  tenantId: string;
  userId: string;
}

/** A short Retry-After is waited out here, up to this many tries; a longer one is left to the caller's retry. */
const RATE_LIMITED_TRIES = 3;
const LONGEST_WAIT_MS = 5_000;

/**
 * Best-effort direct message for follow-up notices (declined, expired, failed, accepted). The
 * invitation's own state is already committed, so a platform outage here is logged, not thrown:
 * the person can still see the outcome with /researcher invites. A rate limit of a few seconds is
 * waited out: the callers' own retry (the reminder sweep, for expiry notices) comes minutes later.
 */
export async function notifyIdentity(messengers: Messengers, log: ErrorLog, to: Reachable, reply: Reply): Promise<boolean> {
  const messenger = messengers[to.platform];
  if (!messenger) return false;
  for (let attempt = 1; ; attempt++) {
    try {
      await messenger.send({ platform: to.platform, tenantId: to.tenantId, userId: to.userId }, reply);
      return true;
    } catch (err) {
      if (err instanceof RateLimitedError && attempt < RATE_LIMITED_TRIES && err.retryAfterMs <= LONGEST_WAIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, err.retryAfterMs));
        continue;
      }
      log.error({ err, to }, "invitation notice not delivered");
      return false;
    }
  }
}
