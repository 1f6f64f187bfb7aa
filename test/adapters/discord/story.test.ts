// The story of issue #13 through the real discord.js client and the Discord stand-in: alice follows,
// bob claims, an admin approves, alice invites, bob gets the invitation as a DM and accepts, and each
// gets the other's contact by DM. The console spec (test/adapters/console/story.test.ts) tells the same story.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type RecordedCall, type StubUser } from "../../support/discord-stub.js";

vi.setConfig({ testTimeout: 60_000 });

const alice: StubUser = { id: "1400000000000000101", username: "alice" };
const bob: StubUser = { id: "1400000000000000102", username: "bob" };
const admin: StubUser = { id: "1400000000000000103", username: "admin" };
const ADMINISTRATOR = "8";

let stub: DiscordStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  await seedDemo(tdb.db);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({
    clock: testClock(),
    db: tdb.db,
    log: logger,
    messengers: { discord: DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl }) },
  });
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  discord = await startDiscord({ core, config, logger });
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

/** What the reply to an interaction says: its embeds and content, as one string. */
async function answer(interaction: { id: string; token: string }): Promise<string> {
  const { body } = await stub.callbackFor(interaction);
  if (body.type !== 5) return JSON.stringify(body.data);
  // Deferred: the answer is the edit of the original response.
  const edit = await stub.waitForCall((c) => c.method === "PATCH" && c.path.includes(`/webhooks/`) && c.path.includes(interaction.token));
  return JSON.stringify(edit.body);
}

const messageWith = (text: string) => (c: RecordedCall) =>
  c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes(text);

it("follows, claims, approves, invites, accepts, and sends each the other's contact", async () => {
  expect(await answer(stub.slashCommand("follow", { query: "Jonathan Frankle" }, { user: alice }))).toMatch(/You now follow Jonathan Frankle/);

  const claimed = await answer(stub.slashCommand("claim", { query: "Jonathan Frankle" }, { user: bob }));
  const claimId = Number(/claim #(\d+)/.exec(claimed)?.[1]);
  expect(claimId).toBeGreaterThan(0);
  expect(await answer(stub.slashCommand("admin approve", { claim_id: claimId }, { user: bob }))).toMatch(/Only admins|can't decide your own claim/);
  expect(await answer(stub.slashCommand("admin approve", { claim_id: claimId }, { user: admin, permissions: ADMINISTRATOR }))).toMatch(
    /Approved claim #\d+: Jonathan Frankle is now claimed/,
  );
  await stub.waitForCall(messageWith("Your claim on Jonathan Frankle is verified"));

  const invited = await answer(
    stub.slashCommand("invite", { query: "Jonathan Frankle", message: "Shall we work on lottery tickets together?" }, { user: alice }),
  );
  expect(invited).toMatch(/on its way/);
  const dm = await stub.waitForCall(messageWith("Shall we work on lottery tickets together?"));
  const accept = (dm.body.components as Array<{ components: Array<{ custom_id: string }> }>)
    .flatMap((row) => row.components)
    .find((b) => b.custom_id.startsWith("pl:accept_invite:"));
  expect(accept).toBeDefined();

  const dmChannel = dm.path.split("/")[2]!;
  expect(await answer(stub.button(accept!.custom_id, { user: bob, guildId: null, channelId: dmChannel }))).toMatch(/each other's contact details/);
  await stub.waitForCall(messageWith("accepted your invitation to collaborate. You can reach them as"));
  await stub.waitForCall(messageWith("You accepted alice's invitation. You can reach them as"));
});
