// Shared BullMQ plumbing. Redis only carries work: every job points at a Postgres row, and losing
// Redis loses nothing that a reconciler cannot re-enqueue from Postgres.
import type { Queue } from "bullmq";
import { Redis } from "ioredis";
import { systemClock } from "../core/context.js";

export interface QueueSettings {
  redisUrl: string;
  /** Key prefix, so several deployments or test runs can share one Redis. */
  prefix: string;
}

/** BullMQ queue/worker options for these settings (workers need maxRetriesPerRequest: null). */
export const queueConnection = (settings: QueueSettings) => ({
  connection: { url: settings.redisUrl, maxRetriesPerRequest: null },
  prefix: settings.prefix,
});

/** A connection suitable for BullMQ queues and workers (workers need maxRetriesPerRequest: null). */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** What workers log through (a pino logger in production). */
export interface WorkerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Exponential backoff used by delivery jobs: 2 s, 4 s, 8 s, … */
export const DELIVERY_BACKOFF = { type: "exponential" as const, delay: 2_000 };

/**
 * The timestamp for `job.moveToDelayed` that lies `delayMs` ahead. BullMQ schedules by the wall
 * clock of the hosts it runs on, never by the core's injected clock, so the delay is computed on the
 * injected clock by the caller and turned into BullMQ's time here, the one place that does so.
 */
export const queueTimeAfter = (delayMs: number): number => systemClock.now().getTime() + Math.max(0, delayMs);

/** Delay until `at` on the given clock, plus a small margin so the job wakes after the lease ran out. */
export const delayUntil = (at: Date, now: Date, marginMs = 50): number => Math.max(marginMs, at.getTime() - now.getTime() + marginMs);

type ErrorEmitter = { on(event: "error", listener: (error: Error) => void): unknown };

/**
 * BullMQ prints an "error" nobody listens to (Redis down, a dropped connection) to stderr as a raw
 * stack trace, outside the JSON logs. Every queue gets a listener: the log where there is one. A
 * producer has none and stays quiet: each of its calls that needs Redis fails, and its caller reports that.
 */
export function listenForErrors<T extends ErrorEmitter>(emitter: T, report: (error: Error) => void = () => {}): T {
  emitter.on("error", report);
  return emitter;
}

/**
 * Registers a queue's job schedulers now, and again each time its Redis connection comes back after
 * it was lost. Redis holds the schedulers: one restarted without persistence has none, and without
 * this no schedule (digests, expiry, the reconcilers) would tick again until a workers process
 * restarted. `afterReturn` runs after each re-registration: the jobs were lost with the schedulers,
 * so the reconcilers re-enqueue what Postgres says is owed at once rather than at their next tick.
 */
export async function keepScheduled(
  queue: Queue,
  register: () => Promise<unknown>,
  onError: (error: Error) => void,
  afterReturn?: () => Promise<unknown>,
): Promise<void> {
  await register();
  // BullMQ's connection repeats its ioredis client's events: "close" when it is lost, "ready" when back.
  const connection = queue.getBackend().connection;
  let lost = false;
  connection.on("close", () => (lost = true));
  connection.on("ready", () => {
    if (!lost) return;
    lost = false;
    void (async () => {
      await register();
      await afterReturn?.();
    })().catch(onError);
  });
}
