// The Prometheus registry's own counters, fed the way main.ts feeds them: deliveries through
// metered messengers and platform failures through the adapters' PlatformFailures.
import { describe, expect, it } from "vitest";
import { PlatformFailures } from "../../src/adapters/platformFailures.js";
import { CommandLimiter } from "../../src/core/CommandLimiter.js";
import { type Messengers, PermanentDeliveryError, RateLimitedError } from "../../src/core/ports.js";
import { notice } from "../../src/core/reply.js";
import { meterMessengers } from "../../src/metrics/meteredMessengers.js";
import { PromMetrics } from "../../src/metrics/PromMetrics.js";
import { Queue, Worker } from "bullmq";
import { correlated, onJobRun } from "../../src/jobs/jobCorrelation.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase } from "../support/db.js";

const to = { platform: "slack" as const, tenantId: "T1", userId: "U1" };

async function value(metrics: PromMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const entry = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return entry?.value;
}

describe("PromMetrics", () => {
  it("counts deliveries sent, failed for good and retried, by platform", async () => {
    const metrics = new PromMetrics();
    const outcomes = [undefined, new PermanentDeliveryError("user gone"), new RateLimitedError(1000), new Error("socket hang up")];
    const messengers: Messengers = {
      slack: {
        send: async () => {
          const next = outcomes.shift();
          if (next) throw next;
          return { messageRef: "C1:1" };
        },
        openConversation: () => Promise.resolve({ channelId: "G1" }),
      },
    };
    meterMessengers(messengers, metrics);
    for (let i = 0; i < 4; i++) await messengers.slack!.send(to, notice("info", "hi")).catch(() => {});
    expect(await value(metrics, "peerlink_deliveries_total", { platform: "slack", outcome: "sent" })).toBe(1);
    expect(await value(metrics, "peerlink_deliveries_total", { platform: "slack", outcome: "failed" })).toBe(1);
    expect(await value(metrics, "peerlink_deliveries_total", { platform: "slack", outcome: "retried" })).toBe(2);
    // What else a messenger offers passes through untouched.
    expect(await messengers.slack!.openConversation!("slack", "T1", ["U1", "U2"])).toEqual({ channelId: "G1" });
    metrics.close();
  });

  it("counts busy replies from the command limiter, by platform and reason", async () => {
    const metrics = new PromMetrics();
    const limiter = new CommandLimiter({ concurrency: 1, queueLength: 0, queueTimeoutMs: 1000 }, testClock(), metrics);
    let release = () => {};
    const held = limiter.run("discord", () => new Promise<void>((resolve) => (release = resolve)));
    await limiter.run("discord", async () => {});
    await limiter.run("slack", async () => {});
    expect(await value(metrics, "peerlink_busy_replies_total", { platform: "discord", reason: "queue_full" })).toBe(1);
    expect(await value(metrics, "peerlink_busy_replies_total", { platform: "slack", reason: "queue_full" })).toBe(1);
    release();
    await held;
    metrics.close();
  });

  it("counts handled platform failures and 429s from the adapters' registry", async () => {
    const failures = new PlatformFailures();
    const metrics = new PromMetrics({ failures });
    failures.record({ platform: "discord", call: "dm", reason: "rate_limited" });
    failures.record({ platform: "discord", call: "reply", reason: "rate_limited" });
    failures.record({ platform: "slack", call: "response_url", reason: "gone" });
    expect(await value(metrics, "peerlink_platform_rate_limited_total", { platform: "discord" })).toBe(2);
    expect(await value(metrics, "peerlink_platform_failures_total", { platform: "slack", call: "response_url", reason: "gone" })).toBe(1);
    metrics.close();
    failures.record({ platform: "discord", call: "dm", reason: "rate_limited" });
  });

  it("reads queue depth at scrape time and still answers when a queue cannot be read", async () => {
    const metrics = new PromMetrics({
      queues: [
        { name: "invitations", getJobCounts: () => Promise.resolve({ waiting: 3, active: 1, delayed: 2, failed: 0, prioritized: 0, paused: 0 }) },
        { name: "imports", getJobCounts: () => Promise.reject(new Error("Redis is away")) },
      ],
    });
    const scrape = await metrics.registry.metrics();
    expect(scrape).toContain('peerlink_queue_jobs{queue="invitations",state="waiting"} 3');
    expect(scrape).toContain('peerlink_queue_jobs{queue="invitations",state="delayed"} 2');
    expect(scrape).not.toContain('queue="imports"');
    metrics.close();
  });

  it("reports how long the oldest waiting job has waited, from the real BullMQ queue", async () => {
    const t = await createTestDatabase();
    const queue = new Queue("lagging", { connection: { url: t.redisUrl }, prefix: t.redisPrefix });
    try {
      const metrics = new PromMetrics({ queues: [queue], now: () => first.timestamp + 5_000 });
      expect(await value(metrics, "peerlink_queue_oldest_waiting_seconds", { queue: "lagging" })).toBe(0);
      const first = await queue.add("job", {});
      await queue.add("job", {}, { timestamp: first.timestamp + 3_000 });
      expect(await value(metrics, "peerlink_queue_oldest_waiting_seconds", { queue: "lagging" })).toBe(5);
      metrics.close();
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await t.drop();
    }
  });

  it("counts job runs by queue, outcome and attempt, and how long first runs waited, from a real BullMQ worker", async () => {
    const t = await createTestDatabase();
    const connection = { url: t.redisUrl, maxRetriesPerRequest: null };
    const metrics = new PromMetrics({ jobRuns: onJobRun });
    const queue = new Queue("retried", { connection, prefix: t.redisPrefix });
    let runs = 0;
    const worker = new Worker(
      "retried",
      correlated(async () => {
        if (++runs === 1) throw new Error("the first attempt fails");
      }),
      { connection, prefix: t.redisPrefix },
    );
    const completed = new Promise((resolve) => worker.once("completed", resolve));
    try {
      await queue.add("job", {}, { attempts: 3 });
      await completed;
      expect(await value(metrics, "peerlink_job_runs_total", { queue: "retried", outcome: "failed", attempt: "1" })).toBe(1);
      expect(await value(metrics, "peerlink_job_runs_total", { queue: "retried", outcome: "completed", attempt: "2" })).toBe(1);
      const histogram = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === "peerlink_job_wait_seconds");
      const count = histogram?.values.find(
        (v) => (v as { metricName?: string }).metricName === "peerlink_job_wait_seconds_count" && v.labels.queue === "retried",
      );
      expect(count?.value).toBe(1); // the retry's wait is its backoff, not the queue's
    } finally {
      metrics.close();
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await t.drop();
    }
  });
});
