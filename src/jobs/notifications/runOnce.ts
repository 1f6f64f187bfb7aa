// One pass of what the notification workers do on their schedules, for a one-shot run (the
// console's `--papers`): ingest, the digests that are due, and every delivery they queued sent.
import type { DigestRunResult } from "../../core/notifications/DigestService.js";
import type { IngestResult } from "../../core/notifications/IngestService.js";
import type { NotificationWorkers } from "./worker.js";

export interface OnceResult {
  ingest: IngestResult;
  digest: DigestRunResult;
}

/** Resolves once the delivery queues are empty, or after `timeoutMs` (what is left stays pending in Postgres). */
export async function runNotificationsOnce(workers: NotificationWorkers, timeoutMs = 30_000): Promise<OnceResult> {
  const ingest = await workers.ingestNow();
  const digest = await workers.digestNow();
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let busy = false;
    for (const [platform, queue] of Object.entries(workers.producer.queues)) {
      // Only queues this process works off can empty here; the others belong to other processes.
      if (!workers.workers[platform as keyof typeof workers.workers]) continue;
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(counts).some((n) => n > 0)) busy = true;
    }
    if (!busy || performance.now() > deadline) return { ingest, digest };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
