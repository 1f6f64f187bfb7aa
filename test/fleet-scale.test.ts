// The fleet the README's "Running past one machine" describes, as real `npm start` processes on one
// Postgres and one Redis: two `slack` processes taking signed slash commands in turn, two `discord`
// processes owning one gateway shard each, two `workers` processes. Every command and interaction
// is answered; every invitation and new-paper notification reaches its recipient, once, while one
// `workers` process is killed with SIGKILL mid-run and started again (a second copy only for what
// the dead process had in flight: the crash window the README describes); and what the
// processes' /metrics say matches what the stand-ins saw.
//
// CI runs a smaller size; FLEET_SCALE=full runs the (500 commands, 200 interactions,
// 2,000 invitations, 5,000 notifications: a few minutes on two cores).
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createCore } from "../src/core/Core.js";
import { startNotificationWorkers } from "../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../src/sources/openalex/client.js";
import { OpenAlexSource } from "../src/sources/openalex/OpenAlexSource.js";
import { seedDemo } from "../src/sources/demo/seedDemo.js";
import { claimant, person, silentLog } from "./core/invitations/fixtures.js";
import { newFrankleWork, quietLog } from "./jobs/notifications/harness.js";
import { testClock } from "./support/clock.js";
import { postSigned, slashCommandBody } from "./support/slackRequests.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { DiscordStub } from "./support/discord-stub.js";
import { FRANKLE, type OpenAlexStub, startOpenAlexStub } from "./support/openalex-stub.js";
import { type SlackStub, startSlackStub } from "./support/slack-stub.js";
import { type PeerlinkProcess, spawnPeerlink, stopAll } from "./support/spawnPeerlink.js";

const FULL = process.env.FLEET_SCALE === "full";
const SIZE = FULL
  ? { commands: 500, interactions: 200, invitations: 2000, followers: 2500 }
  : { commands: 60, interactions: 30, invitations: 60, followers: 100 };
/** Each follower gets one message for each of this many new papers. */
const NEW_WORKS = 2;
const NOTIFICATIONS = SIZE.followers * NEW_WORKS;

vi.setConfig({ testTimeout: FULL ? 900_000 : 180_000, hookTimeout: FULL ? 300_000 : 180_000 });

const SECRET = "fleet-scale-signing-secret";
const TEAM = "T0FLEET";
let t: TestDatabase;
let slack: SlackStub;
let discord: DiscordStub;
let openalex: OpenAlexStub;
let fronts: PeerlinkProcess[];
let bots: PeerlinkProcess[];
let workers: PeerlinkProcess[];
let env: Record<string, string>;

beforeAll(async () => {
  [t, slack, discord, openalex] = await Promise.all([
    createTestDatabase(),
    startSlackStub(),
    DiscordStub.start({ shardCount: 2 }),
    startOpenAlexStub(),
  ]);
  const { researcherId } = await seedDemo(t.db);
  // The demo record stands for the stand-in's Jonathan Frankle, whose new papers are the notifications.
  await t.db.researcher.update({ where: { id: researcherId }, data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid } });
  const core = createCore({ clock: testClock(), db: t.db, log: silentLog });
  // Invitation recipients: half on Slack, half on Discord (on both shards' guilds).
  for (let i = 1; i <= SIZE.invitations; i++) {
    const who =
      i % 2
        ? person("slack", TEAM, `UR${i}`, `Researcher ${i}`)
        : person("discord", discord.guildOnShard(i % 4 === 0 ? 0 : 1), `19${String(i).padStart(8, "0")}`, `Researcher ${i}`);
    await claimant(core, who, `Researcher Number${i}`);
  }
  // Followers of Frankle, likewise split.
  const now = core.clock.now();
  for (let i = 0; i < SIZE.followers; i++) {
    const identity =
      i % 2
        ? { platform: "slack" as const, tenantId: TEAM, userId: `UF${i}` }
        : { platform: "discord" as const, tenantId: discord.guildOnShard(i % 4 === 0 ? 0 : 1), userId: `18${String(i).padStart(8, "0")}` };
    await t.db.account.create({
      data: { displayName: `Follower ${i}`, identities: { create: identity }, follows: { create: { researcherId, createdAt: now } } },
    });
  }
  env = {
    DATABASE_URL: t.url,
    REDIS_URL: t.redisUrl,
    REDIS_PREFIX: t.redisPrefix,
    SLACK_BOT_TOKEN: "xoxb-fleet-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    ...discord.env,
    DISCORD_GATEWAY_URL: discord.gatewayUrl,
    DISCORD_SHARD_COUNT: "2",
    // Lookups answer from local data; the workers' own scheduled ingest (at start and hourly) reads
    // the wall clock and finds nothing where nothing listens, so the one ingest below is the test's.
    OPENALEX_LIVE_LOOKUP: "false",
    OPENALEX_API_URL: "http://127.0.0.1:9",
    INVITE_DAILY_LIMIT: String(SIZE.invitations + 10),
    // Short enough that the killed process's jobs are taken over within the test, long enough that
    // a busy machine renews its locks in time.
    JOB_LOCK_SECONDS: "3",
    // Six processes share two cores here: a command may wait its turn longer than the production
    // default before the busy reply, which would leave an invitation unsent (a person would retry).
    COMMAND_QUEUE_TIMEOUT_SECONDS: "30",
    DELIVERY_LEASE_SECONDS: "5",
  };
  [fronts, bots, workers] = await Promise.all([
    Promise.all([spawnPeerlink({ ...env, PEERLINK_ROLES: "slack" }), spawnPeerlink({ ...env, PEERLINK_ROLES: "slack" })]),
    Promise.all([0, 1].map((shard) => spawnPeerlink({ ...env, PEERLINK_ROLES: "discord", DISCORD_SHARDS: String(shard) }))),
    Promise.all([spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" }), spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" })]),
  ]);
  await discord.ready();
});

afterAll(async () => {
  await stopAll();
  await Promise.all([slack?.close(), discord?.close(), openalex?.close()]);
  await t?.drop();
});

let sent = 0;
/**
 * A signed slash command, to the two `slack` processes in turn (as a load balancer would), resolved
 * once its answer reached the response_url: Slack acknowledges at once, so a command is in flight
 * until it is answered, as a person waits for it.
 */
async function slashCommand(text: string): Promise<{ status: number; responseUrl: string }> {
  const responseUrl = slack.responseUrl();
  const body = slashCommandBody({ teamId: TEAM, channelId: "C0FLEET", userId: "UALICE", userName: "alice", text, responseUrl });
  const res = await postSigned(fronts[sent++ % 2]!.url("/slack/events"), body, SECRET);
  await res.body?.cancel();
  const id = responseUrl.split("/").at(-1);
  if (res.status === 200) await slack.waitFor(() => slack.responses.some((r) => r.id === id), 120_000);
  return { status: res.status, responseUrl };
}

/** Runs `work` over `items` with at most `limit` at once. */
async function inFlight<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

/** The sum of one metric's samples with these labels over the processes' scrapes. */
async function scraped(processes: PeerlinkProcess[], name: string, labels: Record<string, string>): Promise<number> {
  let total = 0;
  for (const p of processes) {
    const text = await (await fetch(p.url("/metrics"))).text();
    for (const line of text.split("\n")) {
      if (!line.startsWith(`${name}{`)) continue;
      const labelText = line.slice(0, line.indexOf("}"));
      if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) total += Number(line.split(" ").at(-1));
    }
  }
  return total;
}

const delivered = (status: "delivered") => t.db.invitation.count({ where: { status } });

it("answers every slash command through either slack process and every interaction on its guild's shard", async () => {
  const texts = Array.from({ length: SIZE.commands }, (_, i) => (i % 3 === 0 ? "help" : i % 3 === 1 ? "Jonathan Frankle" : "Jonathon Frankel"));
  const sentCommands = await inFlight(texts, 20, (text) => slashCommand(text));
  expect(sentCommands.every((c) => c.status === 200)).toBe(true);
  const answered = new Set(sentCommands.map((c) => c.responseUrl.split("/").at(-1)));
  await vi.waitFor(() => expect(slack.responses.filter((r) => answered.has(r.id)).length).toBeGreaterThanOrEqual(SIZE.commands), {
    timeout: 60_000,
    interval: 200,
  });
  expect(slack.responses.some((r) => answered.has(r.id) && /Sorry, something went wrong/.test(JSON.stringify(r.body)))).toBe(false);

  const guilds = [discord.guildOnShard(0), discord.guildOnShard(1)];
  const interactions = await inFlight(
    Array.from({ length: SIZE.interactions }, (_, i) => i),
    20,
    async (i) => {
      const interaction = discord.slashCommand("lookup", { query: "Jonathan Frankle" }, { guildId: guilds[i % 2]! });
      const callback = await discord.callbackFor(interaction, 30_000);
      return { shard: i % 2, callback };
    },
  );
  for (const { callback } of interactions) {
    // Answered directly, or deferred and edited in: either way the interaction was acknowledged.
    expect([4, 5]).toContain(callback.body.type);
  }

  // Each process's own scrape: the two slack processes answered every command between them, each
  // discord process its own shard's half.
  await vi.waitFor(async () => expect(await scraped(fronts, "peerlink_replies_total", { platform: "slack" })).toBe(SIZE.commands), {
    timeout: 30_000,
    interval: 250,
  });
  expect(await scraped(fronts, "peerlink_ack_duration_seconds_count", { platform: "slack", kind: "http" })).toBe(SIZE.commands);
  expect(await scraped([...fronts, ...bots], "peerlink_busy_replies_total", {})).toBe(0);
  // (A deferred interaction is counted when its answer is ready, after the deferral the stand-in saw.)
  for (const [shard, bot] of bots.entries()) {
    const mine = interactions.filter((i) => i.shard === shard).length;
    await vi.waitFor(async () => expect(await scraped([bot], "peerlink_replies_total", { platform: "discord" })).toBe(mine), {
      timeout: 30_000,
      interval: 250,
    });
  }
  for (const front of fronts) expect(await scraped([front], "peerlink_replies_total", { platform: "slack" })).toBeGreaterThan(0);
});

it("delivers every invitation and notification, none twice outside the crash window, while a workers process is killed and restarted", async () => {
  // New papers: ingest (here, as a producer only) writes one delivery per follower and paper and
  // queues them for the workers processes.
  const clock = testClock();
  for (let n = 1; n <= NEW_WORKS; n++) openalex.addWork(newFrankleWork(n, clock.now()));
  const producer = await startNotificationWorkers({
    core: createCore({ clock, db: t.db, log: silentLog }),
    source: new OpenAlexSource(new OpenAlexClient({ apiUrl: openalex.url })),
    queue: { redisUrl: t.redisUrl, prefix: t.redisPrefix },
    logger: quietLog,
    ingestIntervalMinutes: 60,
    schedule: false,
  });
  const ingested = await producer.ingestNow();
  await producer.stop();
  expect(ingested.instant).toHaveLength(NOTIFICATIONS);

  // Invitations, sent as slash commands while the notifications go out.
  const invites = await inFlight(
    Array.from({ length: SIZE.invitations }, (_, i) => i + 1),
    10,
    (n) => slashCommand(`invite Researcher Number${n}: hello ${n}`),
  );
  expect(invites.every((c) => c.status === 200)).toBe(true);

  // Mid-run: one workers process dies without a word, and a new one starts.
  const done = async () => (await t.db.notificationDelivery.count({ where: { status: "sent" } })) + (await delivered("delivered"));
  const total = NOTIFICATIONS + SIZE.invitations;
  await vi.waitFor(async () => expect(await done()).toBeGreaterThan(total / 4), { timeout: 120_000, interval: 250 });
  const doneAtKill = await done();
  workers[0]!.child.kill("SIGKILL");
  await workers[0]!.exited;
  // The one window the README owns up to: a message the platform accepted in the instant before
  // its record was written is sent again once its lease runs out. Only what was in flight when the
  // process died can be in it (an upper bound: the survivor's in-flight work is counted too).
  const inFlightAtKill =
    (await t.db.notificationDelivery.count({ where: { status: "sending" } })) +
    (await t.db.invitation.count({ where: { status: "queued", deliveryLeaseUntil: { not: null } } }));
  workers[0] = await spawnPeerlink({ ...env, PEERLINK_ROLES: "workers" });

  await vi.waitFor(
    async () => {
      expect(await delivered("delivered")).toBe(SIZE.invitations);
      expect(await t.db.notificationDelivery.count({ where: { status: "sent" } })).toBe(NOTIFICATIONS);
    },
    { timeout: FULL ? 600_000 : 150_000, interval: 500 },
  );

  // The kill came while work was still owed (else it proved nothing).
  expect(doneAtKill).toBeLessThan(total);
  console.log(`fleet: ${doneAtKill} of ${total} done when a workers process was killed`);

  // Counted at the stand-ins, by recipient and content: nothing lost, nothing twice.
  const slackPosts = slack.callsTo("chat.postMessage").filter((c) => !c.failed);
  const discordPosts = discord.callsTo("POST", /^\/channels\/\d+\/messages$/).filter((c) => !c.failed);
  const ids = (await t.db.invitation.findMany({ select: { id: true } })).map((r) => r.id);
  expect(ids).toHaveLength(SIZE.invitations);
  const invitationPosts = [...slackPosts.map((c) => JSON.stringify(c.args.blocks)), ...discordPosts.map((c) => JSON.stringify(c.body.components))];
  const perInvitation = new Map<string, number>();
  for (const post of invitationPosts) {
    for (const id of ids) if (post.includes(id)) perInvitation.set(id, (perInvitation.get(id) ?? 0) + 1);
  }
  expect(ids.filter((id) => !perInvitation.get(id))).toEqual([]); // none lost
  const invitationRepeats = [...perInvitation.values()].filter((n) => n > 1);

  const perPaper = new Map<string, number>();
  const count = (recipient: string, text: string) => {
    for (let n = 1; n <= NEW_WORKS; n++) {
      const title = String(newFrankleWork(n, clock.now()).title);
      if (text.includes(title)) perPaper.set(`${recipient} ${title}`, (perPaper.get(`${recipient} ${title}`) ?? 0) + 1);
    }
  };
  for (const c of slackPosts) count(`slack:${c.args.channel}`, JSON.stringify(c.args.blocks ?? c.args.text));
  for (const c of discordPosts) count(`discord:${c.path}`, JSON.stringify(c.body.embeds ?? []));
  expect(perPaper.size).toBe(NOTIFICATIONS); // none lost
  const paperRepeats = [...perPaper.values()].filter((n) => n > 1);
  const repeats = [...invitationRepeats, ...paperRepeats];
  console.log(`fleet: ${repeats.length} sent twice, of ${inFlightAtKill} in flight when the process died`);
  expect(repeats.every((n) => n === 2)).toBe(true);
  expect(repeats.length).toBeLessThanOrEqual(inFlightAtKill);
});
