// A record that must follow a send (a delivery marked sent, an invitation DM on record) is retried
// while its lease keeps other attempts away, and given up on once the next try would fall past it.
import { expect, it } from "vitest";
import { recordWhileLeased } from "../../src/core/recordWhileLeased.js";
import { TEST_START, testClock } from "../support/clock.js";

const failing = (times: number) => {
  let calls = 0;
  return {
    write: async () => {
      if (++calls <= times) throw new Error(`Postgres is restarting (${calls})`);
    },
    calls: () => calls,
  };
};

it("writes through a short outage: the failures are reported, the record is written once", async () => {
  const clock = testClock(TEST_START, { frozen: true });
  const db = failing(2);
  const seen: Array<[string, boolean]> = [];
  const ok = await recordWhileLeased(db.write, new Date(TEST_START.getTime() + 30_000), clock, {
    failed: (e, final) => seen.push([(e as Error).message, final]),
  });
  expect(ok).toBe(true);
  expect(db.calls()).toBe(3);
  expect(seen).toEqual([
    ["Postgres is restarting (1)", false],
    ["Postgres is restarting (2)", false],
  ]);
});

it("gives up, without throwing, once the next try would fall after the lease", async () => {
  const clock = testClock(TEST_START, { frozen: true });
  const db = failing(Infinity);
  const finals: boolean[] = [];
  const lease = new Date(TEST_START.getTime() + 1_000);
  // each failure moves the pinned clock on by 400 ms: tries at 0, 400 and 800 ms; the third's retry would pass the lease
  const ok = await recordWhileLeased(db.write, lease, clock, {
    failed: (_e, final) => {
      finals.push(final);
      clock.advance(400);
    },
  });
  expect(ok).toBe(false);
  expect(finals).toEqual([false, false, true]);
  expect(db.calls()).toBe(3);
});
