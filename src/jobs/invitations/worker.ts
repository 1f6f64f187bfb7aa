// Invitation workers: deliver queued invitations, expire old ones, and reconcile Postgres with
// Redis. They only call core services; Postgres is re-read for every job.
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Core } from "../../core/Core.js";
import { DeliveryBusyError } from "../../core/invitations/InvitationDeliverer.js";
import { PermanentDeliveryError, RateLimitedError } from "../../core/ports.js";
import type { Logger } from "../../logger.js";
import type { Service } from "../../Service.js";
import { delayUntil, keepScheduled, listenForErrors, queueTimeAfter, type QueueSettings } from "../connection.js";
import { reconcileInvitations } from "./reconcileInvitations.js";
import { correlated, forJob } from "../jobCorrelation.js";
import { DEFAULT_DELIVERY_RETRY, type DeliveryRetry, INVITATION_QUEUE, type InvitationJob, InvitationProducer, queueConnection } from "./producer.js";

/**
 * Deliveries in parallel by default. A delivery mostly waits for the platform and holds no Postgres
 * connection meanwhile; concurrent deliveries share their statements (DeliveryLedger), so more in
 * parallel means bigger batches, not more connections.
 */
export const DEFAULT_INVITATION_CONCURRENCY = 64;
export const MAINTENANCE_QUEUE = "invitation-maintenance";
const EXPIRE_JOB = "expire-invitations";
const RECONCILE_JOB = "reconcile-invitations";
const REMIND_JOB = "send-reminders";

export interface InvitationWorkerOptions {
  /** Deliveries in parallel. None holds a Postgres connection while it talks to the platform. */
  concurrency?: number;
  /** How often expired invitations are closed (a job scheduler). */
  expireEveryMs?: number;
  /** How often queued invitations are checked for a missing job (a job scheduler; also once at start). */
  reconcileEveryMs?: number;
  /** How often owed reminders are written and sent (a job scheduler; Postgres decides what is owed). */
  remindEveryMs?: number;
  /** Must match the producer the core uses. */
  retry?: DeliveryRetry;
  /** BullMQ lock and stalled-job check; shorter in tests so a killed worker's jobs come back quickly. */
  lockDurationMs?: number;
}

export interface InvitationWorkerDeps {
  core: Core;
  queue: QueueSettings;
  logger: Logger;
  options?: InvitationWorkerOptions;
}

/**
 * One delivery attempt; after the last one (or a permanent error) the invitation is `failed`.
 * "Slow down" from a platform is not a failure: the job waits the time the platform asked for,
 * without using up an attempt.
 */
export async function processDelivery(core: Core, job: Job<InvitationJob>, token?: string): Promise<string> {
  const { invitationId } = job.data;
  try {
    return await core.invitationDeliverer.deliver(invitationId);
  } catch (error) {
    if (error instanceof RateLimitedError && token) {
      await job.moveToDelayed(queueTimeAfter(error.retryAfterMs), token);
      throw new DelayedError();
    }
    // Someone else's lease, e.g. a worker that died mid-send: come back when it runs out.
    if (error instanceof DeliveryBusyError && token) {
      await job.moveToDelayed(queueTimeAfter(delayUntil(error.retryAt, core.clock.now())), token);
      throw new DelayedError();
    }
    const last = error instanceof PermanentDeliveryError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!last) {
      await core.invitationDeliverer.recordAttempt(invitationId, error);
      throw error;
    }
    await core.invitationDeliverer.markFailed(invitationId, error);
    throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
  }
}

export async function startInvitationWorkers({ core, queue, logger, options = {} }: InvitationWorkerDeps): Promise<Service> {
  const log = logger.child({ component: "invitation-workers" });
  const producer = new InvitationProducer(queue, options.retry ?? DEFAULT_DELIVERY_RETRY);
  const maintenance = listenForErrors(new Queue(MAINTENANCE_QUEUE, queueConnection(queue)), (err) =>
    log.warn({ err }, "invitation maintenance queue error"),
  );

  const delivery = new Worker<InvitationJob>(
    INVITATION_QUEUE,
    correlated((job: Job<InvitationJob>, token) => processDelivery(core, job, token)),
    {
      ...queueConnection(queue),
      concurrency: options.concurrency ?? DEFAULT_INVITATION_CONCURRENCY,
      ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
    },
  );
  delivery.on(
    "failed",
    forJob((job, err) => log.warn({ err, invitationId: job?.data.invitationId, attempts: job?.attemptsMade }, "invitation delivery attempt failed")),
  );
  delivery.on("error", (err) => log.error({ err }, "invitation worker error"));

  const maintainer = new Worker(
    MAINTENANCE_QUEUE,
    correlated(async (job): Promise<Record<string, number> | null> => {
      if (job.name === EXPIRE_JOB) return { expired: await core.invitationDeliverer.expireDue() };
      if (job.name === REMIND_JOB) return await core.reminders.tick();
      if (job.name === RECONCILE_JOB) return { requeued: await reconcileInvitations(core.db, producer, core.clock.now()) };
      return null;
    }),
    queueConnection(queue),
  );
  maintainer.on(
    "completed",
    forJob((job, result: Record<string, number> | null) => {
      if (result && Object.values(result).some((n) => n)) log.info({ job: job.name, ...result }, "invitation maintenance");
    }),
  );
  maintainer.on(
    "failed",
    forJob((job, err) => log.error({ err, job: job?.name }, "invitation maintenance failed")),
  );
  maintainer.on("error", (err) => log.error({ err }, "invitation maintenance worker error"));

  await keepScheduled(
    maintenance,
    async () => {
      await maintenance.upsertJobScheduler(EXPIRE_JOB, { every: options.expireEveryMs ?? 60_000 }, { name: EXPIRE_JOB });
      await maintenance.upsertJobScheduler(REMIND_JOB, { every: options.remindEveryMs ?? 15 * 60_000 }, { name: REMIND_JOB });
      await maintenance.upsertJobScheduler(RECONCILE_JOB, { every: options.reconcileEveryMs ?? 5 * 60_000 }, { name: RECONCILE_JOB });
    },
    (err) => log.warn({ err }, "could not re-enqueue queued invitations after Redis came back"),
    async () =>
      log.info({ requeued: await reconcileInvitations(core.db, producer, core.clock.now()) }, "Redis came back: re-enqueued queued invitations"),
  );

  const requeued = await reconcileInvitations(core.db, producer, core.clock.now());
  if (requeued) log.info({ requeued }, "re-enqueued queued invitations whose jobs were missing");

  let stopped: Promise<void> | undefined;
  return {
    name: "invitation-workers",
    // Waits for deliveries in progress; safe to call twice.
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all([delivery.close(), maintainer.close()]);
        // The records of DMs already sent are written behind the jobs: let them land.
        await core.invitationDeliverer.settled();
        await Promise.all([maintenance.close(), producer.close()]);
      })()),
  };
}
