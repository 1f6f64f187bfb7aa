// Bounds the commands one process works on at once. Past the limit a command waits its turn in a
// FIFO queue; when the queue is full, or its turn would come later than the user should wait, it
// is not started at all and the user is told Peerlink is busy (an answer, not an error). Everything
// at once is what made the pool's connections, the event loop and memory run out under load (#21).
import type { Clock, Platform } from "./context.js";
import { keepCorrelationId } from "./correlation.js";
import { type CommandMetrics, noCommandMetrics, type ShedReason } from "./metrics.js";
import { ephemeral, notice, type Response } from "./reply.js";

export interface CommandLimits {
  /** Commands worked on at once (sized from the database pool, see config COMMAND_CONCURRENCY). */
  concurrency: number;
  /** Commands waiting for a turn; one more is answered busy at once. */
  queueLength: number;
  /** The longest a command waits for its turn; one that would wait longer is answered busy. */
  queueTimeoutMs: number;
}

/** Ten connections, two kept for workers, health checks and imports; a wait well inside 3 s. */
export const DEFAULT_COMMAND_LIMITS: CommandLimits = { concurrency: 8, queueLength: 200, queueTimeoutMs: 2000 };

export type Limited<T> = { ok: true; value: T } | { ok: false; shed: ShedReason };

/** What the user sees when their command was not started. */
export const busyReply = (): Response => ephemeral(notice("warning", "Peerlink is busy, try again in a moment."));

interface Waiter {
  start: () => void;
  shed: (reason: ShedReason) => void;
  since: number;
  timer?: NodeJS.Timeout;
}

/** How much a new run time moves the average: recent load counts most, one slow command little. */
const SMOOTHING = 0.2;

export class CommandLimiter {
  readonly limits: CommandLimits;
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private averageRunMs: number | undefined;
  private runs = 0;

  constructor(
    limits: Partial<CommandLimits>,
    private readonly clock: Clock,
    private readonly metrics: CommandMetrics = noCommandMetrics,
  ) {
    this.limits = { ...DEFAULT_COMMAND_LIMITS, ...limits };
    if (!(this.limits.concurrency >= 1)) throw new Error("CommandLimiter: concurrency must be at least 1");
  }

  /** Commands being worked on and waiting, for metrics and tests. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `work` when a turn is free, or says why it was not run. A failure of `work` rejects, as it
   * came; its turn is given back either way. `onWait` is called when `work` has to wait its turn.
   */
  run<T>(platform: Platform, work: () => Promise<T>, { onWait }: { onWait?: () => void } = {}): Promise<Limited<T>> {
    if (this.running < this.limits.concurrency && this.waiting.length === 0) return this.start(work);
    const refused = this.refusal();
    if (refused) return Promise.resolve(this.shed(platform, refused));
    // Told before the wait begins, e.g. so Discord's interaction is deferred now rather than later.
    onWait?.();
    return new Promise<Limited<T>>((resolve, reject) => {
      const waiter: Waiter = {
        since: this.nowMs(),
        // Started by whichever command frees the turn, but run under this one's correlation id.
        start: keepCorrelationId(() => void this.start(work).then(resolve, reject)),
        shed: (reason) => resolve(this.shed(platform, reason)),
      };
      this.waiting.push(waiter);
      this.expireLater(waiter, this.limits.queueTimeoutMs);
    });
  }

  /** Why a newcomer cannot wait: the queue is full, or the commands ahead would take too long. */
  private refusal(): ShedReason | undefined {
    if (this.waiting.length >= this.limits.queueLength) return "queue_full";
    // Its turn comes once everyone ahead has had one: (ahead + 1) / concurrency runs of average length.
    // Only once every turn has been used once: the first commands after a start are the slowest.
    if (this.runs < this.limits.concurrency) return undefined;
    const predictedMs = ((this.waiting.length + 1) / this.limits.concurrency) * (this.averageRunMs ?? 0);
    if (predictedMs > this.limits.queueTimeoutMs) return "wait_too_long";
    return undefined;
  }

  private async start<T>(work: () => Promise<T>): Promise<Limited<T>> {
    this.running++;
    const started = this.nowMs();
    try {
      return { ok: true, value: await work() };
    } finally {
      const took = Math.max(0, this.nowMs() - started);
      this.averageRunMs = this.averageRunMs === undefined ? took : this.averageRunMs + SMOOTHING * (took - this.averageRunMs);
      this.runs++;
      this.running--;
      this.next();
    }
  }

  /** Gives a freed turn to the longest waiter that can still use it. */
  private next(): void {
    while (this.running < this.limits.concurrency && this.waiting.length > 0) {
      const waiter = this.waiting.shift()!;
      clearTimeout(waiter.timer);
      if (this.nowMs() - waiter.since > this.limits.queueTimeoutMs) waiter.shed("wait_too_long");
      else waiter.start();
    }
  }

  /**
   * A waiter whose turn does not come in time hears so without waiting for one. Time is the
   * clock's: the timer only says when to look again (a frozen test clock never expires anyone).
   */
  private expireLater(waiter: Waiter, afterMs: number): void {
    waiter.timer = setTimeout(() => {
      const left = this.limits.queueTimeoutMs - (this.nowMs() - waiter.since);
      if (left > 0) return this.expireLater(waiter, left);
      const at = this.waiting.indexOf(waiter);
      if (at === -1) return;
      this.waiting.splice(at, 1);
      waiter.shed("wait_too_long");
    }, afterMs);
    waiter.timer.unref();
  }

  private shed<T>(platform: Platform, reason: ShedReason): Limited<T> {
    try {
      this.metrics.commandShed?.({ platform, reason });
    } catch {
      // Counting must never cost the user their answer.
    }
    return { ok: false, shed: reason };
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}
