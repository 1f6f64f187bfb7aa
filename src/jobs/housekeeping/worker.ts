// Housekeeping on a schedule: removes expired one-time secrets (link codes, ORCID sign-in states),
// old weekly "what you missed" decisions, and OpenAlex answers past their cache TTL with usage
// counts no longer read.
// One job scheduler, shared by every instance: BullMQ runs each tick once, wherever a worker is.
import { Queue, Worker } from "bullmq";
import type { Core } from "../../core/Core.js";
import { purgeExpired } from "../../core/housekeeping/purgeExpired.js";
import type { Logger } from "../../logger.js";
import type { Service } from "../../Service.js";
import { keepScheduled, listenForErrors, type QueueSettings, queueConnection } from "../connection.js";
import { correlated, forJob } from "../jobCorrelation.js";

export const HOUSEKEEPING_QUEUE = "housekeeping";
const PURGE_JOB = "purge-expired";

export interface HousekeepingOptions {
  /** How often expired secrets are removed (default hourly). */
  purgeEveryMs?: number;
}

export async function startHousekeeping(deps: { core: Core; queue: QueueSettings; logger: Logger; options?: HousekeepingOptions }): Promise<Service> {
  const { core, logger } = deps;
  const log = logger.child({ component: "housekeeping" });
  const queue = listenForErrors(new Queue(HOUSEKEEPING_QUEUE, queueConnection(deps.queue)), (err) => log.warn({ err }, "housekeeping queue error"));
  await keepScheduled(
    queue,
    () =>
      queue.upsertJobScheduler(
        PURGE_JOB,
        { every: deps.options?.purgeEveryMs ?? 60 * 60_000 },
        { name: PURGE_JOB, opts: { removeOnComplete: true, removeOnFail: 100 } },
      ),
    (err) => log.warn({ err }, "could not register the housekeeping schedule again after Redis came back"),
  );
  const worker = new Worker(
    HOUSEKEEPING_QUEUE,
    correlated(async () => purgeExpired(core.db, core.clock.now(), core.live.directory)),
    queueConnection(deps.queue),
  );
  worker.on(
    "completed",
    forJob((_job, purged) => {
      if (purged && (purged.linkCodes || purged.oauthStates))
        log.info({ linkCodes: purged.linkCodes, oauthStates: purged.oauthStates }, "removed expired secrets");
      if (purged?.missedSummaries) log.info({ missedSummaries: purged.missedSummaries }, "removed old weekly-summary decisions");
      const directory = purged?.directory;
      if (directory && (directory.cacheEntries || directory.usageDays || directory.userSearchWindows))
        log.info(directory, "removed expired OpenAlex cache and usage rows");
    }),
  );
  worker.on(
    "failed",
    forJob((job, err) => log.error({ err, job: job?.name }, "housekeeping job failed")),
  );
  worker.on("error", (err) => log.error({ err }, "housekeeping worker error"));
  let stopped: Promise<void> | undefined;
  return {
    name: "housekeeping",
    stop: () =>
      (stopped ??= (async () => {
        await worker.close();
        await queue.close();
      })()),
  };
}
