// Load, CI-sized (issue 21): a few hundred /researcher commands, 50 in flight, through the real HTTP
// server and Bolt, and through discord.js on the gateway stand-in. Every one is acknowledged inside
// the platform's 3 s and answered, none with the apology. `npm run bench -- chat-load` measures more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../src/config.js";
import { createCore } from "../../src/core/Core.js";
import { createLogger } from "../../src/logger.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { type LoadRun, discordLoad, slackLoad } from "../support/chatLoad.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { DiscordStub } from "../support/discord-stub.js";
import { startSlack, type SlackService } from "../../src/adapters/slack/startSlack.js";
import { createDb, type Db } from "../../src/db/client.js";
import { HttpServer } from "../../src/http/HttpServer.js";
import { type SlackStub, startSlackStub } from "../support/slack-stub.js";
import { SIGNING_SECRET } from "./slack/slackHarness.js";

const COMMANDS = 300;
const IN_FLIGHT = 50;
/** Someone told Peerlink is busy tries again in a moment, as the reply asks (as in the bench). */
const BUSY_PAUSE_MS = 1000;
/** Production's defaults: a pool of 10, 8 commands at once, 200 waiting, 2 s at most. */
const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: "test", ...env });
const POOL = config({}).databasePoolSize;

function expectAllAnswered(run: LoadRun) {
  const late = run.samples.filter((s) => !s.acked);
  expect(late, `acknowledged after 3 s or not at all: ${late.length}`).toEqual([]);
  const outcomes = run.samples.reduce<Record<string, number>>((n, s) => ({ ...n, [s.outcome]: (n[s.outcome] ?? 0) + 1 }), {});
  // A shared 2-core CI machine, other spec files running beside this one, may be at capacity at 50
  // in flight: busy replies are an answer too (issue 21), the apology and no answer at all are not;
  // most must be answers proper.
  expect(outcomes.answer).toBeGreaterThanOrEqual(COMMANDS * 0.8);
  expect((outcomes.answer ?? 0) + (outcomes.busy ?? 0)).toBe(COMMANDS);
}

/** A database of its own with the demo data, behind a pool of production's size. */
async function demoDatabase(): Promise<{ tdb: TestDatabase; db: Db }> {
  const tdb = await createTestDatabase();
  await seedDemo(tdb.db);
  return { tdb, db: createDb(tdb.url, { poolSize: POOL }) };
}

describe("Slack under load: signed slash commands over HTTP", () => {
  let tdb: TestDatabase;
  let db: Db;
  let slack: SlackStub;
  let service: SlackService;
  let http: HttpServer;
  let eventsUrl: string;

  beforeAll(async () => {
    [{ tdb, db }, slack] = await Promise.all([demoDatabase(), startSlackStub()]);
    const env = { DATABASE_URL: tdb.url, SLACK_BOT_TOKEN: "xoxb-load", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
    const logger = createLogger("silent");
    const core = createCore({ clock: testClock(), db, log: logger, commands: config(env).commands });
    http = new HttpServer();
    service = await startSlack({ core, config: config(env), http, logger });
    eventsUrl = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}/slack/events`;
  });
  afterAll(async () => {
    await service?.stop();
    await http?.close();
    await slack?.close();
    await db?.$disconnect();
    await tdb?.drop();
  });

  it(`acknowledges ${COMMANDS} commands, ${IN_FLIGHT} in flight, inside 3 s and answers every one without an apology`, async () => {
    const run = await slackLoad({
      eventsUrl,
      signingSecret: SIGNING_SECRET,
      slack,
      total: COMMANDS,
      inFlight: IN_FLIGHT,
      busyPauseMs: BUSY_PAUSE_MS,
    });
    expectAllAnswered(run);
  }, 120_000);
});

describe("Discord under load: interactions over the gateway", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let discord: RunningDiscord;

  let db: Db;

  beforeAll(async () => {
    [stub, { tdb, db }] = await Promise.all([DiscordStub.start(), demoDatabase()]);
    const logger = createLogger("silent");
    const env = { DATABASE_URL: tdb.url, ...stub.env };
    const core = createCore({ clock: testClock(), db, log: logger, commands: config(env).commands });
    discord = await startDiscord({ core, config: config(env), logger });
  });
  afterAll(async () => {
    await discord?.stop();
    await stub?.close();
    await db?.$disconnect();
    await tdb?.drop();
  });

  it(`responds to ${COMMANDS} interactions, ${IN_FLIGHT} in flight, inside 3 s and answers every one without an apology`, async () => {
    const run = await discordLoad({ stub, total: COMMANDS, inFlight: IN_FLIGHT, busyPauseMs: BUSY_PAUSE_MS });
    expectAllAnswered(run);
  }, 120_000);
});
