// Enqueues invitation deliveries. The job carries only the invitation id (also the job id, so
// enqueueing the same invitation twice queues one job); the worker re-reads Postgres.
import { Queue } from "bullmq";
import type { InvitationQueue } from "../../core/invitations/InvitationQueue.js";
import { DELIVERY_BACKOFF, listenForErrors, type QueueSettings, queueConnection } from "../connection.js";

export const INVITATION_QUEUE = "invitations";
export const DELIVER_JOB = "deliver";

export interface InvitationJob {
  invitationId: string;
}

export interface DeliveryRetry {
  /** Total tries, the first included. */
  attempts: number;
  /** First retry delay; each further one doubles it. */
  backoffMs: number;
}

/** 2 s, 4 s, 8 s, 16 s, 32 s: about a minute of platform trouble before giving up. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { attempts: 6, backoffMs: DELIVERY_BACKOFF.delay };

// Re-exported: workers and benchmarks take it from here with the rest of the queue's plumbing.
export { queueConnection };

/** The BullMQ-backed InvitationQueue the core is given (CoreDeps.invitations.queue). */
export class InvitationProducer implements InvitationQueue {
  readonly queue: Queue<InvitationJob>;

  constructor(
    settings: QueueSettings,
    private readonly retry: DeliveryRetry = DEFAULT_DELIVERY_RETRY,
  ) {
    this.queue = listenForErrors(new Queue<InvitationJob>(INVITATION_QUEUE, queueConnection(settings)));
  }

  async enqueueDelivery(invitationId: string): Promise<void> {
    await this.queue.add(DELIVER_JOB, { invitationId }, this.jobOptions(invitationId));
  }

  /** Many at once (one round trip), e.g. when the reconciler re-enqueues after a Redis loss. */
  async enqueueDeliveries(invitationIds: string[]): Promise<void> {
    if (invitationIds.length === 0) return;
    await this.queue.addBulk(invitationIds.map((id) => ({ name: DELIVER_JOB, data: { invitationId: id }, opts: this.jobOptions(id) })));
  }

  private jobOptions(invitationId: string) {
    return {
      jobId: invitationId,
      attempts: this.retry.attempts,
      backoff: { type: "exponential" as const, delay: this.retry.backoffMs },
      // Postgres keeps the history; finished jobs only need to linger long enough to inspect failures.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export function createInvitationProducer(settings: QueueSettings, retry?: DeliveryRetry): InvitationProducer {
  return new InvitationProducer(settings, retry);
}
