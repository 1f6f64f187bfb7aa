// Notification workers. createDeliveryWorker sends new-paper deliveries for one platform: claim →
// send → mark, with the platform's rate limit as the worker's limiter; a 429 pauses the whole queue
// for Retry-After without using up an attempt; other failures back off exponentially; the last
// failure marks the row failed. startNotificationWorkers starts everything behind new-paper
// notifications: a delivery worker for each platform that has a messenger, the repeatable ingest,
// the hourly digest, the weekly missed summary and the reconciler (also run once at start).
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { DeliveryService } from "../../core/notifications/DeliveryService.js";
import { reachOf } from "../../core/notifications/destinations.js";
import { DigestService, type DigestRunResult } from "../../core/notifications/DigestService.js";
import { MissedSummaryService, type MissedRunResult } from "../../core/notifications/MissedSummaryService.js";
import type { DeliveryPlatform } from "../../core/notifications/FanOut.js";
import type { IngestMetrics } from "../../core/metrics.js";
import type { IngestResult, IngestSettings } from "../../core/notifications/IngestService.js";
import type { PaperNewsResult } from "../../core/notifications/PaperNewsService.js";
import type { ScholarlySource } from "../../core/notifications/ScholarlySource.js";
import type { WorkStatusSource } from "../../core/notifications/WorkStatusSource.js";
import { PermanentDeliveryError, RateLimitedError, type SentMessage } from "../../core/ports.js";
import { delayUntil, queueTimeAfter, type QueueSettings, type WorkerLog } from "../connection.js";
import { runIngest, startIngestJob } from "../ingest/worker.js";
import { correlated, forJob } from "../jobCorrelation.js";
import { DELIVERY_PLATFORMS, type DeliveryJob, DeliveryProducer, type DeliveryRetry, deliveryQueueName, queueOptions } from "./producer.js";
import { reconcileDeliveries, type ReconcileResult } from "./reconcileDeliveries.js";
import { runPaperNews, startPaperNewsJob } from "./paperNewsJob.js";
import { startScheduleJobs } from "./scheduleJobs.js";

export interface Limiter {
  /** messages … */
  max: number;
  /** … per this many milliseconds */
  duration: number;
}

/**
 * Conservative defaults below the platforms' published limits: Slack's chat.postMessage allows
 * about one message per second per channel with short bursts (every DM is its own channel);
 * Discord allows 50 requests per second per bot, and a first DM costs two (open channel + post).
 */
export const DEFAULT_LIMITS: Record<DeliveryPlatform, Limiter> = {
  // 20 per second, spread over tenths of a second: a one-second burst arrives unevenly and trips
  // the platform's bucket (bench/fanout.ts shows the difference).
  slack: { max: 2, duration: 100 },
  discord: { max: 2, duration: 100 },
  // The console writes to Postgres and the terminal: no platform limit, only a guard against floods.
  console: { max: 50, duration: 100 },
};

export interface DeliveryWorkerOptions {
  core: Core;
  platform: DeliveryPlatform;
  queue: QueueSettings;
  producer: DeliveryProducer;
  log: WorkerLog;
  limiter?: Limiter;
  concurrency?: number;
  /** see DeliveryService: how long a claim protects a delivery being sent */
  leaseMs?: number;
  /** BullMQ lock and stalled-job check; shorter in tests so a killed worker's jobs come back quickly */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export function createDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJob> {
  const { core, platform, producer, log } = options;
  const deliveries = new DeliveryService(core.db, core.clock, options.leaseMs, reachOf(core.messengers));

  const process = async (job: Job<DeliveryJob>, token?: string): Promise<string> => {
    const { deliveryId } = job.data;
    const claimed = await deliveries.claim(deliveryId);
    if (claimed.kind === "done") return claimed.reason;
    if (claimed.kind === "busy") {
      // A claim that is still inside its lease, e.g. held by a worker that just died: come back when
      // the lease runs out (the claim is then taken over) instead of sending twice.
      await job.moveToDelayed(queueTimeAfter(delayUntil(claimed.retryAt, core.clock.now())), token);
      throw new DelayedError();
    }
    const { destination, reply } = claimed;
    if (destination.platform !== platform) {
      // The person chose another platform since fan-out: hand the delivery to that queue.
      await deliveries.release(deliveryId, null);
      await producer.enqueue([{ id: deliveryId, platform: destination.platform }]);
      return `moved to ${destination.platform}`;
    }
    const messenger = core.messengers[platform];
    let sent: SentMessage;
    try {
      if (!messenger) throw new Error(`no ${platform} messenger configured`);
      sent = await messenger.send(destination, reply);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitedError) {
        // The platform said when to come back: pause this queue that long and retry this job then,
        // without counting an attempt.
        await deliveries.release(deliveryId, message);
        await producer.queues[platform].rateLimit(Math.max(1, error.retryAfterMs));
        throw Worker.RateLimitError();
      }
      if (error instanceof PermanentDeliveryError) {
        await deliveries.markFailed(deliveryId, message);
        throw new UnrecoverableError(message);
      }
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await deliveries.markFailed(deliveryId, `gave up after ${job.attemptsMade + 1} attempts: ${message}`);
      else await deliveries.release(deliveryId, message);
      throw error;
    }
    // Straight after the platform's answer: the only at-least-once window is between these two lines.
    // Retried while the claim lasts, so a Postgres restart here does not send it again.
    const recorded = await deliveries.recordSent(deliveryId, sent.messageRef, claimed.leaseUntil, {
      failed: (err, final) =>
        log.error(
          { err, deliveryId, platform },
          final ? "could not record a sent notification; it may be sent again" : "could not record a sent notification yet; retrying",
        ),
    });
    return recorded ? "sent" : "sent, not recorded";
  };

  const worker = new Worker<DeliveryJob>(deliveryQueueName(platform), correlated(process), {
    ...queueOptions(options.queue),
    concurrency: options.concurrency ?? 10,
    limiter: options.limiter ?? DEFAULT_LIMITS[platform],
    ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on(
    "failed",
    forJob((job, err) => {
      if (err.name === "RateLimitError") return;
      log.warn({ err, deliveryId: job?.data.deliveryId, attemptsMade: job?.attemptsMade, platform }, "notification delivery failed");
    }),
  );
  worker.on("error", (err) => log.error({ err, platform }, "notification worker error"));
  return worker;
}

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
  /** lookback window and prices of ingest (config INGEST_LOOKBACK_DAYS) */
  ingest?: Partial<IngestSettings>;
  /** per-cycle upstream requests and spend (src/metrics) */
  ingestMetrics?: IngestMetrics;
  /** false: no repeatable ingest/digest/reconcile schedules (tests drive them by hand) */
  schedule?: boolean;
  /** where the hourly paper-news check asks about works posted in channels; without it there is no check */
  workStatus?: WorkStatusSource;
}

export interface NotificationWorkers {
  name: string;
  producer: DeliveryProducer;
  workers: Partial<Record<DeliveryPlatform, Worker>>;
  /** one ingest pass now, its deliveries enqueued */
  ingestNow(): Promise<IngestResult>;
  digestNow(): Promise<DigestRunResult>;
  /** one weekly missed-summary run now (what the hourly schedule does) */
  missedNow(): Promise<MissedRunResult>;
  reconcileNow(): Promise<ReconcileResult>;
  /** one paper-news run now: the check (when a workStatus source is configured) and every pending thread post */
  paperNewsNow(): Promise<PaperNewsResult>;
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
    scheduled.push(
      await startIngestJob({
        core,
        source,
        producer,
        queue: options.queue,
        log,
        intervalMinutes: options.ingestIntervalMinutes,
        settings: options.ingest,
        metrics: options.ingestMetrics,
      }),
    );
    scheduled.push(await startScheduleJobs({ core, producer, queue: options.queue, log, leaseMs: options.leaseMs }));
    if (options.workStatus) {
      scheduled.push(await startPaperNewsJob({ core, source: options.workStatus, queue: options.queue, log, leaseMs: options.leaseMs }));
    }
  }
  // Whatever Redis lost while we were down is owed still: re-enqueue it before anything else.
  const reconciled = await reconcileDeliveries(core.db, producer, core.clock.now(), options.leaseMs, reachOf(core.messengers));
  if (reconciled.enqueued || reconciled.reclaimed) log.info({ ...reconciled }, "re-enqueued pending notification deliveries");

  const digests = new DigestService(core.db, core.clock, options.leaseMs);
  return {
    name: "notifications",
    producer,
    workers,
    ingestNow: () => runIngest(core, source, producer, options.ingest, options.ingestMetrics),
    digestNow: () => digests.sendDue(core.messengers),
    missedNow: () => new MissedSummaryService(core.db, core.clock).sendDue(core.messengers),
    reconcileNow: () => reconcileDeliveries(core.db, producer, core.clock.now(), options.leaseMs, reachOf(core.messengers)),
    paperNewsNow: () => runPaperNews(core, options.workStatus ?? { statusOf: async () => [] }, options.leaseMs),
    async stop(force = false) {
      await Promise.all([...Object.values(workers), ...scheduled.map((s) => s.worker)].map((w) => w.close(force)));
      await Promise.all(scheduled.map((s) => s.queue.close()));
      await producer.close();
    },
  };
}
