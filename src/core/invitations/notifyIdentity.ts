import type { Platform } from "../context.js";
import type { ErrorLog, Messengers } from "../ports.js";
import type { Reply } from "../reply.js";

export interface Reachable {
  platform: Platform;
  tenantId: string;
  userId: string;
}

/**
 * Best-effort direct message for follow-up notices (declined, expired, failed, accepted). The
 * invitation's own state is already committed, so a platform outage here is logged, not thrown:
 * the person can still see the outcome with /researcher invites.
 */
export async function notifyIdentity(messengers: Messengers, log: ErrorLog, to: Reachable, reply: Reply): Promise<boolean> {
  const messenger = messengers[to.platform];
  if (!messenger) return false;
  try {
    await messenger.send({ platform: to.platform, tenantId: to.tenantId, userId: to.userId }, reply);
    return true;
  } catch (err) {
    log.error({ err, to }, "invitation notice not delivered");
    return false;
  }
}
