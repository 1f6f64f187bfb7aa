// The per-process bound on commands (issue 21): a turn each up to the concurrency, a FIFO queue
// behind it, and a busy answer instead of a wait that is too long. Time is the test clock's.
import { describe, expect, it } from "vitest";
import { busyReply, CommandLimiter } from "../../src/core/CommandLimiter.js";
import type { CommandShed } from "../../src/core/metrics.js";
import { testClock } from "../support/clock.js";

/** Work that finishes when the test says so. */
function gate<T = string>(value?: T) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, work: async () => (await opened, value as T) };
}

function limiter(limits: { concurrency: number; queueLength: number; queueTimeoutMs: number }, clock = testClock(undefined, { frozen: true })) {
  const shed: CommandShed[] = [];
  const metrics = { commandAnswered: () => {}, commandShed: (e: CommandShed) => shed.push(e) };
  return { limiter: new CommandLimiter(limits, clock, metrics), clock, shed };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CommandLimiter", () => {
  it("runs work at once while a turn is free", async () => {
    const { limiter: l } = limiter({ concurrency: 2, queueLength: 0, queueTimeoutMs: 1000 });
    await expect(l.run("slack", async () => "card")).resolves.toEqual({ ok: true, value: "card" });
    expect(l.load).toEqual({ running: 0, waiting: 0 });
  });

  it("answers busy at once when the queue is full, and counts it", async () => {
    const { limiter: l, shed } = limiter({ concurrency: 1, queueLength: 1, queueTimeoutMs: 1000 });
    const first = gate("first");
    const running = l.run("slack", first.work);
    const waiting = l.run("discord", async () => "second");
    await expect(l.run("discord", async () => "third")).resolves.toEqual({ ok: false, shed: "queue_full" });
    expect(shed).toEqual([{ platform: "discord", reason: "queue_full" }]);
    expect(l.load).toEqual({ running: 1, waiting: 1 });
    first.open();
    await expect(running).resolves.toEqual({ ok: true, value: "first" });
    await expect(waiting).resolves.toEqual({ ok: true, value: "second" });
  });

  it("answers busy a command whose turn came after the queue timeout, and runs the next one in time", async () => {
    const { limiter: l, clock, shed } = limiter({ concurrency: 1, queueLength: 5, queueTimeoutMs: 2000 });
    const first = gate();
    void l.run("slack", first.work);
    const late = l.run("slack", async () => "late");
    clock.advance(1500);
    const inTime = l.run("slack", async () => "in time");
    clock.advance(600); // the first waiter has now waited 2.1 s, the second 0.6 s
    first.open();
    await expect(late).resolves.toEqual({ ok: false, shed: "wait_too_long" });
    await expect(inTime).resolves.toEqual({ ok: true, value: "in time" });
    expect(shed).toEqual([{ platform: "slack", reason: "wait_too_long" }]);
  });

  it("answers busy at once when the commands ahead would take longer than the timeout", async () => {
    const { limiter: l, clock } = limiter({ concurrency: 1, queueLength: 10, queueTimeoutMs: 1500 });
    // One measured run of 1 s: a newcomer behind one running and one waiting would wait about 2 s.
    const measured = gate();
    const done = l.run("slack", measured.work);
    clock.advance(1000);
    measured.open();
    await done;
    const running = gate();
    void l.run("slack", running.work);
    const waiting = l.run("slack", async () => "waits");
    await expect(l.run("slack", async () => "too late")).resolves.toEqual({ ok: false, shed: "wait_too_long" });
    running.open();
    await expect(waiting).resolves.toEqual({ ok: true, value: "waits" });
  });

  it("predicts nothing before every turn has been used once (the first commands are the slowest)", async () => {
    const { limiter: l, clock } = limiter({ concurrency: 2, queueLength: 10, queueTimeoutMs: 100 });
    const cold = gate();
    const done = l.run("slack", cold.work);
    clock.advance(1000);
    cold.open();
    await done;
    const [a, b] = [gate(), gate()];
    void l.run("slack", a.work);
    void l.run("slack", b.work);
    const queued = l.run("slack", async () => "waited");
    expect(l.load).toEqual({ running: 2, waiting: 1 });
    a.open();
    await expect(queued).resolves.toEqual({ ok: true, value: "waited" });
    b.open();
  });

  it("starts and completes queued commands in the order they came", async () => {
    const { limiter: l } = limiter({ concurrency: 1, queueLength: 10, queueTimeoutMs: 1000 });
    const order: string[] = [];
    const first = gate();
    const runs = [
      l.run("slack", async () => (await first.work(), order.push("a"))),
      ...["b", "c", "d", "e"].map((name) => l.run("slack", async () => order.push(name))),
    ];
    await settle();
    expect(order).toEqual([]);
    first.open();
    await Promise.all(runs);
    expect(order).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("never runs more than its concurrency at once", async () => {
    const { limiter: l } = limiter({ concurrency: 3, queueLength: 100, queueTimeoutMs: 1000 });
    let now = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        l.run("slack", async () => {
          most = Math.max(most, ++now);
          await settle();
          now--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it("says when work has to wait for its turn, before the wait begins", async () => {
    const { limiter: l } = limiter({ concurrency: 1, queueLength: 1, queueTimeoutMs: 1000 });
    const waits: string[] = [];
    const first = gate();
    const running = l.run("discord", first.work, { onWait: () => waits.push("first") });
    const queued = l.run("discord", async () => "second", { onWait: () => waits.push("second") });
    void l.run("discord", async () => "refused", { onWait: () => waits.push("refused") });
    expect(waits).toEqual(["second"]);
    first.open();
    await Promise.all([running, queued]);
  });

  it("passes a failure on as it came and gives the turn back", async () => {
    const { limiter: l } = limiter({ concurrency: 1, queueLength: 1, queueTimeoutMs: 1000 });
    const failing = l.run("slack", () => Promise.reject(new Error("database down")));
    const next = l.run("slack", async () => "next");
    await expect(failing).rejects.toThrow("database down");
    await expect(next).resolves.toEqual({ ok: true, value: "next" });
    expect(l.load).toEqual({ running: 0, waiting: 0 });
  });

  it("tells a waiter it is busy once the timeout passes, even while no turn frees", async () => {
    const { limiter: l } = limiter({ concurrency: 1, queueLength: 1, queueTimeoutMs: 40 }, testClock());
    const stuck = gate();
    void l.run("discord", stuck.work);
    await expect(l.run("discord", async () => "never")).resolves.toEqual({ ok: false, shed: "wait_too_long" });
    expect(l.load).toEqual({ running: 1, waiting: 0 });
    stuck.open();
  });

  it("says so in a private warning, never an apology", () => {
    const reply = busyReply();
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.reply).toEqual({ kind: "notice", level: "warning", text: "Peerlink is busy, try again in a moment." });
  });
});
