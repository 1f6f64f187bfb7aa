// After a platform accepted a message, its record must reach Postgres, or the message goes out again
// once its lease runs out. A Postgres restart or a dropped connection makes that write fail for a
// few seconds: retrying it while the lease still keeps every other attempt away closes that gap.
import type { Clock } from "./context.js";

export interface RecordRetry {
  /** Called for each failed write; `final` when the lease leaves no time for another. */
  failed(error: unknown, final: boolean): void;
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/**
 * Runs `write` until it succeeds, backing off from 100 ms to 5 s, for as long as the next try still
 * falls inside the lease (`leaseUntil`, on the injected clock). Never rejects: true when written,
 * false when given up on (the message may then be sent again after the lease).
 */
export async function recordWhileLeased(write: () => Promise<unknown>, leaseUntil: Date, clock: Clock, retry: RecordRetry): Promise<boolean> {
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      await write();
      return true;
    } catch (error) {
      const final = clock.now().getTime() + delay >= leaseUntil.getTime();
      retry.failed(error, final);
      if (final) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
