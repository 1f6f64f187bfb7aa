// The process's Prometheus metrics (prom-client), served at GET /metrics. Counters are fed by the
// core's CommandMetrics port, the metered messengers and the adapters' PlatformFailures; gauges that
// describe shared state (queue depth, today's OpenAlex spend) are read when Prometheus scrapes.
// Labels are bounded: platform, command name, outcome, queue, state — never a user or a query.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PlatformFailures } from "../adapters/platformFailures.js";
import type { CommandAnswered, CommandMetrics, CommandShed, IngestCycle, IngestMetrics } from "../core/metrics.js";
import type { Platform } from "../core/context.js";
import type { DirectoryUsage } from "../core/search/ScholarlyDirectory.js";
import type { HttpServer } from "../http/HttpServer.js";
import type { JobRun } from "../jobs/jobCorrelation.js";
import type { DeliveryMetrics, DeliveryOutcome } from "./meteredMessengers.js";

/** A BullMQ queue as a scrape reads it: job counts by state, and the oldest waiting job. */
export interface QueueCounts {
  name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
  /** BullMQ Queue.getJobs(types, start, end, asc): with asc, the oldest first; `timestamp` in ms */
  getJobs?(types: "wait"[], start?: number, end?: number, asc?: boolean): Promise<({ timestamp: number } | undefined)[]>;
}

/** node-postgres pool figures (pg.Pool totalCount, idleCount, waitingCount). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** How a chat platform was acknowledged: Slack's HTTP response, Discord's interaction callback by type. */
export type AckKind = "http" | "reply" | "defer" | "modal" | "autocomplete" | "update" | "other";

export interface PromMetricsSources {
  /** Every job run in this process (onJobRun). */
  jobRuns?: (listener: (run: JobRun) => void) => () => void;
  queues?: QueueCounts[];
  /** The process's database pool, read at scrape time. */
  pool?: PoolCounts;
  /** Epoch milliseconds, for the age of the oldest waiting job (the wall clock: BullMQ stamps jobs with it). */
  now?: () => number;
  /** Today's OpenAlex requests and spend, shared by every process through Postgres. */
  openAlexUsage?: () => Promise<DirectoryUsage>;
  failures?: PlatformFailures;
}

const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed", "paused"] as const;
/** A scrape must answer even when Redis or Postgres does not. */
const SCRAPE_TIMEOUT_MS = 2_000;

export class PromMetrics implements CommandMetrics, DeliveryMetrics, IngestMetrics {
  readonly registry = new Registry();
  private readonly commandSeconds: Histogram<"platform" | "command">;
  private readonly replies: Counter<"platform" | "command" | "outcome">;
  private readonly busy: Counter<"platform" | "reason">;
  private readonly deliveries: Counter<"platform" | "outcome">;
  private readonly platformFailures: Counter<"platform" | "call" | "reason">;
  private readonly rateLimited: Counter<"platform">;
  private readonly ackSeconds: Histogram<"platform" | "kind">;
  private readonly httpSeconds: Histogram<"method" | "route" | "status">;
  private readonly ingestRequests: Counter<"price">;
  private readonly ingestSpend: Counter;
  private readonly ingestLastCycle: Gauge<"price">;
  /** What close() undoes: listeners on registries that outlive this object. */
  private readonly subscriptions: (() => void)[] = [];

  constructor(sources: PromMetricsSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "peerlink_" });
    this.commandSeconds = new Histogram({
      name: "peerlink_command_duration_seconds",
      help: "Time from a command reaching the core to its answer",
      labelNames: ["platform", "command"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.replies = new Counter({
      name: "peerlink_replies_total",
      help: "Answers to commands and button presses, by outcome (ok, not_found, refused, error)",
      labelNames: ["platform", "command", "outcome"],
      registers,
    });
    this.busy = new Counter({
      name: "peerlink_busy_replies_total",
      help: 'Commands answered "Peerlink is busy" instead of being started: queue_full, or wait_too_long (COMMAND_QUEUE_*)',
      labelNames: ["platform", "reason"],
      registers,
    });
    this.deliveries = new Counter({
      name: "peerlink_deliveries_total",
      help: "Outbound messages (invitations, notifications, digests, notices): sent, failed for good, or to be retried",
      labelNames: ["platform", "outcome"],
      registers,
    });
    this.platformFailures = new Counter({
      name: "peerlink_platform_failures_total",
      help: "Slack and Discord calls that failed and were handled, by kind of call and reason",
      labelNames: ["platform", "call", "reason"],
      registers,
    });
    this.rateLimited = new Counter({
      name: "peerlink_platform_rate_limited_total",
      help: "Slack and Discord answers of 429 (rate limited)",
      labelNames: ["platform"],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: "peerlink_ack_duration_seconds",
      help: "Time to acknowledge a platform request (Slack: the HTTP response to an event, command or action; Discord: the interaction callback, from the interaction's creation), by kind",
      labelNames: ["platform", "kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: "peerlink_http_request_duration_seconds",
      help: "HTTP requests on PORT by route (as registered), method and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.ingestRequests = new Counter({
      name: "peerlink_ingest_upstream_requests_total",
      help: "Requests ingest sent to OpenAlex, by price class (singleton, list, search)",
      labelNames: ["price"],
      registers,
    });
    this.ingestSpend = new Counter({
      name: "peerlink_ingest_spend_usd_total",
      help: "What ingest's OpenAlex requests cost at the documented prices, in dollars",
      registers,
    });
    this.ingestLastCycle = new Gauge({
      name: "peerlink_ingest_last_cycle_requests",
      help: "Requests the latest ingest cycle in this process sent to OpenAlex, by price class",
      labelNames: ["price"],
      registers,
    });
    const pool = sources.pool;
    if (pool) {
      new Gauge({
        name: "peerlink_db_pool_connections",
        help: "This process's PostgreSQL pool: connections open (total), idle, and requests waiting for one (waiting)",
        labelNames: ["state"],
        registers,
        collect() {
          this.set({ state: "total" }, pool.totalCount);
          this.set({ state: "idle" }, pool.idleCount);
          this.set({ state: "waiting" }, pool.waitingCount);
        },
      });
    }
    if (sources.jobRuns) {
      const waited = new Histogram({
        name: "peerlink_job_wait_seconds",
        help: "Time a BullMQ job waited between becoming due (added, plus its delay) and a worker starting it, by queue",
        labelNames: ["queue"],
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
        registers,
      });
      const runs = new Counter({
        name: "peerlink_job_runs_total",
        help: "BullMQ job runs in this process by queue, outcome (completed, failed) and attempt (1, 2, 3, 4+)",
        labelNames: ["queue", "outcome", "attempt"],
        registers,
      });
      const stop = sources.jobRuns((run) => {
        // A retry's wait would count its backoff: only first runs say how long the queue kept work waiting.
        if (run.attempt === 1 && run.processedOn !== undefined)
          waited.observe({ queue: run.queue }, Math.max(0, run.processedOn - run.timestamp - run.delay) / 1000);
        runs.inc({ queue: run.queue, outcome: run.outcome, attempt: run.attempt >= 4 ? "4+" : String(run.attempt) });
      });
      this.subscriptions.push(stop);
    }
    if (sources.failures) {
      this.subscriptions.push(
        sources.failures.onRecord((f) => {
          this.platformFailures.inc({ platform: f.platform, call: f.call, reason: f.reason });
          if (f.reason === "rate_limited") this.rateLimited.inc({ platform: f.platform });
        }),
      );
    }
    const queues = sources.queues ?? [];
    if (queues.length) {
      new Gauge({
        name: "peerlink_queue_jobs",
        help: "Jobs in each BullMQ queue by state, read from Redis at scrape time (the same for every process)",
        labelNames: ["queue", "state"],
        registers,
        async collect() {
          this.reset();
          await Promise.all(
            queues.map(async (q) => {
              const counts = await withTimeout(q.getJobCounts(...QUEUE_STATES)).catch(() => undefined);
              for (const state of QUEUE_STATES) if (counts) this.set({ queue: q.name, state }, counts[state] ?? 0);
            }),
          );
        },
      });
      const now = sources.now ?? Date.now;
      new Gauge({
        name: "peerlink_queue_oldest_waiting_seconds",
        help: "How long the oldest job waiting in each BullMQ queue has waited (0 when none waits): the queue's lag",
        labelNames: ["queue"],
        registers,
        async collect() {
          this.reset();
          await Promise.all(
            queues.map(async (q) => {
              if (!q.getJobs) return;
              const oldest = await withTimeout(q.getJobs(["wait"], 0, 0, true)).catch(() => undefined);
              if (oldest === undefined) return;
              const job = oldest[0];
              this.set({ queue: q.name }, job ? Math.max(0, (now() - job.timestamp) / 1000) : 0);
            }),
          );
        },
      });
    }
    const usage = sources.openAlexUsage;
    if (usage) {
      const read = () => withTimeout(usage()).catch(() => undefined);
      new Gauge({
        name: "peerlink_openalex_requests_today",
        help: "OpenAlex requests made today (UTC) by every Peerlink process, by price class",
        labelNames: ["kind"],
        registers,
        async collect() {
          const u = await read();
          if (u) for (const [kind, n] of Object.entries(u.requests)) this.set({ kind }, n);
        },
      });
      new Gauge({
        name: "peerlink_openalex_spend_usd_today",
        help: "OpenAlex spend today (UTC) in US dollars, against OPENALEX_DAILY_BUDGET_USD",
        registers,
        async collect() {
          const u = await read();
          if (u) this.set(u.spentUsd);
        },
      });
    }
  }

  commandAnswered({ platform, command, outcome, seconds }: CommandAnswered): void {
    this.commandSeconds.observe({ platform, command }, seconds);
    this.replies.inc({ platform, command, outcome });
  }

  commandShed({ platform, reason }: CommandShed): void {
    this.busy.inc({ platform, reason });
  }

  acknowledged(platform: Platform, kind: AckKind, seconds: number): void {
    this.ackSeconds.observe({ platform, kind }, seconds);
  }

  /** Every answered HTTP request; Slack's events route is also its acknowledgement. */
  observe(http: HttpServer, slackRoutes: readonly string[] = []): void {
    const stop = http.onAnswered(({ method, route, status, seconds }) => {
      this.httpSeconds.observe({ method, route, status: String(status) }, seconds);
      if (slackRoutes.includes(route)) this.ackSeconds.observe({ platform: "slack", kind: "http" }, seconds);
    });
    this.subscriptions.push(stop);
  }

  /** One ingest cycle's upstream requests (by OpenAlex price class) and their cost. */
  ingestCycle({ requests, spendUsd }: IngestCycle): void {
    for (const price of ["singleton", "list", "search"] as const) {
      this.ingestRequests.inc({ price }, requests[price]);
      this.ingestLastCycle.set({ price }, requests[price]);
    }
    this.ingestSpend.inc(spendUsd);
  }

  delivery(platform: Platform, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ platform, outcome });
  }

  /** GET /metrics in Prometheus' text format. */
  serveOn(http: HttpServer): void {
    http.route("GET", "/metrics", async (_req, res) => {
      const body = await this.registry.metrics();
      res.writeHead(200, { "content-type": this.registry.contentType }).end(body);
    });
  }

  close(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    this.registry.clear();
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("metrics source timed out")), SCRAPE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
