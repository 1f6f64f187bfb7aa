// Discord failing every kind of call the bot makes, through the real discord.js client and the
// gateway and REST stand-ins: each failure is logged once with the interaction id and counted,
// nothing reaches unhandledRejection, and the next command is answered.
import { CommandInteraction, REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import type { DiscordAdapterOptions } from "../../../src/adapters/discord/DiscordAdapter.js";
import { startDiscord, type RunningDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { type FailureReason, type PlatformCall, PlatformFailures } from "../../../src/adapters/platformFailures.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { notice } from "../../../src/core/reply.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type RecordedCall, type TransportFault } from "../../support/discord-stub.js";
import { captureLogs, type LogCapture } from "../../support/logCapture.js";
import { type UnhandledWatch, watchUnhandled } from "../../support/unhandled.js";

const deferReply = CommandInteraction.prototype.deferReply;
const CLAIMANT = { id: "1400000000000000050", username: "jfrankle" };
const CALLBACK = { reply: 4, defer: 5, autocomplete: 8, modal: 9 };
/** Past this the test client gives up on a REST call (discord.js `rest.timeout`). */
const REST_TIMEOUT_MS = 400;

type Fault = { name: string; reason: FailureReason; inject(stub: DiscordStub, match: (c: RecordedCall) => boolean, count?: number): void };
const status = (s: number, body: { code: number; message: string }, reason: FailureReason): Omit<Fault, "name"> => ({
  reason,
  inject: (stub, match, count = 1) => stub.failNext(count, s, body, match),
});
const transport = (fault: TransportFault, reason: FailureReason): Omit<Fault, "name"> => ({
  reason,
  inject: (stub, match, count = 1) => stub.breakNext(count, fault, match),
});
const FAULTS: Fault[] = [
  { name: "404 Unknown interaction (10062)", ...status(404, { code: 10062, message: "Unknown interaction" }, "gone") },
  { name: "500", ...status(500, { code: 0, message: "500: Internal Server Error" }, "server_error") },
  { name: "a hang past the client's timeout", ...transport("hang", "timeout") },
  { name: "a dropped connection", ...transport("drop", "network") },
  { name: "a malformed body", ...transport("malformed", "malformed") },
];

const isCallback = (type: number) => (c: RecordedCall) =>
  c.method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(c.path) && c.body?.type === type;
const onOriginal = (method: string) => (c: RecordedCall) => c.method === method && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(c.path);
const isFollowUp = (c: RecordedCall) => c.method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(c.path);

describe("Discord platform failures", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let core: Core;
  let discord: RunningDiscord;
  let researcherId: number;
  let logs: LogCapture;
  let unhandled: UnhandledWatch;
  const failures = new PlatformFailures();
  // Mutable on purpose: scenarios that need a deferral make it come sooner.
  const adapterOptions: DiscordAdapterOptions = { deferAfterMs: 2000, failures };
  /** Resolves when the next deferReply() settles, either way (observed without handling it for the adapter). */
  let deferralSettled: () => Promise<void>;

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 1000 }), createTestDatabase()]);
    ({ researcherId } = await seedDemo(tdb.db));
    logs = captureLogs("warn");
    core = createCore({ db: tdb.db, log: logs.logger, clock: testClock() });
    const owner = await tdb.db.account.create({ data: { displayName: "Jonathan Frankle" } });
    await tdb.db.researcher.update({ where: { id: researcherId }, data: { claimedByAccountId: owner.id } });
    // The claimant is on Discord too, so invitations to them are DMs a button press then edits.
    await tdb.db.chatIdentity.create({
      data: { platform: "discord", tenantId: stub.guildId, userId: CLAIMANT.id, displayName: "Jonathan Frankle", accountId: owner.id },
    });
    core.messengers.discord = DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl, failures: new PlatformFailures() });
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
    discord = await startDiscord({ core, config, logger: logs.logger, options: adapterOptions, rest: { timeout: REST_TIMEOUT_MS, retries: 0 } });

    // Not vi.spyOn: a spy attaches handlers to the promises it returns, which would hide the very
    // rejection this file is about. The adapter gets a new promise, so one it leaves unhandled is reported.
    const waiting: Array<() => void> = [];
    CommandInteraction.prototype.deferReply = function (this: CommandInteraction, ...args: Parameters<typeof deferReply>) {
      const deferred = deferReply.apply(this, args) as Promise<unknown>;
      return new Promise<unknown>((resolve, reject) => {
        void deferred.then(
          (value) => (resolve(value), waiting.splice(0).forEach((w) => w())),
          (error: unknown) => (reject(error), waiting.splice(0).forEach((w) => w())),
        );
      }) as unknown as ReturnType<typeof deferReply>;
    } as typeof deferReply;
    deferralSettled = () => new Promise<void>((resolve) => waiting.push(resolve));
    unhandled = watchUnhandled();
  });

  afterAll(async () => {
    unhandled?.stop();
    CommandInteraction.prototype.deferReply = deferReply;
    vi.restoreAllMocks();
    await discord?.stop();
    await stub?.close();
    await tdb?.drop();
  });

  let senders = 0;
  const senderContext = (userId: string) => ({
    actor: { platform: "discord" as const, tenantId: stub.guildId, userId, displayName: `Sender ${userId.slice(-2)}` },
    channelId: stub.channelId,
    permissions: { canManageChannel: false, isAdmin: false },
  });

  /** The core's next command waits until the deferral has settled: the race the adapter must survive. */
  function slowNextCommand() {
    adapterOptions.deferAfterMs = 20;
    const original = core.router.handle.bind(core.router);
    const settled = deferralSettled();
    vi.spyOn(core.router, "handle").mockImplementationOnce(async (...args) => {
      await settled;
      return original(...args);
    });
  }

  type Scenario = { call: PlatformCall; match: (c: RecordedCall) => boolean; start(): { id: string; token: string } | Promise<unknown> };
  const scenarios: Scenario[] = [
    {
      call: "deferral",
      match: isCallback(CALLBACK.defer),
      start: () => (slowNextCommand(), stub.slashCommand("lookup", { query: "Jonathan Frankle" })),
    },
    { call: "reply", match: isCallback(CALLBACK.reply), start: () => stub.slashCommand("lookup", { query: "Jonathan Frankle" }) },
    {
      call: "edit",
      match: onOriginal("PATCH"),
      start: () => (slowNextCommand(), stub.slashCommand("works", { query: "Jonathan Frankle" })),
    },
    {
      // A public deferral for a private answer: the deferred reply is deleted, the answer follows up.
      call: "delete",
      match: onOriginal("DELETE"),
      start: () => (slowNextCommand(), stub.slashCommand("lookup", { query: "Zzyzx Qwvbnm", share: true })),
    },
    {
      call: "follow_up",
      match: isFollowUp,
      start: () => (slowNextCommand(), stub.slashCommand("lookup", { query: "Zzyzx Qwvbnm", share: true })),
    },
    { call: "modal", match: isCallback(CALLBACK.modal), start: () => stub.button(`pl:invite:${researcherId}`) },
    {
      // Accepting an invitation from its DM edits that DM (its buttons go), beside answering the press.
      call: "message_edit",
      match: (c) => c.method === "PATCH" && /^\/channels\/\d+\/messages\/\d+$/.test(c.path),
      async start() {
        const sender = { id: `14000000000000006${++senders}`, username: `sender${senders}` };
        const sent = await core.router.handle("invite", { query: `#${researcherId}`, message: "Shall we talk?" }, senderContext(sender.id));
        expect(sent.reply).toMatchObject({ level: "success" });
        const invitation = await tdb.db.invitation.findFirstOrThrow({ where: { researcherId, status: "delivered" }, orderBy: { createdAt: "desc" } });
        return stub.button(`pl:accept_invite:${invitation.id}`, { user: CLAIMANT, guildId: null });
      },
    },
    { call: "autocomplete", match: isCallback(CALLBACK.autocomplete), start: () => stub.autocomplete("follow", "query", "Frankle") },
    // The graph's picture goes up with the edit of the (immediate) deferral, as a multipart upload.
    {
      call: "upload",
      match: (c) => onOriginal("PATCH")(c) && c.files.length > 0,
      start: () => stub.slashCommand("graph", { query: "Jonathan Frankle" }),
    },
    {
      // Outbound DMs (invitations, notifications) go over the REST API alone; the caller gets the failure as a value.
      call: "dm",
      match: (c) => c.method === "POST" && /^\/(users\/@me|channels\/\d+)\/(channels|messages)$/.test(c.path),
      start: () =>
        new DiscordMessenger(
          tdb.db,
          new REST({ api: stub.apiUrl, rejectOnRateLimit: () => true, retries: 0, timeout: REST_TIMEOUT_MS }).setToken(stub.token),
          failures,
        )
          .send({ platform: "discord", tenantId: stub.guildId, userId: "1400000000000000077" }, notice("info", "A new paper"))
          .then(
            () => expect.fail("the DM should have failed"),
            (error: unknown) => error,
          ),
    },
  ];

  /** Waits until an interaction's failure has been logged; returns its log lines. */
  async function failureLogged(interaction: { id: string }) {
    await logs.waitFor((l) => l.interactionId === interaction.id);
    // The adapter may still be finishing (e.g. a button's message edit): let it, then count.
    await unhandled.settle();
    return logs.lines.filter((l) => l.interactionId === interaction.id);
  }

  /** A plain lookup, answered (directly, or deferred and edited in on a slow machine): proof that the bot still works. */
  async function nextCommandIsAnswered() {
    adapterOptions.deferAfterMs = 2000;
    const next = stub.slashCommand("lookup", { query: "Jonathan Frankle" });
    const { body } = await stub.callbackFor(next);
    const answer =
      body.type === CALLBACK.defer ? (await stub.waitForCall((c) => onOriginal("PATCH")(c) && c.path.includes(`/${next.token}/`))).body : body.data;
    expect(answer.embeds[0].title).toBe("Jonathan Frankle");
  }

  for (const scenario of scenarios) {
    describe(`a failed ${scenario.call}`, () => {
      for (const fault of FAULTS) {
        it(`is handled when Discord answers with ${fault.name}`, async () => {
          const before = failures.count({ platform: "discord", call: scenario.call, reason: fault.reason });
          fault.inject(stub, scenario.match);
          const started = await scenario.start();
          if (scenario.call === "dm") {
            // The messenger translates and rethrows; the job queue decides (see test/jobs).
            expect(started).toBeInstanceOf(Error);
          } else {
            const lines = await failureLogged(started as { id: string });
            expect(unhandled.seen).toEqual([]);
            expect(lines).toHaveLength(1);
            expect(lines[0]).toMatchObject({ call: scenario.call });
            if (fault.reason === "gone") expect(lines[0]!.msg).toBe("discord interaction gone before it was answered");
          }
          expect(stub.failuresLeft).toBe(0);
          expect(failures.count({ platform: "discord", call: scenario.call, reason: fault.reason })).toBe(before + 1);
          expect(await unhandled.settle()).toEqual([]);
          await nextCommandIsAnswered();
        });
      }
    });
  }

  it("keeps the side effect of a command whose deferral was refused", async () => {
    const user = { id: "1400000000000000031", username: "hedy" };
    FAULTS[0]!.inject(stub, isCallback(CALLBACK.defer));
    slowNextCommand();
    const interaction = stub.slashCommand("follow", { query: `#${researcherId}` }, { user });
    await failureLogged(interaction);
    const identity = await tdb.db.chatIdentity.findFirstOrThrow({ where: { platform: "discord", userId: user.id } });
    expect(await tdb.db.follow.count({ where: { accountId: identity.accountId, researcherId } })).toBe(1);
    expect(await unhandled.settle()).toEqual([]);
  });

  it("under load, with failures of every kind among 100 interactions 10 at a time, answers the rest and the next", async () => {
    adapterOptions.deferAfterMs = 100; // lookups under load are deferred, help is answered directly
    FAULTS[0]!.inject(stub, isCallback(CALLBACK.defer), 10);
    FAULTS[1]!.inject(stub, isCallback(CALLBACK.reply), 5);
    FAULTS[2]!.inject(stub, onOriginal("PATCH"), 3);
    FAULTS[3]!.inject(stub, isCallback(CALLBACK.reply), 3);
    FAULTS[4]!.inject(stub, onOriginal("PATCH"), 3);
    FAULTS[0]!.inject(stub, isCallback(CALLBACK.autocomplete), 3);
    const mark = stub.calls.length;
    const mine = (i: { token: string }) => (c: RecordedCall) => c.path.includes(`/${i.token}`);
    const answered = (i: { token: string }) => {
      const calls = stub.calls.slice(mark).filter(mine(i));
      const ok = (match: (c: RecordedCall) => boolean) => calls.some((c) => match(c) && !c.failed);
      return ok(isCallback(CALLBACK.reply)) || ok(isCallback(CALLBACK.autocomplete)) || (ok(isCallback(CALLBACK.defer)) && ok(onOriginal("PATCH")));
    };
    const failed = (i: { id: string }) => logs.lines.some((l) => l.interactionId === i.id);
    const interactions: Array<{ id: string; token: string }> = [];
    // In waves: the REST timeout is short (for the hang cases), and a 2-core machine shares its CPU with Postgres.
    for (let wave = 0; wave < 10; wave++) {
      const sent = Array.from({ length: 10 }, (_, n) => {
        const i = wave * 10 + n;
        const user = { user: { id: `14000000000001${String(i).padStart(4, "0")}`, username: `u${i}` } };
        if (i % 4 === 2) return stub.slashCommand("help", {}, user);
        if (i % 4 === 3) return stub.autocomplete("follow", "query", "Frankle", user);
        return stub.slashCommand("lookup", { query: i % 4 ? "Jonathan Frankle" : "Frankle" }, user);
      });
      interactions.push(...sent);
      await vi.waitFor(() => expect(sent.filter((i) => !answered(i) && !failed(i))).toEqual([]), { timeout: 10_000, interval: 20 });
    }
    expect(await unhandled.settle()).toEqual([]);

    const injected = stub.calls.slice(mark).filter((c) => c.failed).length;
    const failedOnes = interactions.filter(failed);
    // Each failed interaction is logged once; under load a call may also time out on its own.
    expect(failedOnes.length).toBeGreaterThanOrEqual(injected);
    for (const i of failedOnes) expect(logs.lines.filter((l) => l.interactionId === i.id)).toHaveLength(1);
    expect(interactions.filter(answered).length).toBeGreaterThan(50);
    expect(injected).toBeGreaterThan(0);
    // On a slower machine even help may be deferred, leaving a reply failure unused: it must not linger.
    stub.clearFailures();
    await nextCommandIsAnswered();
  });
});
