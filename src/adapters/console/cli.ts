// npm run console -- "/researcher Jonathan Frankle" [--as <name>]   answers once and exits
// npm run console -- "/researcher inbox" --press 1 --as bob         answers, then presses button 1 of the answer
// npm run console -- --papers                                       looks for new papers once and delivers them (and due digests)
// npm run console                                                  opens the interactive shell
import { parseArgs } from "node:util";
import "dotenv/config";
import { runCli } from "../../runCli.js";
import { connectDatabase, connectRedis } from "../../bootstrap.js";
import { loadConfig } from "../../config.js";
import { createCore } from "../../core/Core.js";
import { createLogger } from "../../logger.js";
import { ConsoleAdapter, consoleContext } from "./ConsoleAdapter.js";
import { runShell } from "./shell.js";
import { renderArrival } from "./arrival.js";
import { attachConsoleMessenger, consoleClaimSettings } from "./consolePlatform.js";
import { openAlexFrom } from "../../sources/openalex/openAlexFrom.js";
import { consoleImportProgress } from "./importProgress.js";
import { systemClock } from "../../core/context.js";
import { runNotificationsOnce } from "../../jobs/notifications/runOnce.js";
import { startNotificationWorkers } from "../../jobs/notifications/worker.js";
import { OpenAlexSource } from "../../sources/openalex/OpenAlexSource.js";

await runCli(async () => {
  const { values, positionals } = parseArgs({
    options: { as: { type: "string" }, press: { type: "string" }, papers: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: false,
  });
  if (values.help) {
    console.log(
      'Usage: npm run console -- "/researcher <command>" [--as <name>] [--press <n>]\n       npm run console -- --papers  (look for new papers once, deliver them and due digests)\n       npm run console            (interactive shell)',
    );
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const db = await connectDatabase(config);
  const openalex = openAlexFrom(config, db, systemClock);
  const o = config.openalex;
  // The console imports inline (no job queue): the printed card is complete.
  const scholarly = o.liveLookup
    ? { directory: openalex.directory, settings: { staleAfterMs: o.refreshAfterDays * 86_400_000 }, onImportProgress: consoleImportProgress() }
    : undefined;
  const core = createCore({ clock: systemClock, db, log: logger, scholarly, claims: consoleClaimSettings(config) });
  const messenger = attachConsoleMessenger(core);
  if (!positionals.length && scholarly && openalex.warning) console.error(`Note: ${openalex.warning}`);
  const adapter = new ConsoleAdapter(core, consoleContext(typeof values.as === "string" ? values.as : config.console.user, config.console.admins));
  // The shell (and --papers) finds new papers and sends digests itself, as `npm start` without credentials does.
  const startNotifications = async (schedule: boolean) => {
    (await connectRedis(config)).disconnect();
    return startNotificationWorkers({
      core,
      source: new OpenAlexSource(openalex.client),
      queue: { redisUrl: config.redisUrl, prefix: config.redisPrefix },
      logger,
      ingestIntervalMinutes: config.ingestIntervalMinutes,
      leaseMs: config.takeover.deliveryLeaseMs,
      schedule,
    });
  };
  try {
    if (positionals.length || values.papers === true) {
      const stop = messenger.onArrival((entry) => console.log(renderArrival(entry, adapter.context)));
      if (positionals.length) console.log(await adapter.answer(positionals.join(" ")));
      if (positionals.length && typeof values.press === "string") console.log(await adapter.answer(values.press));
      if (values.papers === true) {
        const notifications = await startNotifications(false);
        try {
          const { ingest, digest } = await runNotificationsOnce(notifications);
          console.log(
            `ℹ Looked for new papers of ${ingest.researchersChecked} followed researchers: ${ingest.worksSeen} works seen, ` +
              `${ingest.deliveriesCreated} new for their followers; ${digest.messages} digests sent.`,
          );
        } finally {
          await notifications.stop();
        }
      }
      stop();
    } else {
      const notifications = await startNotifications(true);
      try {
        await runShell(adapter, process.stdin, process.stdout, { messenger, admins: config.console.admins });
      } finally {
        await notifications.stop();
      }
    }
  } finally {
    await core.live.settled();
    await db.$disconnect();
  }
});
