// Housekeeping on a schedule: the hourly digest, the weekly missed summary and the delivery reconciler.
import { Queue, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { reachOf } from "../../core/notifications/destinations.js";
import { DigestService } from "../../core/notifications/DigestService.js";
import { MissedSummaryService } from "../../core/notifications/MissedSummaryService.js";
import { DEFAULT_SENDING_LEASE_MS } from "../../core/notifications/DeliveryService.js";
import { keepScheduled, listenForErrors, type QueueSettings, type WorkerLog } from "../connection.js";
import { correlated, forJob } from "../jobCorrelation.js";
import { type DeliveryProducer, queueOptions } from "./producer.js";
import { reconcileDeliveries } from "./reconcileDeliveries.js";

export const NOTIFICATION_SCHEDULE_QUEUE = "notification-schedule";
export const DIGEST_JOB = "digest";
export const MISSED_JOB = "missed-summary";
export const RECONCILE_JOB = "reconcile";
export const RECONCILE_EVERY_MS = 5 * 60_000;

export interface ScheduleOptions {
  core: Core;
  producer: DeliveryProducer;
  queue: QueueSettings;
  log: WorkerLog;
  leaseMs?: number;
}

export async function startScheduleJobs(options: ScheduleOptions): Promise<{ queue: Queue; worker: Worker }> {
  const { core, producer, log } = options;
  const queue = listenForErrors(new Queue(NOTIFICATION_SCHEDULE_QUEUE, queueOptions(options.queue)), (err) =>
    log.warn({ err }, "notification schedule queue error"),
  );
  const template = { opts: { removeOnComplete: true, removeOnFail: 100 } };
  const reconcile = () => reconcileDeliveries(core.db, producer, core.clock.now(), options.leaseMs, reachOf(core.messengers));
  await keepScheduled(
    queue,
    async () => {
      // On the hour: digests go out at the local hour people chose (DigestService makes late or repeated runs safe).
      await queue.upsertJobScheduler(DIGEST_JOB, { pattern: "0 * * * *" }, { name: DIGEST_JOB, ...template });
      // Weekly per person, at their digest hour on Monday; checked hourly since that hour is local (the missed_summary row makes repeats safe).
      await queue.upsertJobScheduler(MISSED_JOB, { pattern: "0 * * * *" }, { name: MISSED_JOB, ...template });
      await queue.upsertJobScheduler(RECONCILE_JOB, { every: RECONCILE_EVERY_MS }, { name: RECONCILE_JOB, ...template });
    },
    (err) => log.warn({ err }, "could not re-enqueue notification deliveries after Redis came back"),
    async () => {
      const result = await reconcile();
      log.info({ ...result }, "Redis came back: re-enqueued pending notification deliveries");
      // A claim that was being sent when Redis went away is given back (failure) or finished only
      // later, with no job left behind it: look once more when such a claim's lease has run out.
      setTimeout(
        () => void reconcile().catch((err: Error) => log.warn({ err }, "second reconcile after Redis came back failed")),
        (options.leaseMs ?? DEFAULT_SENDING_LEASE_MS) + 1_000,
      ).unref();
    },
  );
  const digests = new DigestService(core.db, core.clock, options.leaseMs);
  const missed = new MissedSummaryService(core.db, core.clock);
  const worker = new Worker(
    NOTIFICATION_SCHEDULE_QUEUE,
    correlated(async (job) => {
      if (job.name === DIGEST_JOB) {
        const result = await digests.sendDue(core.messengers);
        if (result.errors.length) log.warn({ errors: result.errors }, "some digests could not be sent; they wait for the next run");
        return result;
      }
      if (job.name === MISSED_JOB) {
        const result = await missed.sendDue(core.messengers);
        if (result.errors.length) log.warn({ errors: result.errors }, "some missed summaries could not be sent");
        return result;
      }
      if (job.name === RECONCILE_JOB) return reconcile();
      throw new Error(`unknown job ${job.name}`);
    }),
    { ...queueOptions(options.queue), concurrency: 1 },
  );
  worker.on(
    "failed",
    forJob((job, err) => log.error({ err, job: job?.name }, "scheduled notification job failed")),
  );
  worker.on("error", (err) => log.error({ err }, "notification schedule worker error"));
  return { queue, worker };
}
