// Enqueues new-paper deliveries, one queue per platform so each has its own rate limit. The job
// carries only the delivery id, which is also the job id: enqueueing the same delivery twice (a
// second ingest, the reconciler) queues one job. The worker re-reads Postgres.
import { Queue } from "bullmq";
import type { DeliveryPlatform, QueuedDelivery } from "../../core/notifications/FanOut.js";
import { DELIVERY_BACKOFF, listenForErrors, type QueueSettings, queueConnection as queueOptions } from "../connection.js";

export const DELIVERY_PLATFORMS: DeliveryPlatform[] = ["slack", "discord", "console"];
export const deliveryQueueName = (platform: DeliveryPlatform) => `notify-${platform}`;
export const DELIVER_JOB = "deliver";

export interface DeliveryJob {
  deliveryId: string;
}

/** BullMQ refuses integer-looking custom ids, so the row id gets a prefix. */
export const deliveryJobId = (deliveryId: string) => `delivery-${deliveryId}`;

export interface DeliveryRetry {
  /** total tries, the first included; a 429 answered with Retry-After does not use one up */
  attempts: number;
  /** first retry delay; each further one doubles it */
  backoffMs: number;
}

/** 2 s, 4 s … ~4 min: about eight minutes of platform trouble before a delivery is marked failed. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { attempts: 8, backoffMs: DELIVERY_BACKOFF.delay };

/** addBulk size: large enough to amortise round trips, small enough not to stall Redis. */
const BULK = 1_000;

export { queueOptions };

export class DeliveryProducer {
  readonly queues: Record<DeliveryPlatform, Queue<DeliveryJob>>;

  constructor(
    settings: QueueSettings,
    readonly retry: DeliveryRetry = DEFAULT_DELIVERY_RETRY,
  ) {
    this.queues = {
      slack: listenForErrors(new Queue<DeliveryJob>(deliveryQueueName("slack"), queueOptions(settings))),
      discord: listenForErrors(new Queue<DeliveryJob>(deliveryQueueName("discord"), queueOptions(settings))),
      // Only a process running the console shell works this queue off (see Reach in destinations.ts).
      console: listenForErrors(new Queue<DeliveryJob>(deliveryQueueName("console"), queueOptions(settings))),
    };
  }

  /** Queues deliveries in bulk, per platform. */
  async enqueue(deliveries: QueuedDelivery[]): Promise<void> {
    for (const platform of DELIVERY_PLATFORMS) {
      const mine = deliveries.filter((d) => d.platform === platform);
      for (let i = 0; i < mine.length; i += BULK) {
        await this.queues[platform].addBulk(mine.slice(i, i + BULK).map((d) => this.job(d.id)));
      }
    }
  }

  private job(deliveryId: string) {
    return {
      name: DELIVER_JOB,
      data: { deliveryId },
      opts: {
        jobId: deliveryJobId(deliveryId),
        attempts: this.retry.attempts,
        backoff: { type: "exponential" as const, delay: this.retry.backoffMs },
        // Postgres keeps the history (status, attempts, last_error); finished jobs need not linger,
        // and a removed job lets the reconciler enqueue a still-pending row again.
        removeOnComplete: true,
        removeOnFail: true,
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
