import { describe, expect, it } from "vitest";
import { groupCommit } from "../../src/db/groupCommit.js";

/** A fake statement that records the batches it was given and takes `ms` to answer. */
function recorder(ms = 20) {
  const batches: number[][] = [];
  const run = groupCommit<number, number>(async (inputs) => {
    batches.push([...inputs]);
    await new Promise((r) => setTimeout(r, ms));
    return inputs.map((i) => (i < 0 ? new Error(`negative: ${i}`) : i * 10));
  });
  return { run, batches };
}

/**
 * Statements that run until the spec lets them finish, so each step waits for an event instead of
 * sleeping: `started(n)` resolves once the n-th statement was sent, `finish(n)` answers it.
 */
function heldStatements(options: { pauseMs?: number; beforeSend?: () => Promise<unknown>; onSend?: (inputs: readonly number[]) => void } = {}) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const run = groupCommit<number, number>(
    async (inputs) => {
      await options.beforeSend?.();
      batches.push([...inputs]);
      options.onSend?.(inputs);
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      for (const w of waiters.filter((w) => w.n <= batches.length)) w.resolve();
      await gate;
      return inputs.map((i) => i * 10);
    },
    { pauseMs: options.pauseMs ?? 0 },
  );
  const started = (n: number) => new Promise<void>((resolve) => (batches.length >= n ? resolve() : waiters.push({ n, resolve })));
  const finish = (n: number) => gates[n - 1]!();
  return { run, batches, started, finish };
}

describe("groupCommit", () => {
  it("sends a lone call at once, on its own", async () => {
    const { run, batches } = recorder();
    expect(await run(1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it("gathers calls made while a statement runs into the next one, answering each caller in order", async () => {
    const { run, batches, started, finish } = heldStatements();
    const first = run(1);
    await started(1); // the first statement is running now
    const rest = [2, 3, 4, 5].map((i) => run(i));
    finish(1);
    await started(2);
    finish(2);
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it("sends the next statement before the callers of the last one carry on", async () => {
    const events: string[] = [];
    const { run, started, finish } = heldStatements({
      // Like pg's pool, which hands out a connection on the next tick.
      beforeSend: () => new Promise((r) => process.nextTick(r)),
      onSend: (inputs) => events.push(`sent ${inputs.join(",")}`),
    });
    const first = run(1).then(() => events.push("caller of 1 carries on"));
    await started(1); // the first statement is running now
    const second = run(2);
    finish(1);
    await started(2);
    finish(2);
    await Promise.all([first, second]);
    expect(events).toEqual(["sent 1", "sent 2", "caller of 1 carries on"]);
  });

  it("with a pause, gathers the calls made during a statement and the pause after it into one", async () => {
    const events: string[] = [];
    const pauseMs = 200;
    const { run, batches, started, finish } = heldStatements({ pauseMs, onSend: (inputs) => events.push(`sent ${inputs.join(",")}`) });
    const first = run(1);
    await started(1); // the first statement is running
    const during = run(2);
    finish(1);
    await first; // the first has finished; the pause is on (no timer can have run since)
    const inPause = run(3);
    await started(2);
    finish(2);
    await Promise.all([during, inPause]);
    expect(batches).toEqual([[1], [2, 3]]);
    // Idle again: a lone call goes out at once, not after a pause.
    setTimeout(() => events.push("a pause would end"), pauseMs);
    const lone = run(4);
    await started(3);
    finish(3);
    await lone;
    expect(batches.at(-1)).toEqual([4]);
    expect(events.filter((e) => e === "sent 4" || e === "a pause would end")[0]).toBe("sent 4");
  });

  it("fails only the caller whose input failed", async () => {
    const { run } = recorder();
    const results = await Promise.allSettled([run(1), run(-1), run(2)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("negative: -1");
  });

  it("fails every caller of a statement that throws, and keeps working afterwards", async () => {
    let broken = true;
    const run = groupCommit<number, number>(async (inputs) => {
      if (broken) throw new Error("connection lost");
      return inputs.map((i) => i);
    });
    const results = await Promise.allSettled([run(1), run(2)]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    broken = false;
    expect(await run(3)).toBe(3);
  });
});
