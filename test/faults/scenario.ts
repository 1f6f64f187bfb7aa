// One fault scenario: a fresh clone of the lab's database, two `workers` processes (fault-worker.ts),
// new papers ingested for every follower (notifications owed) and invitations sent through the core
// while the workers deliver them to the Slack and Discord stand-ins, the fault struck when a given
// share of what is owed has arrived, then a wait until Postgres says nothing is owed any more.
// What arrived is counted at the stand-ins, by recipient and content: every message carries its
// own key (a paper's title, an invitation's `[fi-n]`), so a loss or a second copy is seen there,
// not taken on the database's word.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createCore, type Core } from "../../src/core/Core.js";
import type { Db } from "../../src/db/client.js";
import { createDb } from "../../src/db/client.js";
import { InvitationProducer } from "../../src/jobs/invitations/producer.js";
import { startNotificationWorkers } from "../../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../../src/sources/openalex/client.js";
import { OpenAlexSource } from "../../src/sources/openalex/OpenAlexSource.js";
import { type TestClock, testClock, wallClockMs } from "../support/clock.js";
import { DiscordStub } from "../support/discord-stub.js";
import { type SlackStub, startSlackStub } from "../support/slack-stub.js";
import { newFrankleWork, quietLog } from "../jobs/notifications/harness.js";
import { DISCORD_GUILD, type Lab, SLACK_TEAM } from "./lab.js";

/**
 * Worker settings: production's retries and reconcile period; leases and locks short enough for a
 * takeover within the run, the lease still longer than the slowest platform call (10 s timeouts, as
 * Discord's in production, and discord.js tries a timed-out call once more): a lease that runs out while its call is still
 * under way lets a second worker send the message again.
 */
export const WORKER_SETTINGS = {
  LEASE_MS: "30000",
  LOCK_MS: "5000",
  PLATFORM_TIMEOUT_MS: "10000",
  DELIVERY_ATTEMPTS: "8",
  DELIVERY_BACKOFF_MS: "2000",
  RECONCILE_EVERY_MS: String(5 * 60_000),
};
const RETRY = { attempts: Number(WORKER_SETTINGS.DELIVERY_ATTEMPTS), backoffMs: Number(WORKER_SETTINGS.DELIVERY_BACKOFF_MS) };

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** Set by killWorker: an exit without it is a crash. */
  killed?: boolean;
  stdout(): string;
  stderr(): string;
}

export interface ScenarioContext {
  lab: Lab;
  db: Db;
  /** The scenario's queues (its own key prefix on the lab's Redis). */
  queue: { redisUrl: string; prefix: string };
  /** The suite's core (it sends the invitations); a clock jump moves its clock too. */
  core: Core;
  clock: TestClock;
  slack: SlackStub;
  discord: DiscordStub;
  workers: WorkerProcess[];
  spawnWorker(): Promise<WorkerProcess>;
  /** Notes for the report (what was done, when). */
  note(text: string): void;
  /** Messages that may arrive twice because of what this fault did (the crash window), if any. */
  inCrashWindow: number;
}

export interface Fault {
  name: string;
  /** Strike when this share of what is owed has arrived at the stand-ins (one strike per entry). */
  at: number[];
  /** Does the damage and undoes it; resolves when the fault is over (servers back, stand-in healthy). */
  strike(ctx: ScenarioContext, index: number): Promise<void>;
  /** Extra messages this scenario owes beyond notifications and invitations (the clock jump's digests and notices). */
  extraOwed?(lab: Lab): number;
  /** Runs once every strike is over, before the wait for everything owed (e.g. the due digest run). */
  afterStrikes?(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioResult {
  scenario: string;
  owed: number;
  delivered: number;
  lost: number;
  /** Second copies outside the crash window: a bug. */
  duplicated: number;
  /** Second copies of what a killed worker had in flight (the README's one window). */
  duplicatedInCrashWindow: number;
  /** Worker processes that exited without being killed by the scenario (an uncaught error): a bug. */
  crashedWorkers: number;
  /** From the end of the last strike to the first message delivered after it (ms). */
  recoverMs: number | null;
  /** From a message being owed to its first arrival, the worst (ms). */
  worstDelayMs: number;
  /** From the first message owed to the last one arriving (ms). */
  totalMs: number;
  notes: string[];
  /** Distinct messages delivered by kind (paper, invitation, digest, expired) and a few repeated ones, for a failure's message. */
  detail: { byKind: Record<string, number>; repeated: string[]; statuses: object };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function spawnFaultWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/faults/fault-worker.ts"], {
    env: { ...process.env, ...WORKER_SETTINGS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  running.add(child);
  void exited.then(() => running.delete(child));
  await new Promise<void>((resolve, reject) => {
    const onData = () => stdout.includes("ready") && resolve();
    child.stdout.on("data", onData);
    void exited.then(() => reject(new Error(`fault-worker exited before it was ready: ${stderr}`)));
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function killWorker(worker: WorkerProcess): Promise<void> {
  worker.killed = true;
  worker.child.kill("SIGKILL");
  await worker.exited;
}

/** A message as the stand-ins saw it: who it went to, the key of what it said, when it arrived. */
interface Arrival {
  recipient: string;
  key: string;
  at: number;
}

function arrivals(slack: SlackStub, discord: DiscordStub, titles: string[]): Arrival[] {
  const out: Arrival[] = [];
  const classify = (recipient: string, text: string, at: number) => {
    // (Discord's renderer escapes the brackets.)
    const invitation = /fi-(\d+)\b/.exec(text);
    if (invitation) return void out.push({ recipient, key: `invitation ${invitation[1]}`, at });
    const expired = /Your invitation to ([^"\\]+?) expired/.exec(text);
    if (expired) return void out.push({ recipient, key: `expired ${expired[1]}`, at });
    const found = titles.filter((t) => text.includes(t));
    // A digest lists every paper at once; an instant notification names one.
    if (found.length > 1 || recipient.startsWith("slack:DUD")) return void out.push({ recipient, key: `digest ${found.length}`, at });
    if (found.length === 1) out.push({ recipient, key: `paper ${found[0]}`, at });
  };
  for (const c of slack.calls) {
    if (c.method !== "chat.postMessage" || c.failed) continue;
    classify(`slack:${c.args.channel}`, JSON.stringify(c.args.blocks ?? "") + String(c.args.text ?? ""), c.at);
  }
  for (const c of discord.calls) {
    if (c.method !== "POST" || c.failed || !/^\/channels\/\d+\/messages$/.test(c.path)) continue;
    classify(`discord:${c.path}`, JSON.stringify(c.body ?? {}), c.at);
  }
  return out;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function inFlight<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** A query that may meet a restarting Postgres: tried again until it answers. */
async function patiently<T>(query: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await query();
    } catch (error) {
      if (i > 600) throw error;
      await pause(100);
    }
  }
}

export async function runScenario(lab: Lab, fault: Fault): Promise<ScenarioResult> {
  const { size } = lab;
  const suffix = randomBytes(3).toString("hex");
  const url = await lab.cloneDatabase(`faults_${fault.name.replace(/\W+/g, "_")}_${suffix}`);
  const db = createDb(url, { poolSize: 6 });
  const prefix = `faults-${suffix}`;
  const queue = { redisUrl: lab.redis.url, prefix };
  const clock = testClock();
  const [slack, discord] = await Promise.all([startSlackStub(), DiscordStub.start()]);
  const producer = new InvitationProducer(queue, RETRY);
  const core: Core = createCore({ clock, db, log: quietLog, invitations: { queue: producer, policy: { dailyLimit: 1_000 } } });
  const notes: string[] = [];
  const spawned: WorkerProcess[] = [];
  const workerEnv = () => ({
    DATABASE_URL: url,
    REDIS_URL: lab.redis.url,
    REDIS_PREFIX: prefix,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    TEST_CLOCK: clock.shared,
  });
  const ctx: ScenarioContext = {
    lab,
    db,
    queue,
    core,
    clock,
    slack,
    discord,
    workers: [],
    spawnWorker: async () => {
      const worker = await spawnFaultWorker(workerEnv());
      spawned.push(worker);
      return worker;
    },
    note: (text) => notes.push(text),
    inCrashWindow: 0,
  };
  try {
    ctx.workers = await Promise.all([ctx.spawnWorker(), ctx.spawnWorker()]);
    const titles = Array.from({ length: size.works }, (_, i) => String(newFrankleWork(i + 1, clock.now()).title));

    // New papers: ingest (a producer only, as in the fleet) writes one row per follower and paper and queues them.
    const ingest = await startNotificationWorkers({
      core,
      source: new OpenAlexSource(new OpenAlexClient({ apiUrl: lab.openalex.url, baseDelayMs: 5, maxDelayMs: 20 })),
      queue,
      logger: quietLog,
      ingestIntervalMinutes: 60,
      schedule: false,
    });
    const startedAt = wallClockMs();
    const ingested = await ingest.ingestNow();
    await ingest.stop();
    const papersOwedAt = wallClockMs();
    const notificationsOwed = ingested.instant.length;
    const invitationsOwed = size.invitations;
    const owed = notificationsOwed + invitationsOwed + (fault.extraOwed?.(lab) ?? 0);

    // Invitations, sent through the core while the papers go out; a send that fails (Postgres
    // restarting) is sent again, as a person would (a second pending invitation is refused anyway).
    const owedAt = new Map<string, number>();
    const sending = inFlight(
      lab.claimants.map((c, i) => i),
      8,
      async (i) => {
        const from = lab.claimants[i]!;
        const to = lab.claimants[(i + 1) % lab.claimants.length]!;
        const actor = {
          platform: from.platform,
          tenantId: from.platform === "slack" ? SLACK_TEAM : DISCORD_GUILD,
          userId: from.userId,
          displayName: from.name,
        };
        for (let attempt = 0; ; attempt++) {
          try {
            const me = await core.accounts.resolve(actor);
            const outcome = await core.invitations.send(
              me,
              { actor, channelId: "C0FAULTS", permissions: { canManageChannel: false, isAdmin: false } },
              to.researcherId,
              `Shall we talk? [fi-${i}]`,
            );
            if (!outcome.ok && outcome.reason !== "duplicate") throw new Error(`invitation ${i} refused: ${outcome.reason}`);
            owedAt.set(`invitation ${i}`, wallClockMs());
            return;
          } catch (error) {
            if (attempt > 100 || /refused/.test(String(error))) throw error;
            await pause(250);
          }
        }
      },
    );

    // The fault, at the share of deliveries each strike asks for.
    let lastStrikeEnd = 0;
    const striking = (async () => {
      for (const [index, share] of fault.at.entries()) {
        while (arrivals(slack, discord, titles).length < share * owed) await pause(50);
        await fault.strike(ctx, index);
        lastStrikeEnd = wallClockMs();
      }
      await fault.afterStrikes?.(ctx);
    })();
    await Promise.all([sending, striking]);

    // Everything owed, per Postgres: every paper row and digest sent, no invitation still queued,
    // and (the clock jump) every due invitation expired and its notice to the sender sent.
    const deadline = performance.now() + size.deadlineMs;
    const expiring = fault.extraOwed ? lab.size.expiring : 0;
    const settled = async () => {
      const [pending, queued, notices, expired] = await patiently(() =>
        Promise.all([
          db.notificationDelivery.count({ where: { status: { in: ["pending", "sending"] }, ...(fault.extraOwed ? {} : { digest: false }) } }),
          db.invitation.count({ where: { status: "queued" } }),
          db.reminder.count({ where: { status: { in: ["pending", "sending"] } } }),
          expiring ? db.invitation.count({ where: { status: "expired" } }) : Promise.resolve(0),
        ]),
      );
      return pending === 0 && queued === 0 && notices === 0 && expired >= expiring;
    };
    while (!(await settled()) && performance.now() < deadline) await pause(250);
    // The last copies (a duplicate) may trail the record: give the stand-ins a moment more.
    await pause(1_000);

    const seen = arrivals(slack, discord, titles);
    const byMessage = new Map<string, Arrival[]>();
    for (const a of seen) {
      const id = `${a.recipient} ${a.key}`;
      byMessage.set(id, [...(byMessage.get(id) ?? []), a]);
    }
    const delivered = byMessage.size;
    const copies = [...byMessage.values()].reduce((n, list) => n + list.length - 1, 0);
    // The same window without a crash: a send whose answer did not come back before the client's
    // timeout is tried again, and the platform may have taken the first one. Rows whose last error
    // was a timeout are the most this can account for.
    const timedOut = await patiently(async () => {
      const [rows] = await db.$queryRaw<{ n: bigint }[]>`
        SELECT (SELECT count(*) FROM notification_delivery WHERE last_error ~* 'time ?out|timed out|abort')
             + (SELECT count(*) FROM invitation WHERE last_error ~* 'time ?out|timed out|abort') AS n`;
      return Number(rows?.n ?? 0);
    });
    if (timedOut) notes.push(`${timedOut} sends timed out at the client and were tried again`);
    const inWindow = Math.min(copies, ctx.inCrashWindow + timedOut);
    let worstDelayMs = 0;
    for (const list of byMessage.values()) {
      const first = list.reduce((a, b) => (a.at <= b.at ? a : b));
      const since = owedAt.get(first.key) ?? (first.key.startsWith("paper") ? papersOwedAt : lastStrikeEnd || papersOwedAt);
      worstDelayMs = Math.max(worstDelayMs, first.at - since);
    }
    const byKind: Record<string, number> = {};
    for (const id of byMessage.keys()) {
      const kind = id.split(" ")[1]!;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
    const repeated = [...byMessage.entries()]
      .filter(([, l]) => l.length > 1)
      .slice(0, 5)
      .map(([id, l]) => `${id} ×${l.length}`);
    const deliveredBeforeEnd = new Set(seen.filter((a) => a.at < lastStrikeEnd).map((a) => `${a.recipient} ${a.key}`)).size;
    const after = seen.filter((a) => a.at >= lastStrikeEnd).map((a) => a.at);
    const failedRows = await patiently(() => db.notificationDelivery.count({ where: { status: "failed" } }));
    const failedInvitations = await patiently(() => db.invitation.count({ where: { status: "failed" } }));
    if (failedRows || failedInvitations) notes.push(`${failedRows} deliveries and ${failedInvitations} invitations marked failed`);
    const left = await patiently(() => db.invitation.groupBy({ by: ["status"], _count: true }));
    const rows = await patiently(() => db.notificationDelivery.groupBy({ by: ["status", "digest"], _count: true }));
    const reminders = await patiently(() =>
      db.reminder.findMany({ where: { status: { not: "sent" } }, select: { kind: true, status: true, lastError: true } }),
    );
    const statuses = {
      unsentReminders: reminders.map((r) => `${r.kind} ${r.status}: ${r.lastError ?? ""}`),
      invitations: Object.fromEntries(left.map((r) => [r.status, r._count])),
      deliveries: Object.fromEntries(rows.map((r) => [`${r.status}${r.digest ? " (digest)" : ""}`, r._count])),
    };
    const crashed = spawned.filter((w) => !w.killed && w.child.exitCode !== null);
    for (const w of crashed)
      notes.push(`a worker exited on its own (code ${w.child.exitCode}): ${w.stderr().trim().split("\n").pop()?.slice(0, 300) ?? ""}`);
    return {
      scenario: fault.name,
      owed,
      delivered,
      lost: Math.max(0, owed - delivered),
      duplicated: copies - inWindow,
      duplicatedInCrashWindow: inWindow,
      crashedWorkers: crashed.length,
      // Nothing owed any more when the fault ended: nothing to recover.
      recoverMs: !lastStrikeEnd ? null : after.length ? Math.min(...after) - lastStrikeEnd : deliveredBeforeEnd >= owed ? 0 : null,
      worstDelayMs,
      totalMs: Math.max(...seen.map((a) => a.at)) - startedAt,
      notes,
      detail: { byKind, repeated, statuses },
    };
  } finally {
    await Promise.all(ctx.workers.map(killWorker));
    await producer.close().catch(() => {});
    await db.$disconnect().catch(() => {});
    await Promise.all([slack.close(), discord.close()]);
  }
}
