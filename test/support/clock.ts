// The one clock the tests give the core. It starts at a fixed instant and moves forward with real
// elapsed time (the system-wide monotonic clock, so a child process can share it), which keeps
// leases, expiries and BullMQ retries working while the calendar date is always the same: a spec
// passes on any date the machine thinks it is. `set` and `advance` jump it, as a test needs.
import type { Clock } from "../../src/core/context.js";

/** Where every test clock starts unless a spec says otherwise: a Wednesday, 12:00 UTC. */
export const TEST_START = new Date("2026-11-25T12:00:00.000Z");

export interface TestClock extends Clock {
  /** Jumps to `at`; time goes on from there. */
  set(at: Date): void;
  advance(ms: number): void;
  /** Passed to a child process (env `TEST_CLOCK`) so that its clock reads the same as this one. */
  readonly shared: string;
}

const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);

/** A clock that starts at `start` and ticks; `frozen` stops it ticking (it moves only by set/advance). */
export function testClock(start: Date = TEST_START, { frozen = false, anchorMs = monotonicMs() } = {}): TestClock {
  let base = start.getTime();
  let anchor = anchorMs;
  const elapsed = () => (frozen ? 0 : monotonicMs() - anchor);
  return {
    now: () => new Date(base + elapsed()),
    set(at) {
      base = at.getTime();
      anchor = monotonicMs();
    },
    advance(ms) {
      base += ms;
    },
    get shared() {
      return `${base}:${anchor}:${frozen ? 1 : 0}`;
    },
  };
}

/** The clock a parent process shared through env `TEST_CLOCK` (see `TestClock.shared`). */
export function sharedTestClock(value: string | undefined): TestClock {
  const [base, anchor, frozen] = (value ?? "").split(":").map(Number);
  if (!Number.isFinite(base) || !Number.isFinite(anchor)) return testClock();
  return testClock(new Date(base!), { anchorMs: anchor!, frozen: frozen === 1 });
}

/**
 * Real wall-clock time, for what is not ours to inject: Bolt checks a Slack request's signature
 * timestamp against the wall clock, so the Slack stand-in signs by it too; Discord snowflakes carry it.
 */
export const wallClockMs = (): number => Date.now();
