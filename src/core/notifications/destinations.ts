// Where a delivery goes, from its recipient key: an account's chosen chat identity, or a channel.
import type { Db } from "../../db/client.js";
import type { Destination, Messengers } from "../ports.js";

export type Resolved = Destination | { skip: string };

/**
 * Whether console identities can be notified where this runs. The console is a messenger only in
 * the process running the local shell (no Slack or Discord configured): there a console identity
 * is a destination; anywhere else nobody would read the message, so it is not. FanOut,
 * DeliveryService, DigestService and the reconciler apply the same rule.
 */
export interface Reach {
  console: boolean;
}

export const CHAT_ONLY: Reach = { console: false };
export const reachOf = (messengers: Messengers): Reach => ({ console: messengers.console !== undefined });

/**
 * An account's notifications go to the identity chosen with `/researcher notify here`, else to the
 * Slack or Discord identity it used last, else (where the console is reachable) its console
 * identity. Snoozed accounts get nothing until the snooze ends.
 */
export async function accountDestination(db: Db, accountId: number, now: Date, reach: Reach = CHAT_ONLY): Promise<Resolved> {
  const account = await db.account.findUnique({
    where: { id: accountId },
    select: {
      snoozedUntil: true,
      notifyIdentityId: true,
      identities: { where: reach.console ? {} : { platform: { not: "console" } }, orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }] },
    },
  });
  if (!account) return { skip: "account deleted" };
  if (account.snoozedUntil && account.snoozedUntil > now) return { skip: "snoozed" };
  const identity =
    account.identities.find((i) => i.id === account.notifyIdentityId) ??
    account.identities.find((i) => i.platform !== "console") ??
    account.identities[0];
  if (!identity) return { skip: reach.console ? "no chat identity to notify" : "no Slack or Discord identity to notify" };
  return { platform: identity.platform, tenantId: identity.tenantId, userId: identity.userId };
}

/** "channel:<platform>:<tenant>:<channel>" → a channel destination. */
export function channelDestination(recipientKey: string): Resolved {
  const m = /^channel:(slack|discord):([^:]+):(.+)$/.exec(recipientKey);
  if (!m) return { skip: `not a channel recipient: ${recipientKey}` };
  return { platform: m[1] as "slack" | "discord", tenantId: m[2]!, channelId: m[3]! };
}

export const channelRecipientKey = (platform: string, tenantId: string, channelId: string) => `channel:${platform}:${tenantId}:${channelId}`;
