// Overload is an answer (issue 21): when every turn is taken and the queue is full, or the wait
// for a turn passes the queue timeout, Slack and Discord users get a private "Peerlink is busy",
// counted in the metrics: never the apology, never a platform timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startDiscord, type RunningDiscord } from "../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../src/config.js";
import { CommandLimiter, type CommandLimits } from "../../src/core/CommandLimiter.js";
import { defineCommand } from "../../src/core/commands/Command.js";
import { CommandRouter } from "../../src/core/commands/CommandRouter.js";
import { allCommands } from "../../src/core/commands/index.js";
import { type Core, createCore } from "../../src/core/Core.js";
import type { CommandShed } from "../../src/core/metrics.js";
import { ephemeral, notice } from "../../src/core/reply.js";
import { createLogger } from "../../src/logger.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { DiscordStub } from "../support/discord-stub.js";
import { FORM_CALLBACK_ID } from "../../src/adapters/slack/render.js";
import { type SlackHarness, startSlackHarness, viewSubmission } from "./slack/slackHarness.js";

const BUSY = "Peerlink is busy, try again in a moment.";
const EPHEMERAL = 64;

/** A command that holds its turn until the test lets it go. */
let release: () => void = () => {};
const holdCommand = defineCommand({
  name: "hold",
  usage: "/researcher hold",
  summary: "Test only: keeps its turn until released.",
  input: z.object({}),
  fromText: () => ({}),
  async run() {
    await new Promise<void>((resolve) => (release = resolve));
    return ephemeral(notice("success", "Released."));
  },
});

/** One turn; the test sets how many may wait and how long. */
function overloadable(core: Core, shed: CommandShed[]) {
  core.router = new CommandRouter([...allCommands, holdCommand], () => core, { error: () => {} });
  const metrics = { commandAnswered: () => {}, commandShed: (e: CommandShed) => shed.push(e) };
  return (limits: Partial<CommandLimits>) => {
    core.limiter = new CommandLimiter({ concurrency: 1, ...limits }, core.clock, metrics);
  };
}

describe("Slack when Peerlink is busy", () => {
  let h: SlackHarness;
  let limit: (limits: Partial<CommandLimits>) => void;
  const shed: CommandShed[] = [];

  beforeAll(async () => {
    h = await startSlackHarness((core) => {
      limit = overloadable(core, shed);
    });
  });
  afterAll(async () => h?.close());

  const answerTo = (responseUrl: string) => h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));

  it("acknowledges at once and answers busy, privately, when the queue is full", async () => {
    limit({ queueLength: 0, queueTimeoutMs: 2000 });
    shed.length = 0;
    const held = await h.command("hold");
    const refused = await h.command("Jonathan Frankle");
    expect(refused.status).toBe(200);
    const reply = await answerTo(refused.responseUrl);
    expect(reply.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(reply.body)).toContain(BUSY);
    expect(JSON.stringify(reply.body)).not.toMatch(/Sorry, something went wrong/);
    expect(shed).toEqual([{ platform: "slack", reason: "queue_full" }]);
    release();
    expect(JSON.stringify((await answerTo(held.responseUrl)).body)).toContain("Released.");
  });

  it("answers busy a command whose turn does not come within the queue timeout", async () => {
    limit({ queueLength: 5, queueTimeoutMs: 300 });
    shed.length = 0;
    const held = await h.command("hold");
    const waiting = await h.command("Jonathan Frankle");
    expect(waiting.status).toBe(200);
    expect(JSON.stringify((await answerTo(waiting.responseUrl)).body)).toContain(BUSY);
    expect(shed).toEqual([{ platform: "slack", reason: "wait_too_long" }]);
    release();
    await answerTo(held.responseUrl);
  });

  it("closes a submitted modal at once when its command has to wait for a turn, and answers after", async () => {
    limit({ queueLength: 5, queueTimeoutMs: 2000 });
    const held = await h.command("hold");
    const responseUrl = h.slack.responseUrl();
    const opened = {
      private_metadata: JSON.stringify({ command: "help", fixed: {}, channelId: "C0GENERAL", responseUrl }),
      callback_id: FORM_CALLBACK_ID,
      title: { type: "plain_text", text: "Help" },
    };
    const sent = performance.now();
    const res = await h.interaction(viewSubmission(opened, {}));
    expect(res).toEqual({ status: 200, text: "" }); // closed, without waiting for the 2.3 s deadline
    expect(performance.now() - sent).toBeLessThan(1500);
    release();
    await answerTo(held.responseUrl);
    expect(JSON.stringify((await answerTo(responseUrl)).body)).toMatch(/researcher/);
  });
});

describe("Discord when Peerlink is busy", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let discord: RunningDiscord;
  let limit: (limits: Partial<CommandLimits>) => void;
  const shed: CommandShed[] = [];

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start(), createTestDatabase()]);
    await seedDemo(tdb.db);
    const logger = createLogger("silent");
    const core = createCore({ clock: testClock(), db: tdb.db, log: logger });
    limit = overloadable(core, shed);
    discord = await startDiscord({ core, config: loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env }), logger });
  });
  afterAll(async () => {
    release();
    await discord?.stop();
    await stub?.close();
    await tdb?.drop();
  });

  it("answers busy, privately and at once, when the queue is full", async () => {
    limit({ queueLength: 0, queueTimeoutMs: 2000 });
    shed.length = 0;
    const held = stub.slashCommand("hold");
    await new Promise((resolve) => setTimeout(resolve, 100)); // the held command has its turn
    const { body } = await stub.callbackFor(stub.slashCommand("lookup", { query: "Jonathan Frankle" }));
    expect(body.type).toBe(4); // a reply, not a deferral: nothing waited
    expect(body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(JSON.stringify(body.data)).toContain(BUSY);
    expect(shed).toEqual([{ platform: "discord", reason: "queue_full" }]);
    release();
    expect(JSON.stringify((await stub.callbackFor(held)).body)).toContain("Released.");
  });

  it("defers an interaction that waits for its turn at once, and answers busy when the turn does not come in time", async () => {
    limit({ queueLength: 5, queueTimeoutMs: 300 });
    shed.length = 0;
    const held = stub.slashCommand("hold");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = performance.now();
    const waiting = stub.slashCommand("lookup", { query: "Jonathan Frankle" });
    const { body } = await stub.callbackFor(waiting);
    expect(performance.now() - sent).toBeLessThan(300); // not at the 1.5 s deferral timer: before the wait is over
    expect(body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const edit = await stub.waitForCall(
      (c) => c.method === "PATCH" && c.path === `/webhooks/${stub.applicationId}/${waiting.token}/messages/@original`,
    );
    expect(JSON.stringify(edit.body)).toContain(BUSY);
    expect(shed).toEqual([{ platform: "discord", reason: "wait_too_long" }]);
    release();
    await stub.callbackFor(held);
  });
});
