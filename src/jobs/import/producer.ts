// Enqueues the rest of a researcher's import (every work, co-author and topic) after the first card.
// The job carries only the researcher id, which is also the job id: a researcher whose import is
// already queued is not queued twice. The worker re-reads Postgres.
import { Queue } from "bullmq";
import type { ImportQueue } from "../../core/search/ScholarlyDirectory.js";
import { listenForErrors, type QueueSettings, queueConnection } from "../connection.js";

export const IMPORT_QUEUE = "imports";
export const IMPORT_JOB = "import-researcher";

export interface ImportJob {
  researcherId: number;
}

export class ImportProducer implements ImportQueue {
  readonly queue: Queue<ImportJob>;

  constructor(settings: QueueSettings) {
    this.queue = listenForErrors(new Queue<ImportJob>(IMPORT_QUEUE, queueConnection(settings)));
  }

  async enqueueImport(researcherId: number): Promise<void> {
    await this.queue.add(
      IMPORT_JOB,
      { researcherId },
      {
        jobId: `researcher-${researcherId}`,
        attempts: 4,
        backoff: { type: "exponential", delay: 30_000 },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
