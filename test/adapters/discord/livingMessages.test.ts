// Living messages through the real discord.js client on the gateway stand-in: a claim review card
// shows its decision where it was posted (PATCH /channels/…/messages/…), a private card's Follow
// flips to Unfollow in place (UPDATE_MESSAGE, callback type 7), a shared card counts its follower.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type RecordedCall, type StubUser } from "../../support/discord-stub.js";

vi.setConfig({ testTimeout: 30_000 });

const bob: StubUser = { id: "1400000000000000302", username: "bob" };
const dan: StubUser = { id: "1400000000000000304", username: "dan" };
const admin: StubUser = { id: "1400000000000000303", username: "admin" };
const REVIEW = "1300000000000000309";
const ADMINISTRATOR = "8";
const EPHEMERAL = 64;

let stub: DiscordStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;
let researcherId: number;

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  ({ researcherId } = await seedDemo(tdb.db));
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({
    clock: testClock(),
    db: tdb.db,
    log: logger,
    messengers: { discord: DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl }) },
    claims: { reviewChannel: { platform: "discord", tenantId: stub.guildId, channelId: REVIEW } },
  });
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  discord = await startDiscord({ core, config, logger });
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

type Button = { custom_id: string; label: string };
const buttonsOf = (body: { components?: Array<{ components: Button[] }> }) => (body.components ?? []).flatMap((r) => r.components);
const followers = (text: string) => Number(/(\d+) followers?/.exec(text)?.[1]);

async function reviewPosted(): Promise<{ claimId: string; messageId: string }> {
  const post = await stub.waitForCall((c) => c.method === "POST" && c.path === `/channels/${REVIEW}/messages`);
  const claimId = /#(\d+)/.exec(JSON.stringify(post.body))![1]!;
  for (let i = 0; i < 200; i++) {
    const row = await tdb.db.postedMessage.findFirst({ where: { subject: `claim:${claimId}` } });
    if (row) return { claimId, messageId: row.messageRef.split(":")[1]! };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the review card was not recorded");
}

describe("a claim review card", () => {
  it("shows the decision and loses its buttons in the review channel once an admin approves", async () => {
    stub.slashCommand("claim", { query: "Jonathan Frankle" }, { user: bob });
    const { claimId, messageId } = await reviewPosted();

    const press = stub.button(`pl:approve_claim:${claimId}`, { user: admin, permissions: ADMINISTRATOR, channelId: REVIEW });
    await stub.callbackFor(press);
    const edit = await stub.waitForCall((c: RecordedCall) => c.method === "PATCH" && c.path === `/channels/${REVIEW}/messages/${messageId}`);
    expect(JSON.stringify(edit.body.embeds)).toMatch(new RegExp(`Claim #${claimId}: Jonathan Frankle — approved`));
    expect(edit.body.components).toEqual([]);
  });
});

describe("a profile card's Follow", () => {
  it("flips to Unfollow on the viewer's own (ephemeral) card and counts the follower, as an UPDATE_MESSAGE", async () => {
    const lookup = stub.slashCommand("lookup", { query: "Jonathan Frankle" }, { user: dan });
    const shown = (await stub.callbackFor(lookup)).body.data;
    const follow = buttonsOf(shown).find((b) => b.label === "Follow")!;
    expect(follow.custom_id).toBe(`pl:follow:card:${researcherId}`);
    const before = followers(JSON.stringify(shown.embeds));

    const press = stub.button(follow.custom_id, { user: dan }, { flags: EPHEMERAL, embeds: shown.embeds });
    const { body } = await stub.callbackFor(press);
    expect(body.type).toBe(7);
    expect(followers(JSON.stringify(body.data.embeds))).toBe(before + 1);
    expect(JSON.stringify(body.data.embeds)).toMatch(/You now follow Jonathan Frankle/);
    expect(buttonsOf(body.data).map((b) => b.label)).toContain("Unfollow");
    expect(buttonsOf(body.data).map((b) => b.label)).not.toContain("Follow");
  });

  it("on a shared card keeps Follow, edits the card with the new count and tells the presser privately", async () => {
    const share = stub.slashCommand("lookup", { query: "Jonathan Frankle", share: true }, { user: dan });
    const posted = (await stub.callbackFor(share)).body.data;
    expect(buttonsOf(posted).map((b) => b.custom_id)).toEqual(
      expect.arrayContaining([`pl:follow:shared:${researcherId}`, `pl:refresh_card:${researcherId}`]),
    );
    const before = followers(JSON.stringify(posted.embeds));

    const press = stub.button(`pl:follow:shared:${researcherId}`, { user: bob });
    const { body } = await stub.callbackFor(press);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(body.data.embeds)).toMatch(/You now follow Jonathan Frankle/);
    const edit = await stub.waitForCall(
      (c) =>
        c.method === "PATCH" && c.path === `/channels/${stub.channelId}/messages/${(press as unknown as { message: { id: string } }).message.id}`,
    );
    expect(followers(JSON.stringify(edit.body.embeds))).toBe(before + 1);
    expect(buttonsOf(edit.body).map((b) => b.label)).toContain("Follow");
  });
});
