// Wiring: reads config, checks Postgres and Redis, starts the roles this process runs (PEERLINK_ROLES
// or --roles: slack, discord, workers, http; by default every one that is configured, and the
// console shell when no chat platform is), and shuts everything down cleanly on SIGINT/SIGTERM.
// Every process serves /health and /metrics on PORT, so each member of a fleet can be probed.
import "dotenv/config";
import { runCli } from "./runCli.js";
import { ConsoleAdapter, consoleContext } from "./adapters/console/ConsoleAdapter.js";
import { runShell } from "./adapters/console/shell.js";
import { attachConsoleMessenger, consoleClaimSettings } from "./adapters/console/consolePlatform.js";
import { DiscordMessenger } from "./adapters/discord/DiscordMessenger.js";
import { startDiscord } from "./adapters/discord/startDiscord.js";
import { RedisReplayGuard } from "./adapters/slack/replayGuard.js";
import { createSlackMessenger, SLACK_PATHS, startSlack } from "./adapters/slack/startSlack.js";
import { connectDatabase, connectRedis } from "./bootstrap.js";
import { sqlPool } from "./db/client.js";
import { onJobRun } from "./jobs/jobCorrelation.js";
import { discordEnabled, loadConfig, slackEnabled } from "./config.js";
import { claimSettingsFrom } from "./core/claims/claimSettings.js";
import { createCore } from "./core/Core.js";
import type { Messengers } from "./core/ports.js";
import { registerHealthChecks, registerPlatformReadiness } from "./http/healthChecks.js";
import { HttpServer } from "./http/HttpServer.js";
import { mountQueueDashboard } from "./http/queueDashboard.js";
import { openQueues } from "./jobs/queues.js";
import { meterMessengers } from "./metrics/meteredMessengers.js";
import { PromMetrics } from "./metrics/PromMetrics.js";
import { platformFailures } from "./adapters/platformFailures.js";
import { registerOrcidRoutes } from "./http/orcid.js";
import type { QueueSettings } from "./jobs/connection.js";
import { createInvitationProducer } from "./jobs/invitations/producer.js";
import { startHousekeeping } from "./jobs/housekeeping/worker.js";
import { startInvitationWorkers } from "./jobs/invitations/worker.js";
import { startNotificationWorkers } from "./jobs/notifications/worker.js";
import { createLogger } from "./logger.js";
import { installProcessSafetyNet } from "./processSafetyNet.js";
import { OpenAlexSource } from "./sources/openalex/OpenAlexSource.js";
import { OpenAlexWorkStatus } from "./sources/openalex/OpenAlexWorkStatus.js";
import { openAlexFrom } from "./sources/openalex/openAlexFrom.js";
import { ImportProducer } from "./jobs/import/producer.js";
import { startImportWorker } from "./jobs/import/worker.js";
import { consoleImportProgress } from "./adapters/console/importProgress.js";
import { orcidClientFrom } from "./sources/orcid/OrcidOAuthClient.js";
import type { Service } from "./Service.js";
import { systemClock } from "./core/context.js";

await runCli(async () => {
  const config = loadConfig(process.env, process.argv.slice(2));
  const roles = new Set(config.roles);
  const chat = slackEnabled(config) || discordEnabled(config);
  // The console shell shares the terminal with the logs: keep them to warnings there.
  const logger = createLogger(chat || config.logLevel !== "info" ? config.logLevel : "warn");
  // Until the services are up there is nothing to stop cleanly.
  let onFatal = (): void => process.exit(1);
  installProcessSafetyNet(logger, () => onFatal());
  const db = await connectDatabase(config);
  const redis = await connectRedis(config);
  const queue: QueueSettings = { redisUrl: config.redisUrl, prefix: config.redisPrefix };

  // Messengers exist before the core so that workers and adapters share them.
  const messengers: Messengers = {};
  if (slackEnabled(config)) messengers.slack = createSlackMessenger(db, config);
  if (discordEnabled(config)) {
    messengers.discord = DiscordMessenger.create({ db, token: config.discord.token!, apiUrl: config.discord.apiUrl });
  }
  const invitationQueue = createInvitationProducer(queue);
  const openalex = openAlexFrom(config, db);
  const queues = openQueues(queue);
  const metrics = new PromMetrics({
    queues: queues.queues,
    openAlexUsage: () => openalex.usage.today(),
    failures: platformFailures,
    pool: sqlPool(db),
    jobRuns: onJobRun,
  });
  meterMessengers(messengers, metrics);
  if (openalex.warning) logger.warn({}, openalex.warning);
  // Chat: the rest of an import runs as a job after the first card. Console: inline, with a progress line.
  const importQueue = chat ? new ImportProducer(queue) : undefined;
  const core = createCore({
    clock: systemClock,
    db,
    log: logger,
    messengers,
    metrics,
    commands: config.commands,
    claims: chat ? claimSettingsFrom(config) : consoleClaimSettings(config),
    // Without a chat platform there is nobody to deliver to through a queue: the console delivers inline.
    invitations: {
      queue: chat ? invitationQueue : undefined,
      policy: config.invitations,
      deliveryLeaseMs: config.takeover.deliveryLeaseMs,
      reminders: { unansweredAfterHours: config.invitations.remindAfterHours },
    },
    scholarly: config.openalex.liveLookup
      ? {
          directory: openalex.directory,
          imports: importQueue,
          settings: { staleAfterMs: config.openalex.refreshAfterDays * 86_400_000 },
          onImportProgress: chat ? undefined : consoleImportProgress(),
        }
      : undefined,
  });
  // Without a chat platform the console is the platform: local users receive messages in the shell.
  const consoleMessenger = config.embedded && !chat ? attachConsoleMessenger(core) : undefined;

  const services: Service[] = [{ name: "invitation-producer", stop: () => invitationQueue.close() }];
  if (importQueue) services.push({ name: "import-producer", stop: () => importQueue.close() });
  const http = new HttpServer((err, req) => logger.error({ err, url: req.url }, "http handler failed"));
  registerHealthChecks(http, { db, redis });
  metrics.serveOn(http);
  metrics.observe(http, [SLACK_PATHS.events]);
  // The web-facing pages other than Slack's belong to the http role.
  if (roles.has("http")) {
    registerOrcidRoutes(http, { claims: core.claims, orcid: orcidClientFrom(config), log: logger });
    if (config.adminToken) mountQueueDashboard(http, queues.queues, config.adminToken);
  }

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, graceMs: config.shutdownGraceMs }, "shutting down");
    http.drain();
    const stop = (s: Service) => s.stop().catch((err: unknown) => logger.error({ err, service: s.name }, "stop failed"));
    const stage = (s: Service) => (s.name === "slack" || s.name === "discord" ? 0 : s.name.endsWith("-producer") ? 2 : 1);
    const graceful = (async () => {
      // No new commands; then commands being answered and jobs being run finish (closing a worker
      // waits for its running jobs) while nothing new is picked up; producers go last, as a
      // command or job may still enqueue.
      await Promise.all(services.filter((s) => stage(s) === 0).map(stop));
      await Promise.all([core.router.idle(), ...services.filter((s) => stage(s) === 1).map(stop)]);
      await Promise.all(services.filter((s) => stage(s) === 2).map(stop));
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), config.shutdownGraceMs)));
    // Jobs cut off here stay in Redis as stalled and are taken over by another workers process.
    if (!(await Promise.race([graceful, graceOver])))
      logger.warn({ graceMs: config.shutdownGraceMs }, "grace period over: exiting with work unfinished");
    clearTimeout(timer);
    metrics.close();
    await Promise.all([http.close(), queues.close()]);
    redis.disconnect();
    await db.$disconnect();
    logger.info({ reason }, "stopped");
    process.exit(); // with process.exitCode: 1 after a fatal error
  };
  onFatal = () => {
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 10_000).unref(); // a stop that hangs must not keep a broken process alive
    void shutdown("uncaught exception");
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  // The console shell runs no workers role, but new papers and digests for local users are found
  // and delivered here: the only process with a console messenger is the one that can show them.
  if (roles.has("workers") || consoleMessenger) {
    services.push(
      await startNotificationWorkers({
        core,
        source: new OpenAlexSource(openalex.client),
        workStatus: new OpenAlexWorkStatus(openalex.client),
        queue,
        logger,
        ingestIntervalMinutes: config.ingestIntervalMinutes,
        ingest: { lookbackDays: config.ingestLookbackDays },
        ingestMetrics: metrics,
        leaseMs: config.takeover.deliveryLeaseMs,
        lockDurationMs: config.takeover.jobLockMs,
        stalledIntervalMs: config.takeover.jobLockMs,
      }),
    );
  }
  if (roles.has("workers")) {
    services.push(await startInvitationWorkers({ core, queue, logger, options: { lockDurationMs: config.takeover.jobLockMs } }));
    services.push(await startHousekeeping({ core, queue, logger }));
    services.push(await startImportWorker({ core, queue, logger }));
  }

  const port = await http.listen(config.port);
  if (roles.has("slack")) {
    const replays = new RedisReplayGuard(redis, config.redisPrefix, (err) => logger.warn({ err }, "Slack replay check unavailable"));
    services.push(await startSlack({ core, config, http, logger, replays }));
  }
  if (roles.has("discord")) {
    const discord = await startDiscord({ core, config, logger, onAck: (kind, seconds) => metrics.acknowledged("discord", kind, seconds) });
    registerPlatformReadiness(http, "discord", () => discord.connected());
    services.push(discord);
  }
  const platforms = services.filter((s) => s.name === "slack" || s.name === "discord").map((s) => s.name);
  logger.info({ port, roles: config.roles, platforms }, "peerlink started");

  if (config.embedded && !chat) {
    console.error(`No Slack or Discord credentials set: starting the console shell (health on :${port}).`);
    const adapter = new ConsoleAdapter(core, consoleContext(config.console.user, config.console.admins));
    await runShell(adapter, process.stdin, process.stdout, { messenger: consoleMessenger, admins: config.console.admins });
    await shutdown("end of input");
  }
});
