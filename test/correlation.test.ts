// Correlation ids (#16): every line logged while a command or a job runs carries one id, and the
// apology a user sees for a failed command shows that same id as its reference.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDiscord, startDiscord } from "../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../src/config.js";
import { CommandLimiter } from "../src/core/CommandLimiter.js";
import { type Core, createCore } from "../src/core/Core.js";
import { correlationId, withCorrelationId } from "../src/core/correlation.js";
import { type QueueSettings, queueConnection } from "../src/jobs/connection.js";
import { IMPORT_JOB, IMPORT_QUEUE, type ImportJob } from "../src/jobs/import/producer.js";
import { startImportWorker } from "../src/jobs/import/worker.js";
import type { Service } from "../src/Service.js";
import { type SlackHarness, startSlackHarness } from "./adapters/slack/slackHarness.js";
import { testClock } from "./support/clock.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { DiscordStub } from "./support/discord-stub.js";
import { captureLogs, type LogCapture, type LogLine } from "./support/logCapture.js";

const referenceIn = (text: string) => /Reference: ([0-9a-z]+)/.exec(text)?.[1];

describe("the command limiter", () => {
  it("runs a command that waited for its turn under its own id, not that of the command that freed the turn", async () => {
    const limiter = new CommandLimiter({ concurrency: 1, queueTimeoutMs: 20_000 }, testClock());
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withCorrelationId("first", () => limiter.run("discord", () => held.then(() => correlationId())));
    const second = withCorrelationId("second", () => limiter.run("discord", async () => correlationId()));
    release();
    expect(await Promise.all([first, second])).toEqual([
      { ok: true, value: "first" },
      { ok: true, value: "second" },
    ]);
  });
});

describe("correlation ids through Slack", () => {
  let h: SlackHarness;
  let logs: LogCapture;
  let releaseFirst: () => void = () => {};

  beforeAll(async () => {
    logs = captureLogs("debug", { production: true });
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    h = await startSlackHarness(
      (core: Core) => {
        // One command at a time, so the second waits its turn and is started by the first's end.
        core.limiter = new CommandLimiter({ concurrency: 1, queueTimeoutMs: 20_000 }, testClock());
        core.search.find = async (query) => {
          if (String(query).includes("Alpha")) await firstHeld;
          throw new Error(`search index on fire (${String(query)})`);
        };
      },
      {},
      { logger: logs.logger },
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  const apologyAt = (url: string) =>
    h.slack.waitFor(() => {
      const text = h.slack.responses.find((r) => url.endsWith(r.id))?.body.text as string | undefined;
      return text && referenceIn(text);
    }, 15_000);
  const linesOf = (id: string) => logs.lines.filter((l) => l.correlationId === id);

  it("shows the id of the command's log lines in its apology, also for a command that waited its turn", async () => {
    const first = await h.command("Ada Alpha");
    await logs.waitFor((l) => l.msg === "slack interaction" && l.command === "Ada Alpha");
    const second = await h.command("Ada Beta");
    await logs.waitFor((l) => l.msg === "slack interaction" && l.command === "Ada Beta");
    releaseFirst();
    const [refA, refB] = await Promise.all([apologyAt(first.responseUrl), apologyAt(second.responseUrl)]);
    expect(refA).toMatch(/^[0-9a-f]{8}$/);
    expect(refB).not.toBe(refA);

    for (const [ref, text] of [
      [refA, "Ada Alpha"],
      [refB, "Ada Beta"],
    ] as const) {
      const lines = linesOf(ref);
      const messages = lines.map((l: LogLine) => l.msg);
      // An earlier line (the adapter taking the command) and the error line, in that order.
      expect(messages.indexOf("slack interaction"), text).toBeGreaterThanOrEqual(0);
      expect(messages.indexOf("command failed")).toBeGreaterThan(messages.indexOf("slack interaction"));
      expect(lines.find((l) => l.msg === "slack interaction")).toMatchObject({ command: text });
      expect(lines.find((l) => l.msg === "command failed")).toMatchObject({ ref, err: { message: expect.stringContaining(text) } });
    }
    // No line of one command carries the other's id, and every line about either carries an id.
    const about = (text: string) => logs.lines.filter((l) => JSON.stringify(l).includes(text));
    expect(about("Ada Alpha").every((l) => l.correlationId === refA)).toBe(true);
    expect(about("Ada Beta").every((l) => l.correlationId === refB)).toBe(true);
  });
});

describe("correlation ids through Discord", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let discord: RunningDiscord;
  const logs = captureLogs("debug", { production: true });

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start(), createTestDatabase()]);
    const core = createCore({ db: tdb.db, log: logs.logger, clock: testClock() });
    core.search.find = () => Promise.reject(new Error("search index on fire"));
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
    discord = await startDiscord({ core, config, logger: logs.logger, options: { deferAfterMs: 2000 } });
  });

  afterAll(async () => {
    await discord?.stop();
    await stub?.close();
    await tdb?.drop();
  });

  it("shows the id of the interaction's log lines in its apology", async () => {
    const interaction = stub.slashCommand("lookup", { query: "Jonathan Frankle" });
    const { body } = await stub.callbackFor(interaction);
    const answer =
      body.type === 5 ? (await stub.waitForCall((c) => c.method === "PATCH" && c.path.includes(`/${interaction.token}/`))).body : body.data;
    const ref = referenceIn(JSON.stringify(answer));
    expect(ref).toMatch(/^[0-9a-f]{8}$/);
    const messages = logs.lines.filter((l) => l.correlationId === ref).map((l) => l.msg);
    expect(messages[0]).toBe("discord interaction");
    expect(messages).toContain("command failed");
    expect(logs.lines.filter((l) => l.interactionId === interaction.id).every((l) => l.correlationId === ref)).toBe(true);
  });
});

describe("correlation ids in jobs", () => {
  let queue: Queue<ImportJob>;
  let worker: Service;
  let h: SlackHarness;
  const logs = captureLogs("info", { production: true });

  beforeAll(async () => {
    // The harness gives a core on a fresh database; its Slack side is not used here.
    h = await startSlackHarness(undefined, {}, { logger: logs.logger });
    const settings: QueueSettings = { redisUrl: h.tdb.redisUrl, prefix: h.tdb.redisPrefix };
    h.core.live.completeImport = async (researcherId: number) => {
      logs.logger.info({ researcherId }, "importing");
      throw new Error("OpenAlex unreachable");
    };
    queue = new Queue<ImportJob>(IMPORT_QUEUE, queueConnection(settings));
    worker = await startImportWorker({ core: h.core, queue: settings, logger: logs.logger });
  });

  afterAll(async () => {
    await worker?.stop();
    await queue?.close();
    await h?.close();
  });

  it("logs every line of a job, in the processor and in the worker's failed listener, with the job's id", async () => {
    const job = await queue.add(IMPORT_JOB, { researcherId: 4242 }, { jobId: "researcher-4242", attempts: 1 });
    const failed = await logs.waitFor((l) => l.msg === "import failed" && l.researcherId === 4242, 15_000);
    const inside = logs.lines.find((l) => l.msg === "importing" && l.researcherId === 4242);
    expect(inside?.correlationId).toBe(`${IMPORT_QUEUE}:${job.id}`);
    expect(failed.correlationId).toBe(`${IMPORT_QUEUE}:researcher-4242`);
  });
});
