// The hourly paper-news job: asks the scholarly source about works posted in channels lately and
// posts what changed (published version, retraction, citations) in each post's thread. Postgres
// holds what is owed (paper_news), so a lost tick or a killed worker only delays it to the next run.
import { Queue, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { PaperNewsService, type PaperNewsResult } from "../../core/notifications/PaperNewsService.js";
import type { WorkStatusSource } from "../../core/notifications/WorkStatusSource.js";
import { listenForErrors, type QueueSettings, type WorkerLog } from "../connection.js";
import { correlated, forJob } from "../jobCorrelation.js";
import { queueOptions } from "./producer.js";

export const PAPER_NEWS_QUEUE = "paper-news";
export const PAPER_NEWS_SCHEDULER = "paper-news-hourly";
export const PAPER_NEWS_EVERY_MS = 60 * 60_000;

export interface PaperNewsJobOptions {
  core: Core;
  source: WorkStatusSource;
  queue: QueueSettings;
  log: WorkerLog;
  leaseMs?: number;
}

export const runPaperNews = (core: Core, source: WorkStatusSource, leaseMs?: number): Promise<PaperNewsResult> =>
  new PaperNewsService(core.db, core.clock, leaseMs).run(source, core.messengers);

export async function startPaperNewsJob(options: PaperNewsJobOptions): Promise<{ queue: Queue; worker: Worker }> {
  const { core, source, log } = options;
  const queue = listenForErrors(new Queue(PAPER_NEWS_QUEUE, queueOptions(options.queue)), (err) => log.warn({ err }, "paper news queue error"));
  await queue.upsertJobScheduler(
    PAPER_NEWS_SCHEDULER,
    { every: PAPER_NEWS_EVERY_MS },
    { name: "paper-news", opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  const worker = new Worker(
    PAPER_NEWS_QUEUE,
    correlated(async () => {
      const result = await runPaperNews(core, source, options.leaseMs);
      if (result.news || result.sent || result.failed) log.info({ ...result }, "paper news posted in threads");
      return result;
    }),
    { ...queueOptions(options.queue), concurrency: 1, lockDuration: 5 * 60_000 },
  );
  worker.on(
    "failed",
    forJob((_job, err) => log.error({ err }, "paper news run failed; the next run tries again")),
  );
  worker.on("error", (err) => log.error({ err }, "paper news worker error"));
  return { queue, worker };
}
