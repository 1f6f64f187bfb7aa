// A worker process the crash spec kills with SIGKILL. It delivers HANG_AFTER invitations normally,
// then hangs inside the next delivery (invitation leased for LEASE_MS, nothing sent yet)
// and says "hung" on stdout: the moment to pull the plug.
import { pino } from "pino";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import { createCore } from "../../../src/core/Core.js";
import type { Messenger } from "../../../src/core/ports.js";
import { createDb } from "../../../src/db/client.js";
import { startInvitationWorkers } from "../../../src/jobs/invitations/worker.js";
import { FAST_RETRY } from "./harness.js";
import { sharedTestClock } from "../../support/clock.js";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`crash-worker needs ${name}`);
  return value;
};

const db = createDb(env("DATABASE_URL"), { poolSize: 4 });
const slack = new SlackMessenger({ db, apiUrl: env("SLACK_API_URL"), botToken: async () => "xoxb-test" });
const hangAfter = Number(env("HANG_AFTER"));
let sends = 0;
const hanging: Messenger = {
  async send(to, reply) {
    if (++sends > hangAfter) {
      // The earlier deliveries' records are written just behind their jobs: let them land first, so
      // the moment of the kill is exactly "HANG_AFTER delivered and recorded, one mid-delivery".
      void core.invitationDeliverer.settled().then(() => process.stdout.write("hung\n"));
      return new Promise(() => {});
    }
    return slack.send(to, reply);
  },
};
const core = createCore({
  clock: sharedTestClock(process.env.TEST_CLOCK),
  db,
  log: { error: () => {} },
  messengers: { slack: hanging },
  invitations: { deliveryLeaseMs: Number(env("LEASE_MS")) },
});
await startInvitationWorkers({
  core,
  queue: { redisUrl: env("REDIS_URL"), prefix: env("REDIS_PREFIX") },
  logger: pino({ level: "silent" }),
  options: { concurrency: 1, retry: FAST_RETRY },
});
process.stdout.write("ready\n");
