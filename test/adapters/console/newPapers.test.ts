// New papers and digests reach local users: alice follows Jonathan Frankle in the shell, a new work
// appears at the OpenAlex stand-in, ingest runs in the process that runs the shell, and the paper
// shows up in alice's shell and stays in her inbox (read by a one-shot `--as alice` too); a daily
// digest arrives once at her hour; reruns of ingest, the reconciler and the digest send nothing twice;
// a one-shot `--papers` run finds and delivers a paper by itself.
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import { consoleContext } from "../../../src/adapters/console/consoleContext.js";
import { attachConsoleMessenger, consoleClaimSettings } from "../../../src/adapters/console/consolePlatform.js";
import { runShell } from "../../../src/adapters/console/shell.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { type NotificationWorkers, startNotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { OpenAlexClient } from "../../../src/sources/openalex/client.js";
import { OpenAlexSource } from "../../../src/sources/openalex/OpenAlexSource.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { type TestClock, testClock, wallClockMs } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { FRANKLE, type OpenAlexStub, startOpenAlexStub, syntheticWork } from "../../support/openalex-stub.js";
import { newFrankleWork, queuesIdle, quietLog, waitUntil } from "../../jobs/notifications/harness.js";
import { liveLookupFor } from "../../support/liveLookup.js";
import { runConsoleOnce, textSink } from "./consoleTesting.js";

// The one-shot read starts a real Node process; a loaded 2-core machine needs more than the default.
vi.setConfig({ testTimeout: 120_000 });

/** An interactive shell kept open: `type` sends one line and returns what the shell printed for it. */
function openShell(core: Core, messenger: ReturnType<typeof attachConsoleMessenger>) {
  const config = loadConfig({});
  const adapter = new ConsoleAdapter(core, consoleContext("alice", config.console.admins));
  const input = new PassThrough();
  const output = textSink();
  const done = runShell(adapter, input as unknown as typeof process.stdin, output.stream as unknown as typeof process.stdout, {
    messenger,
    admins: config.console.admins,
  });
  const prompts = () => output.text().split("peerlink> ").length;
  return {
    get output() {
      return output.text();
    },
    async type(line: string): Promise<string> {
      const before = prompts();
      const from = output.text().length;
      input.write(`${line}\n`);
      await waitUntil(() => prompts() > before, 10_000, `the shell to answer ${line}`);
      return output.text().slice(from);
    },
    async close() {
      input.end("exit\n");
      await done;
    },
  };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

let t: TestDatabase;
let clock: TestClock;
let openalex: OpenAlexStub;
let core: Core;
let workers: NotificationWorkers;
let shell: ReturnType<typeof openShell>;
const errors: unknown[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  const { researcherId } = await seedDemo(t.db);
  // The demo record carries no persistent ids; here it stands for the stand-in's Jonathan Frankle.
  await t.db.researcher.update({ where: { id: researcherId }, data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid } });
  clock = testClock();
  openalex = await startOpenAlexStub();
  core = createCore({ clock, db: t.db, log: { error: (details) => errors.push(details) }, claims: consoleClaimSettings(loadConfig({})) });
  // As in main.ts and cli.ts: the console messenger first, then the workers of the shell's process.
  const messenger = attachConsoleMessenger(core);
  workers = await startNotificationWorkers({
    core,
    source: new OpenAlexSource(new OpenAlexClient({ apiUrl: openalex.url, baseDelayMs: 5, maxDelayMs: 20 })),
    queue: { redisUrl: t.redisUrl, prefix: t.redisPrefix },
    logger: quietLog,
    ingestIntervalMinutes: 60,
    schedule: false,
    retry: { attempts: 4, backoffMs: 50 },
  });
  shell = openShell(core, messenger);
});
afterAll(async () => {
  await shell?.close();
  await workers?.stop(true);
  await openalex?.close();
  await t?.drop();
});

describe("new papers in the console", () => {
  it("shows a new paper by someone alice follows in her shell when ingest finds it, and keeps it in her inbox", async () => {
    expect(await shell.type("/researcher follow Jonathan Frankle")).toMatch(/You now follow Jonathan Frankle/);
    expect((await workers.ingestNow()).deliveriesCreated).toBe(0);

    openalex.addWork(newFrankleWork(1, clock.now()));
    const found = await workers.ingestNow();
    expect(found.deliveriesCreated).toBe(1);
    expect(found.instant).toEqual([expect.objectContaining({ platform: "console" })]);

    await waitUntil(() => shell.output.includes("Synthetic fixture work 9001"), 10_000, "the paper in alice's shell");
    expect(shell.output).toMatch(/✉ For alice:[\s\S]*Synthetic fixture work 9001/);
    expect(shell.output).toMatch(/★ Jonathan Frankle/);
    await waitUntil(async () => (await t.db.notificationDelivery.count({ where: { status: "sent" } })) === 1, 5_000, "the delivery marked sent");

    expect(await shell.type("/researcher inbox")).toMatch(/Synthetic fixture work 9001/);
  });

  it('lists the paper for a one-shot `npm run console -- "/researcher inbox" --as alice`', async () => {
    const { stdout, stderr } = await runConsoleOnce(["/researcher inbox", "--as", "alice"], { DATABASE_URL: t.url, LOG_LEVEL: "warn" });
    expect(stderr).not.toMatch(/"level"|at .*\.ts:\d+/);
    expect(stdout).toMatch(/Synthetic fixture work 9001/);
  });

  it("sends nothing twice when ingest and the reconciler run again", async () => {
    const shown = count(shell.output, "✉ For alice");
    const again = await workers.ingestNow();
    expect(again.worksSeen).toBeGreaterThan(0);
    expect(again.deliveriesCreated).toBe(0);
    expect((await workers.reconcileNow()).enqueued).toBe(0);
    await queuesIdle(workers);
    expect(count(shell.output, "✉ For alice")).toBe(shown);
    expect(await t.db.notificationDelivery.count()).toBe(1);
  });

  it("holds papers for a daily digest and shows them once at alice's hour", async () => {
    expect(await shell.type("/researcher digest daily 9 europe/berlin")).toMatch(/every day at 09:00 \(Europe\/Berlin\)/);
    // 06:30 in Berlin the next day (UTC+1 in November): two papers appear, held for the digest.
    clock.set(new Date("2026-11-26T05:30:00Z"));
    openalex.addWork(newFrankleWork(2, clock.now()));
    openalex.addWork(newFrankleWork(3, clock.now()));
    const found = await workers.ingestNow();
    expect(found.deliveriesCreated).toBe(2);
    expect(found.instant).toHaveLength(0);
    await queuesIdle(workers);
    expect(shell.output).not.toMatch(/Synthetic fixture work 9002/);

    clock.set(new Date("2026-11-26T07:59:00Z")); // 08:59 Berlin: not yet
    expect((await workers.digestNow()).messages).toBe(0);

    clock.set(new Date("2026-11-26T08:00:00Z")); // 09:00 Berlin
    expect(await workers.digestNow()).toMatchObject({ accounts: 1, messages: 1, works: 2, errors: [] });
    await waitUntil(() => shell.output.includes("Synthetic fixture work 9003"), 5_000, "the digest in alice's shell");
    const digest = shell.output.slice(shell.output.lastIndexOf("✉ For alice"));
    expect(digest).toMatch(/Synthetic fixture work 9002/);
    expect(digest).toMatch(/Synthetic fixture work 9003/);

    // The hour's run again, and the next day's: nothing new to send.
    const shown = count(shell.output, "✉ For alice");
    expect((await workers.digestNow()).messages).toBe(0);
    clock.set(new Date("2026-11-27T08:00:00Z"));
    expect((await workers.digestNow()).messages).toBe(0);
    expect((await workers.ingestNow()).deliveriesCreated).toBe(0);
    await queuesIdle(workers);
    expect(count(shell.output, "✉ For alice")).toBe(shown);
    expect(await t.db.notificationDelivery.count({ where: { status: "sent" } })).toBe(3);
    expect(await shell.type("/researcher inbox")).toMatch(/Synthetic fixture work 9003/);
    expect(errors).toEqual([]);
  });

  it("looks for new papers once and delivers them with a one-shot `npm run console -- --papers`, once", async () => {
    expect(await shell.type("/researcher digest instant")).toMatch(/success|✓/);
    // `npm run console -- --papers` is a process of its own on the system clock, and ingest asks
    // OpenAlex for what was published in the INGEST_LOOKBACK_DAYS before that clock's now: the paper
    // is published by the clock that process reads, or on another date it falls outside the window,
    // and listed (created) after alice's follow began by the test's clock, which wrote the follow.
    const published = new Date(wallClockMs()).toISOString().slice(0, 10);
    openalex.addWork(syntheticWork(9004, { createdDate: clock.now().toISOString().slice(0, 10), publicationDate: published }));
    // A queue prefix of its own: the deliveries are this process's to send, not the test's workers'.
    const env = {
      DATABASE_URL: t.url,
      REDIS_URL: t.redisUrl,
      REDIS_PREFIX: `${t.redisPrefix}-once`,
      OPENALEX_API_URL: openalex.url,
      LOG_LEVEL: "warn",
    };
    const once = () => runConsoleOnce(["--papers", "--as", "alice"], env);

    const first = await once();
    expect(first.stderr).not.toMatch(/"level"|at .*\.ts:\d+/);
    expect(first.stdout).toMatch(/✉ For alice:[\s\S]*Synthetic fixture work 9004/);
    expect(first.stdout).toMatch(/1 new for their followers/);
    const second = await once();
    expect(second.stdout).not.toMatch(/✉ For alice/);
    expect(second.stdout).toMatch(/0 new for their followers/);
    expect(await t.db.notificationDelivery.count({ where: { status: "sent" } })).toBe(4);
    expect(shell.output).not.toMatch(/Synthetic fixture work 9004/);
  });

  it("follows a topic, an institution, a search and citations in the shell, and shows each one's new paper once", async () => {
    (core as { live: unknown }).live = liveLookupFor(core, openalex.url).live;
    // One of Frankle's works as OpenAlex knows it, so a work citing it can be told apart.
    const cited = await t.db.work.findFirstOrThrow({ where: { title: { startsWith: "Lottery Tickets on a Data Diet" } } });
    await t.db.work.update({ where: { id: cited.id }, data: { openalexId: "W4300000001" } });
    expect(await shell.type("/researcher follow topic: Neural Network Training Dynamics")).toMatch(
      /You now follow the topic Neural Network Training Dynamics/,
    );
    expect(await shell.type("/researcher follow institution: Massachusetts Institute of Technology")).toMatch(
      /You now follow Massachusetts Institute of Technology/,
    );
    expect(await shell.type("/researcher follow search: lottery ticket pruning")).toMatch(/You now follow the search “lottery ticket pruning”/);
    expect(await shell.type("/researcher follow citations: Jonathan Frankle")).toMatch(/citations of Jonathan Frankle's papers/);

    const other = { id: "https://openalex.org/A5300000001", display_name: "Ada Quillon", orcid: null };
    const day = clock.now().toISOString().slice(0, 10);
    const by = { createdDate: day, withoutFrankle: true, coauthors: [other] };
    openalex.addWork(
      syntheticWork(9101, {
        ...by,
        title: "Console training paper",
        topics: [{ id: "https://openalex.org/T19001", display_name: "Neural Network Training Dynamics" }],
      }),
    );
    openalex.addWork(
      syntheticWork(9102, {
        ...by,
        title: "Console MIT paper",
        institutions: [{ id: "https://openalex.org/I63966007", display_name: "Massachusetts Institute of Technology" }],
      }),
    );
    openalex.addWork(syntheticWork(9103, { ...by, title: "Lottery ticket pruning in the console" }));
    openalex.addWork(syntheticWork(9104, { ...by, title: "Console paper citing the data diet", referencedWorks: ["W4300000001"] }));
    openalex.addWork(syntheticWork(9105, { ...by, title: "Console paper nobody follows" }));

    expect((await workers.ingestNow()).deliveriesCreated).toBe(4);
    await queuesIdle(workers);
    for (const title of [
      "Console training paper",
      "Console MIT paper",
      "Lottery ticket pruning in the console",
      "Console paper citing the data diet",
    ])
      await waitUntil(() => count(shell.output, title) === 1, 10_000, `“${title}” in alice's shell`);
    expect(shell.output).toMatch(/Massachusetts Institute of Technology \(institution\)/);
    expect(shell.output).not.toMatch(/Console paper nobody follows/);
    expect((await workers.ingestNow()).deliveriesCreated).toBe(0);
  });
});
