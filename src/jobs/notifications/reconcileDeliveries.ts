// Postgres alone decides what is owed. Every pending instant delivery must have a job; after Redis
// lost its data (or an enqueue was lost between fan-out and addBulk) they are enqueued again, and
// claims abandoned by a dead worker (older than the lease) are given back first. Enqueueing a
// delivery whose job still exists is a no-op (the job id is the delivery id).
import type { Db } from "../../db/client.js";
import { DEFAULT_SENDING_LEASE_MS } from "../../core/notifications/DeliveryService.js";
import { CHAT_ONLY, type Reach } from "../../core/notifications/destinations.js";
import type { DeliveryPlatform, QueuedDelivery } from "../../core/notifications/FanOut.js";
import type { DeliveryProducer } from "./producer.js";

const PAGE = 5_000;

export interface ReconcileResult {
  reclaimed: number;
  enqueued: number;
}

export async function reconcileDeliveries(
  db: Db,
  producer: DeliveryProducer,
  now: Date,
  leaseMs = DEFAULT_SENDING_LEASE_MS,
  reach: Reach = CHAT_ONLY,
): Promise<ReconcileResult> {
  const reclaimed = await db.$executeRaw`
    UPDATE notification_delivery SET status = 'pending', claimed_at = NULL, last_error = 'claim abandoned by a stopped worker'
    WHERE status = 'sending' AND NOT digest AND claimed_at < ${new Date(now.getTime() - leaseMs)}`;
  let enqueued = 0;
  let after = 0n;
  for (;;) {
    const rows = await db.$queryRaw<{ id: bigint; platform: string | null }[]>`
      SELECT d.id,
             CASE WHEN d.account_id IS NULL THEN split_part(d.recipient_key, ':', 2)
                  ELSE (SELECT ci.platform::text FROM chat_identity ci JOIN account a ON a.id = ci.account_id
                        WHERE ci.account_id = d.account_id AND (ci.platform <> 'console' OR ${reach.console})
                        ORDER BY (ci.id = a.notify_identity_id) DESC, (ci.platform <> 'console') DESC, ci.last_seen_at DESC, ci.id DESC
                        LIMIT 1) END AS platform
      FROM notification_delivery d
      WHERE d.status = 'pending' AND NOT d.digest AND d.id > ${after}
      ORDER BY d.id
      LIMIT ${PAGE}`;
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    // A recipient with no reachable identity is left for the worker of either queue to mark skipped.
    const batch: QueuedDelivery[] = rows.map((r) => ({ id: String(r.id), platform: (r.platform ?? "slack") as DeliveryPlatform }));
    await producer.enqueue(batch);
    enqueued += batch.length;
  }
  return { reclaimed, enqueued };
}
