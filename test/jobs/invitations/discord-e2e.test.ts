// The whole path on Discord: a slash command in a server, the worker's DM, and button presses in
// that DM, through the real discord.js client logged in to the local Discord stand-in.
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { InvitationProducer } from "../../../src/jobs/invitations/producer.js";
import { startInvitationWorkers } from "../../../src/jobs/invitations/worker.js";
import type { Service } from "../../../src/Service.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type StubUser } from "../../support/discord-stub.js";
import { researcher, silentLog } from "../../core/invitations/fixtures.js";
import { FAST_RETRY, waitUntil } from "./harness.js";
import { testClock } from "../../support/clock.js";

let stub: DiscordStub;
let t: TestDatabase;
let core: Core;
let producer: InvitationProducer;
let discord: RunningDiscord;
let workers: Service;

const dora: StubUser = { id: "1400000000000000021", username: "dora", globalName: "Dora Discordia" };
const stranger: StubUser = { id: "1400000000000000022", username: "sam", globalName: "Sam Stranger" };

beforeAll(async () => {
  [stub, t] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  const logger = pino({ level: "silent" });
  const queue = { redisUrl: t.redisUrl, prefix: t.redisPrefix };
  producer = new InvitationProducer(queue, FAST_RETRY);
  core = createCore({
    clock: testClock(),
    db: t.db,
    log: silentLog,
    messengers: { discord: DiscordMessenger.create({ db: t.db, token: stub.token, apiUrl: stub.apiUrl }) },
    invitations: { queue: producer },
  });
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: t.url,
    ...stub.env,
    DISCORD_GATEWAY_URL: stub.gatewayUrl,
  });
  discord = await startDiscord({ core, config, logger, options: { deferAfterMs: 1500 } });
  workers = await startInvitationWorkers({ core, queue, logger, options: { concurrency: 2, retry: FAST_RETRY } });
});
afterAll(async () => {
  await workers?.stop();
  await discord?.stop();
  await producer?.queue.obliterate({ force: true });
  await producer?.close();
  await stub?.close();
  await t?.drop();
});

it("sends from a server channel, delivers one DM, and only the recipient's press in that DM accepts", async () => {
  const claimant = await core.accounts.resolve({ platform: "discord", tenantId: stub.guildId, userId: dora.id, displayName: "Dora Discordia" });
  await researcher(t.db, "Dora Discordia", claimant.accountId);

  const command = stub.slashCommand("invite", { query: "Dora Discordia", message: "Shall we pair on proofs?" });
  expect(JSON.stringify((await stub.callbackFor(command)).body)).toContain("Your invitation to Dora Discordia is on its way");
  const inv = await t.db.invitation.findFirstOrThrow();
  await waitUntil(async () => (await t.db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status === "delivered", "delivery");

  const dms = stub.calls.filter(
    (c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes(`pl:accept_invite:${inv.id}`),
  );
  expect(dms).toHaveLength(1);
  expect(JSON.stringify(dms[0]!.body)).toContain("Shall we pair on proofs?");

  const refused = stub.button(`pl:accept_invite:${inv.id}`, { user: stranger, guildId: null });
  expect(JSON.stringify((await stub.callbackFor(refused)).body)).toContain("only they can answer it");
  expect((await t.db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("delivered");

  const accepted = stub.button(`pl:accept_invite:${inv.id}`, { user: dora, guildId: null });
  expect(JSON.stringify((await stub.callbackFor(accepted)).body)).toContain("Accepted.");
  expect((await t.db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe("accepted");
  // The DM itself is edited: it says what was answered and has no buttons left.
  const edit = await waitUntil(
    async () => stub.calls.find((c) => c.method === "PATCH" && /^\/channels\/\d+\/messages\/\d+$/.test(c.path)),
    "the DM edited",
  );
  expect(JSON.stringify(edit.body)).toContain("You accepted this invitation.");
  expect(JSON.stringify(edit.body)).toContain("Shall we pair on proofs?");
  expect(edit.body.components).toEqual([]);
  // The stranger's refused press changed nothing: only one edit.
  expect(stub.calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
});
