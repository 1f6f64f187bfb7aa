// One id per command and per job, for every line logged while it runs and for the apology its user
// may see. Carried by AsyncLocalStorage (node:async_hooks), so nothing on the way has to pass it on:
// the logger reads it (src/logger.ts, pino's mixin), and so does the apology's reference.
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { randomBytes } from "node:crypto";

const current = new AsyncLocalStorage<string>();

/** A fresh id: 8 hex characters, short enough to read out from a screenshot. */
export const newCorrelationId = (): string => randomBytes(4).toString("hex");

/** The id of the command or job running here, if any. */
export const correlationId = (): string | undefined => current.getStore();

/** Runs `work` as the command or job `id`: everything it logs carries the id. */
export function withCorrelationId<T>(id: string, work: () => T): T {
  return current.run(id, work);
}

/** Runs `work` under the id already in force, or under a fresh one when there is none. */
export function withSomeCorrelationId<T>(work: () => T): T {
  return correlationId() === undefined ? withCorrelationId(newCorrelationId(), work) : work();
}

/**
 * `fn`, to be called later from elsewhere (e.g. by the command that frees a turn in a queue), but
 * run under the id in force now rather than the caller's.
 */
export function keepCorrelationId<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return AsyncResource.bind(fn);
}
