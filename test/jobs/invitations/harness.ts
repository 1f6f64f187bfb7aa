// Real Postgres, real Redis, the real Slack and Discord messengers talking to the local stand-ins,
// and the real invitation workers: what the invitation specs run against.
import { pino } from "pino";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { SlackMessenger } from "../../../src/adapters/slack/SlackMessenger.js";
import { createCore, type Core } from "../../../src/core/Core.js";
import type { ReviewChannel } from "../../../src/core/claims/ClaimNotifier.js";
import type { InvitationPolicy } from "../../../src/core/invitations/InvitationQueue.js";
import { InvitationProducer, type DeliveryRetry } from "../../../src/jobs/invitations/producer.js";
import { type InvitationWorkerOptions, startInvitationWorkers } from "../../../src/jobs/invitations/worker.js";
import type { Service } from "../../../src/Service.js";
import type { Db } from "../../../src/db/client.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { startSlackStub, type SlackStub } from "../../support/slack-stub.js";
import { silentLog } from "../../core/invitations/fixtures.js";
import { type TestClock, testClock } from "../../support/clock.js";

export const FAST_RETRY: DeliveryRetry = { attempts: 3, backoffMs: 50 };

export interface Harness {
  core: Core;
  /** The core's clock, shared with worker processes through env TEST_CLOCK. */
  clock: TestClock;
  slack: SlackStub;
  discord: DiscordStub;
  producer: InvitationProducer;
  startWorkers(options?: InvitationWorkerOptions): Promise<Service>;
  close(): Promise<void>;
}

export async function startHarness(
  db: Db,
  queue: { redisUrl: string; prefix: string },
  policy: Partial<InvitationPolicy> = {},
  {
    deliveryLeaseMs,
    reviewChannel,
  }: {
    deliveryLeaseMs?: number;
    /** Where claim reviews go; a function when it is a channel of the Discord stand-in. */ reviewChannel?:
      ReviewChannel | ((discord: DiscordStub) => ReviewChannel);
  } = {},
): Promise<Harness> {
  const slack = await startSlackStub();
  const discord = await DiscordStub.start();
  const producer = new InvitationProducer(queue, FAST_RETRY);
  const clock = testClock();
  const core = createCore({
    clock,
    db,
    log: silentLog,
    messengers: {
      slack: new SlackMessenger({ db, apiUrl: slack.apiUrl, botToken: async () => "xoxb-test" }),
      discord: DiscordMessenger.create({ db, token: discord.token, apiUrl: discord.apiUrl }),
    },
    invitations: { queue: producer, policy, deliveryLeaseMs },
    ...(reviewChannel && {
      claims: { verification: "review" as const, reviewChannel: typeof reviewChannel === "function" ? reviewChannel(discord) : reviewChannel },
    }),
  });
  const running: Service[] = [];
  return {
    core,
    clock,
    slack,
    discord,
    producer,
    async startWorkers(options = {}) {
      const service = await startInvitationWorkers({
        core,
        queue,
        logger: pino({ level: "silent" }),
        options: { concurrency: 2, expireEveryMs: 100, retry: FAST_RETRY, ...options },
      });
      running.push(service);
      return service;
    },
    async close() {
      for (const s of running) await s.stop();
      await producer.queue.obliterate({ force: true }).catch(() => {});
      await producer.close();
      await slack.close();
      await discord.close();
    },
  };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An invitation's status as Postgres has it. */
export const invitationStatus = async (db: Db, id: string) => (await db.invitation.findUniqueOrThrow({ where: { id } })).status;

/** The latest invitation to a researcher. */
export const latestInvitationTo = (db: Db, researcherId: number) =>
  db.invitation.findFirstOrThrow({ where: { researcherId }, orderBy: { createdAt: "desc" } });
