// Starts everything behind new-paper notifications: delivery workers for each platform that has a
// messenger, the repeatable ingest, the hourly digest and the reconciler (also run once at start).
import type { Queue, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { DigestService, type DigestRunResult } from "../../core/notifications/DigestService.js";
import type { DeliveryPlatform } from "../../core/notifications/FanOut.js";
import type { IngestResult } from "../../core/notifications/IngestService.js";
import type { ScholarlySource } from "../../core/notifications/ScholarlySource.js";
import type { QueueSettings } from "../connection.js";
import { runIngest, startIngestJob } from "../ingest/ingestJob.js";
import { createDeliveryWorker, type Limiter, type WorkerLog } from "./deliveryWorker.js";
import { DELIVERY_PLATFORMS, DeliveryProducer, type DeliveryRetry } from "./producer.js";
import { reconcileDeliveries, type ReconcileResult } from "./reconcileDeliveries.js";
import { startScheduleJobs } from "./scheduleJobs.js";

export interface NotificationWorkersOptions {
  core: Core;
  source: ScholarlySource;
  queue: QueueSettings;
  logger: WorkerLog;
  /** config.ingestIntervalMinutes (INGEST_INTERVAL_MINUTES) */
  ingestIntervalMinutes: number;
  limits?: Partial<Record<DeliveryPlatform, Limiter>>;
  concurrency?: number;
  retry?: DeliveryRetry;
  leaseMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** false: no repeatable ingest/digest/reconcile schedules (tests drive them by hand) */
  schedule?: boolean;
}

export interface NotificationWorkers {
  name: string;
  producer: DeliveryProducer;
  workers: Partial<Record<DeliveryPlatform, Worker>>;
  /** one ingest pass now, its deliveries enqueued */
  ingestNow(): Promise<IngestResult>;
  digestNow(): Promise<DigestRunResult>;
  reconcileNow(): Promise<ReconcileResult>;
  /** `force`: do not wait for jobs in flight (what a crash looks like to BullMQ) */
  stop(force?: boolean): Promise<void>;
}

export async function startNotificationWorkers(options: NotificationWorkersOptions): Promise<NotificationWorkers> {
  const { core, source, logger: log } = options;
  const producer = new DeliveryProducer(options.queue, options.retry);
  const workers: Partial<Record<DeliveryPlatform, Worker>> = {};
  for (const platform of DELIVERY_PLATFORMS) {
    if (!core.messengers[platform]) continue;
    workers[platform] = createDeliveryWorker({
      core,
      platform,
      queue: options.queue,
      producer,
      log,
      limiter: options.limits?.[platform],
      concurrency: options.concurrency,
      leaseMs: options.leaseMs,
      lockDurationMs: options.lockDurationMs,
      stalledIntervalMs: options.stalledIntervalMs,
    });
  }
  const scheduled: { queue: Queue; worker: Worker }[] = [];
  if (options.schedule !== false) {
    scheduled.push(await startIngestJob({ core, source, producer, queue: options.queue, log, intervalMinutes: options.ingestIntervalMinutes }));
    scheduled.push(await startScheduleJobs({ core, producer, queue: options.queue, log, leaseMs: options.leaseMs }));
  }
  // Whatever Redis lost while we were down is owed still: re-enqueue it before anything else.
  const reconciled = await reconcileDeliveries(core.db, producer, options.leaseMs);
  if (reconciled.enqueued || reconciled.reclaimed) log.info({ ...reconciled }, "re-enqueued pending notification deliveries");

  const digests = new DigestService(core.db, core.clock, options.leaseMs);
  return {
    name: "notifications",
    producer,
    workers,
    ingestNow: () => runIngest(core, source, producer),
    digestNow: () => digests.sendDue(core.messengers),
    reconcileNow: () => reconcileDeliveries(core.db, producer, options.leaseMs),
    async stop(force = false) {
      await Promise.all([...Object.values(workers), ...scheduled.map((s) => s.worker)].map((w) => w.close(force)));
      await Promise.all(scheduled.map((s) => s.queue.close()));
      await producer.close();
    },
  };
}
