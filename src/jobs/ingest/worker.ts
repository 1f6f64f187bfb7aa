// The repeatable ingest job: one IngestService pass against the scholarly source, with each page's
// new deliveries enqueued as soon as they are written.
import { Queue, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { reachOf } from "../../core/notifications/destinations.js";
import type { IngestMetrics } from "../../core/metrics.js";
import { IngestService, type IngestResult, type IngestSettings } from "../../core/notifications/IngestService.js";
import type { ScholarlySource } from "../../core/notifications/ScholarlySource.js";
import { keepScheduled, listenForErrors, type QueueSettings, type WorkerLog } from "../connection.js";
import { correlated, forJob } from "../jobCorrelation.js";
import type { DeliveryProducer } from "../notifications/producer.js";
import { queueOptions } from "../notifications/producer.js";

export const INGEST_QUEUE = "ingest";
export const INGEST_SCHEDULER = "ingest-new-works";

/** Runs one ingest pass now (the job's body; also what tests and operators call directly). */
export async function runIngest(
  core: Core,
  source: ScholarlySource,
  producer: DeliveryProducer,
  settings: Partial<IngestSettings> = {},
  metrics?: IngestMetrics,
): Promise<IngestResult> {
  const result = await new IngestService(core.db, core.clock, reachOf(core.messengers), settings).run(source, (instant) => producer.enqueue(instant));
  metrics?.ingestCycle(result);
  return result;
}

export interface IngestJobOptions {
  core: Core;
  source: ScholarlySource;
  producer: DeliveryProducer;
  queue: QueueSettings;
  log: WorkerLog;
  intervalMinutes: number;
  settings?: Partial<IngestSettings>;
  metrics?: IngestMetrics;
}

/** Schedules ingest every `intervalMinutes` (one schedule however many processes start) and works it off. */
export async function startIngestJob(options: IngestJobOptions): Promise<{ queue: Queue; worker: Worker }> {
  const { core, source, producer, log } = options;
  const queue = listenForErrors(new Queue(INGEST_QUEUE, queueOptions(options.queue)), (err) => log.warn({ err }, "ingest queue error"));
  await keepScheduled(
    queue,
    () =>
      queue.upsertJobScheduler(
        INGEST_SCHEDULER,
        { every: options.intervalMinutes * 60_000 },
        { name: "ingest", opts: { removeOnComplete: true, removeOnFail: 100 } },
      ),
    (err) => log.warn({ err }, "could not register the ingest schedule again after Redis came back"),
  );
  // One pass at a time: a slow source must not start a second pass over the same window.
  const worker = new Worker(
    INGEST_QUEUE,
    correlated(async () => {
      const result = await runIngest(core, source, producer, options.settings, options.metrics);
      // Requests and spend per cycle: they grow with the distinct things followed, not with followers.
      log.info({ ...result, instant: result.instant.length }, "ingest finished");
      return { ...result, instant: result.instant.length };
    }),
    { ...queueOptions(options.queue), concurrency: 1, lockDuration: 5 * 60_000 },
  );
  worker.on(
    "failed",
    forJob((_job, err) => log.error({ err }, "ingest failed; the next run reads the same window again")),
  );
  worker.on("error", (err) => log.error({ err }, "ingest worker error"));
  return { queue, worker };
}
