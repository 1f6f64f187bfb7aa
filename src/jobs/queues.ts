// Every BullMQ queue Peerlink uses, by name, and read-only handles on them for what watches the
// queues from outside the workers (queue depth in /metrics, the /admin/queues dashboard).
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { HOUSEKEEPING_QUEUE } from "./housekeeping/worker.js";
import { IMPORT_QUEUE } from "./import/producer.js";
import { INGEST_QUEUE } from "./ingest/worker.js";
import { INVITATION_QUEUE } from "./invitations/producer.js";
import { MAINTENANCE_QUEUE } from "./invitations/worker.js";
import { DELIVERY_PLATFORMS, deliveryQueueName } from "./notifications/producer.js";
import { NOTIFICATION_SCHEDULE_QUEUE } from "./notifications/scheduleJobs.js";
import { createRedisConnection, type QueueSettings } from "./connection.js";

export const ALL_QUEUES: readonly string[] = [
  INVITATION_QUEUE,
  MAINTENANCE_QUEUE,
  ...DELIVERY_PLATFORMS.map(deliveryQueueName),
  NOTIFICATION_SCHEDULE_QUEUE,
  INGEST_QUEUE,
  IMPORT_QUEUE,
  HOUSEKEEPING_QUEUE,
];

export interface QueueHandles {
  queues: Queue[];
  close(): Promise<void>;
}

/** One handle per queue, all on one Redis connection; they add no jobs and run none. */
export function openQueues(settings: QueueSettings): QueueHandles {
  const connection: Redis = createRedisConnection(settings.redisUrl);
  connection.on("error", () => {}); // a scrape or a dashboard page reports it; ioredis reconnects
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: settings.prefix }));
  return {
    queues,
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
