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

describe("groupCommit", () => {
  it("sends a lone call at once, on its own", async () => {
    const { run, batches } = recorder();
    expect(await run(1)).toBe(10);
    expect(batches).toEqual([[1]]);
  });

  it("gathers calls made while a statement runs into the next one, answering each caller in order", async () => {
    const { run, batches } = recorder();
    const first = run(1);
    await new Promise((r) => setTimeout(r, 5)); // the first statement is running now
    const rest = [2, 3, 4, 5].map((i) => run(i));
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it("sends the next statement before the callers of the last one carry on", async () => {
    const events: string[] = [];
    const run = groupCommit<number, number>(async (inputs) => {
      // Like pg's pool, which hands out a connection on the next tick.
      await new Promise((r) => process.nextTick(r));
      events.push(`sent ${inputs.join(",")}`);
      await new Promise((r) => setTimeout(r, 10));
      return inputs;
    });
    const first = run(1).then(() => events.push("caller of 1 carries on"));
    await new Promise((r) => setTimeout(r, 2)); // the first statement is running now
    const second = run(2);
    await Promise.all([first, second]);
    expect(events).toEqual(["sent 1", "sent 2", "caller of 1 carries on"]);
  });

  it("with a pause, gathers the calls made during a statement and the pause after it into one", async () => {
    const batches: number[][] = [];
    const events: string[] = [];
    const run = groupCommit<number, number>(
      async (inputs) => {
        batches.push([...inputs]);
        events.push(`sent ${inputs.join(",")}`);
        await new Promise((r) => setTimeout(r, 20));
        return inputs;
      },
      { pauseMs: 30 },
    );
    const first = run(1);
    await new Promise((r) => setTimeout(r, 5)); // the first statement is running
    const during = run(2);
    await new Promise((r) => setTimeout(r, 30)); // the first has finished; the pause is on
    const inPause = run(3);
    await Promise.all([first, during, inPause]);
    expect(batches).toEqual([[1], [2, 3]]);
    // Idle again: a lone call goes out at once, not after a pause.
    setTimeout(() => events.push("a pause would end"), 30);
    await run(4);
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
