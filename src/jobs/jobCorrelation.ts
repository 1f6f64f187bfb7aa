// Every line a job logs carries its correlation id (src/core/correlation.ts): the processor runs
// under it, and so do the worker's "completed" and "failed" listeners, which BullMQ calls outside it.
import type { Job } from "bullmq";
import { withCorrelationId } from "../core/correlation.js";

/** A job's correlation id: its queue and BullMQ job id, e.g. "invitations:42". */
export const jobCorrelationId = (job: Pick<Job, "queueName" | "id">): string => `${job.queueName}:${job.id ?? "unsaved"}`;

/** The processor, run under the job's correlation id. */
export function correlated<J extends Job, R>(processor: (job: J, token?: string) => Promise<R>): (job: J, token?: string) => Promise<R> {
  return (job, token) => withCorrelationId(jobCorrelationId(job), () => processor(job, token));
}

/** A worker's per-job listener ("completed", "failed"), run under the job's correlation id. */
export function forJob<J extends Job | undefined, A extends unknown[]>(listener: (job: J, ...rest: A) => void): (job: J, ...rest: A) => void {
  return (job, ...rest) => (job ? withCorrelationId(jobCorrelationId(job), () => listener(job, ...rest)) : listener(job, ...rest));
}
