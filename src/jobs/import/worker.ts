// Finishes imports the first card started: works, co-authors and topics. Only calls the core.
import { Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import type { Logger } from "../../logger.js";
import type { Service } from "../../Service.js";
import { type QueueSettings, queueConnection } from "../connection.js";
import { correlated, forJob } from "../jobCorrelation.js";
import { IMPORT_QUEUE, type ImportJob } from "./producer.js";

export interface ImportWorkerDeps {
  core: Core;
  queue: QueueSettings;
  logger: Logger;
  /** imports in parallel; each walks one researcher's works page by page */
  concurrency?: number;
}

export async function startImportWorker({ core, queue, logger, concurrency = 2 }: ImportWorkerDeps): Promise<Service> {
  const log = logger.child({ component: "import-worker" });
  const worker = new Worker<ImportJob>(
    IMPORT_QUEUE,
    correlated(async (job) => {
      await core.live.completeImport(job.data.researcherId);
    }),
    { ...queueConnection(queue), concurrency },
  );
  worker.on(
    "failed",
    forJob((job, err) => log.error({ err, researcherId: job?.data.researcherId }, "import failed")),
  );
  await worker.waitUntilReady();
  return { name: "import-worker", stop: () => worker.close() };
}
