// Load, CI-sized (issue 21): a few hundred /researcher commands, 50 in flight, through the real HTTP
// server and Bolt, and through discord.js on the gateway stand-in. Every one is acknowledged inside
// the platform's 3 s and answered, none with the apology. `npm run bench -- chat-load` measures more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../src/config.js";
import { CommandLimiter } from "../../src/core/CommandLimiter.js";
import { createCore } from "../../src/core/Core.js";
import { createLogger } from "../../src/logger.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { type LoadRun, discordLoad, slackLoad } from "../support/chatLoad.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { DiscordStub } from "../support/discord-stub.js";
import { type SlackHarness, SIGNING_SECRET, startSlackHarness } from "./slack/slackHarness.js";

const COMMANDS = 300;
const IN_FLIGHT = 50;
/** Sized as config sizes it for the test database's pool of 4 connections. */
const limits = loadConfig({ DATABASE_POOL_SIZE: "4" }).commands;

function expectAllAnswered(run: LoadRun) {
  const late = run.samples.filter((s) => !s.acked);
  expect(late, `acknowledged after 3 s or not at all: ${late.length}`).toEqual([]);
  const outcomes = run.samples.reduce<Record<string, number>>((n, s) => ({ ...n, [s.outcome]: (n[s.outcome] ?? 0) + 1 }), {});
  expect(outcomes).toEqual({ answer: COMMANDS });
}

describe("Slack under load: signed slash commands over HTTP", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness((core) => {
      core.limiter = new CommandLimiter(limits, core.clock);
    });
  });
  afterAll(async () => h?.close());

  it(`acknowledges ${COMMANDS} commands, ${IN_FLIGHT} in flight, inside 3 s and answers every one without an apology`, async () => {
    const run = await slackLoad({
      eventsUrl: `${h.baseUrl}/slack/events`,
      signingSecret: SIGNING_SECRET,
      slack: h.slack,
      total: COMMANDS,
      inFlight: IN_FLIGHT,
    });
    expectAllAnswered(run);
  }, 120_000);
});

describe("Discord under load: interactions over the gateway", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let discord: RunningDiscord;

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start(), createTestDatabase()]);
    await seedDemo(tdb.db);
    const logger = createLogger("silent");
    const core = createCore({ clock: testClock(), db: tdb.db, log: logger, commands: limits });
    discord = await startDiscord({ core, config: loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env }), logger });
  });
  afterAll(async () => {
    await discord?.stop();
    await stub?.close();
    await tdb?.drop();
  });

  it(`responds to ${COMMANDS} interactions, ${IN_FLIGHT} in flight, inside 3 s and answers every one without an apology`, async () => {
    const run = await discordLoad({ stub, total: COMMANDS, inFlight: IN_FLIGHT });
    expectAllAnswered(run);
  }, 120_000);
});
