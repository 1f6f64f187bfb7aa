// A `workers` process for the fault suite: the real notification and invitation workers (their
// schedules and reconcilers included) wired as src/main.ts wires them, with the real Slack and
// Discord messengers talking to the stand-ins, and the test clock shared by the suite (env
// TEST_CLOCK). Only what a test must control differs from production: lease and lock times short
// enough for a takeover within the run, no platform rate limit of our own (the stand-ins have none),
// and SIGUSR2, which moves this process's clock an hour ahead (the clock-jump scenario).
//
// It says "ready" on stdout once its workers run, and "jumped" after each SIGUSR2.
import { pino } from "pino";
import { DiscordMessenger } from "../../src/adapters/discord/DiscordMessenger.js";
import { SlackMessenger } from "../../src/adapters/slack/SlackMessenger.js";
import { createCore } from "../../src/core/Core.js";
import { createDb } from "../../src/db/client.js";
import { startInvitationWorkers } from "../../src/jobs/invitations/worker.js";
import { createInvitationProducer } from "../../src/jobs/invitations/producer.js";
import { startNotificationWorkers } from "../../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../../src/sources/openalex/client.js";
import { OpenAlexSource } from "../../src/sources/openalex/OpenAlexSource.js";
import { installProcessSafetyNet } from "../../src/processSafetyNet.js";
import { sharedTestClock } from "../support/clock.js";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`fault-worker needs ${name}`);
  return value;
};
const ms = (name: string) => Number(env(name));

const logger = pino({ level: process.env.FAULT_WORKER_LOG ?? "silent" }, pino.destination(2));
installProcessSafetyNet(logger, () => process.exit(1));
const clock = sharedTestClock(process.env.TEST_CLOCK);
const db = createDb(env("DATABASE_URL"), { poolSize: 10 });
const queue = { redisUrl: env("REDIS_URL"), prefix: env("REDIS_PREFIX") };
/** The clients' timeout, shorter than production's (Slack 20 s, Discord 10 s) so the hang fault's calls come back within the run. */
const timeoutMs = ms("PLATFORM_TIMEOUT_MS");
const retry = { attempts: ms("DELIVERY_ATTEMPTS"), backoffMs: ms("DELIVERY_BACKOFF_MS") };
const invitationQueue = createInvitationProducer(queue, retry);
const core = createCore({
  clock,
  db,
  log: logger,
  messengers: {
    slack: new SlackMessenger({ db, apiUrl: env("SLACK_API_URL"), botToken: async () => "xoxb-faults", timeoutMs }),
    discord: DiscordMessenger.create({ db, token: env("DISCORD_TOKEN"), apiUrl: env("DISCORD_API_URL"), timeoutMs }),
  },
  invitations: { queue: invitationQueue, deliveryLeaseMs: ms("LEASE_MS") },
});
const lockMs = ms("LOCK_MS");
const unlimited = { max: 1_000, duration: 100 };
await startNotificationWorkers({
  core,
  // Ingest is the suite's (in its own process); the scheduled one here finds nothing where nothing listens.
  source: new OpenAlexSource(new OpenAlexClient({ apiUrl: "http://127.0.0.1:9", baseDelayMs: 5, maxDelayMs: 20 })),
  queue,
  logger,
  ingestIntervalMinutes: 60,
  leaseMs: ms("LEASE_MS"),
  lockDurationMs: lockMs,
  stalledIntervalMs: lockMs,
  limits: { slack: unlimited, discord: unlimited },
  concurrency: 20,
  retry,
});
await startInvitationWorkers({
  core,
  queue,
  logger,
  options: { lockDurationMs: lockMs, retry, expireEveryMs: 500, reconcileEveryMs: ms("RECONCILE_EVERY_MS") },
});
process.on("SIGUSR2", () => {
  clock.advance(3_600_000);
  process.stdout.write("jumped\n");
});
process.stdout.write("ready\n");
