// `/researcher home` through the real discord.js client on the gateway stand-in: the same dashboard as
// Slack's Home tab, as embeds (one per section) with buttons; a section's More redraws the message in
// place (UPDATE_MESSAGE) on that section's next page and keeps the other sections where they were.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { LIMITS } from "../../../src/adapters/discord/render.js";
import { type RunningDiscord, startDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { HOME_SECTION_SIZE } from "../../../src/core/home/HomeService.js";
import { createLogger } from "../../../src/logger.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub, type StubUser } from "../../support/discord-stub.js";
import { researcher } from "../../core/invitations/fixtures.js";

vi.setConfig({ testTimeout: 30_000 });

const dan: StubUser = { id: "1400000000000000404", username: "dan" };
const EPHEMERAL = 64;
const MANY = HOME_SECTION_SIZE + 2;
const DAY = 86_400_000;

let stub: DiscordStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;

beforeAll(async () => {
  [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({
    clock: testClock(),
    db: tdb.db,
    log: logger,
    messengers: { discord: DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl }) },
  });
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  discord = await startDiscord({ core, config, logger });

  const db = tdb.db;
  const now = core.clock.now().getTime();
  const me = await core.accounts.resolve({ platform: "discord", tenantId: stub.guildId, userId: dan.id, displayName: "dan" });
  const mine = await researcher(db, "Dan Byron", me.accountId);
  await db.claim.create({ data: { researcherId: mine, accountId: me.accountId, status: "verified", method: "admin_review" } });
  for (let i = 1; i <= MANY; i++) {
    const id = await researcher(db, `Followed Person ${i}`);
    // one open invitation per sender and recipient: each comes from someone else
    const sender = await core.accounts.resolve({
      platform: "discord",
      tenantId: stub.guildId,
      userId: `14000000000000005${i}0`,
      displayName: `Sender ${i}`,
    });
    // the first followed is the newest follow, so page 1 starts with Followed Person 1
    await db.follow.create({ data: { accountId: me.accountId, researcherId: id, createdAt: new Date(now - i * 60_000) } });
    await db.invitation.create({
      data: {
        senderAccountId: sender.accountId,
        senderIdentityId: sender.identityId,
        researcherId: mine,
        recipientAccountId: me.accountId,
        message: `Proposal number ${i}`,
        status: "delivered",
        originPlatform: "discord",
        originTenantId: stub.guildId,
        originChannelId: stub.channelId,
        createdAt: new Date(now - i * 60_000),
        expiresAt: new Date(now + DAY),
      },
    });
  }
});
afterAll(async () => {
  await discord?.stop();
  await stub?.close();
  await tdb?.drop();
});

type Button = { custom_id: string; label: string };
type Message = { embeds: Array<{ title?: string; footer?: { text: string } }>; components?: Array<{ components: Button[] }>; flags?: number };
const buttonsOf = (m: Message) => (m.components ?? []).flatMap((r) => r.components);
const section = (m: Message, title: RegExp) => m.embeds.find((e) => title.test(e.title ?? ""));
const text = (m: Message) => JSON.stringify(m.embeds);

async function press(on: Message, label: string): Promise<Message> {
  const button = buttonsOf(on).find((b) => b.label === label);
  if (!button)
    throw new Error(
      `no button “${label}” among ${buttonsOf(on)
        .map((b) => b.label)
        .join(", ")}`,
    );
  const { body } = await stub.callbackFor(stub.button(button.custom_id, { user: dan }, { flags: EPHEMERAL, embeds: on.embeds }));
  expect(body.type).toBe(7); // UPDATE_MESSAGE: the dashboard is redrawn where it was
  return body.data as Message;
}

it("answers /researcher home privately with the dashboard's sections, within Discord's limits", async () => {
  const { body } = await stub.callbackFor(stub.slashCommand("home", {}, { user: dan }));
  expect(body.type).toBe(4);
  const home = body.data as Message;
  expect(home.flags).toBe(EPHEMERAL);
  expect(home.embeds.map((e) => e.title)).toEqual([
    "Peerlink",
    "Your claims",
    `Invitations waiting for you (${MANY})`,
    `Researchers you follow (${MANY})`,
    "This week's notifications (0)",
    "Invitations you sent",
    "People here in intros (0)",
  ]);
  expect(text(home)).toContain("Dan Byron");
  expect(text(home)).toContain("Proposal number 1");
  expect(text(home)).not.toContain(`Proposal number ${MANY}`); // on page 2
  expect(section(home, /^Researchers you follow/)?.footer?.text).toBe("Page 1 of 2");
  expect(text(home).length).toBeLessThan(LIMITS.total + 2000); // JSON quoting aside, the 6,000 characters hold
  const labels = buttonsOf(home).map((b) => b.label);
  expect(labels.length).toBeLessThanOrEqual(25);
  expect(labels).toEqual(
    expect.arrayContaining([
      "More · Invitations waiting for you",
      "More · Researchers you follow",
      "Accept · From Sender 1",
      "Decline · From Sender 1",
    ]),
  );
  expect(labels.some((l) => l.startsWith("Previous"))).toBe(false);
});

it("More turns one section's page in place and keeps the others where they were; Previous goes back", async () => {
  const { body } = await stub.callbackFor(stub.slashCommand("home", {}, { user: dan }));
  const follows2 = await press(body.data as Message, "More · Researchers you follow");
  expect(section(follows2, /^Researchers you follow/)?.footer?.text).toBe("Page 2 of 2");
  expect(text(follows2)).toContain(`Followed Person ${MANY}`);
  expect(text(follows2)).not.toContain('"Followed Person 1"');

  const both2 = await press(follows2, "More · Invitations waiting for you");
  expect(section(both2, /^Invitations waiting/)?.footer?.text).toBe("Page 2 of 2");
  expect(text(both2)).toContain(`Proposal number ${MANY}`);
  expect(section(both2, /^Researchers you follow/)?.footer?.text).toBe("Page 2 of 2"); // not reset

  const back = await press(both2, "Previous · Researchers you follow");
  expect(section(back, /^Researchers you follow/)?.footer?.text).toBe("Page 1 of 2");
  expect(section(back, /^Invitations waiting/)?.footer?.text).toBe("Page 2 of 2");
});

it("accepts an invitation from the dashboard", async () => {
  const { body } = await stub.callbackFor(stub.slashCommand("home", {}, { user: dan }));
  const accept = buttonsOf(body.data as Message).find((b) => b.label === "Accept · From Sender 1")!;
  const id = accept.custom_id.split(":")[2]!;
  await stub.callbackFor(stub.button(accept.custom_id, { user: dan }, { flags: EPHEMERAL }));
  await expect.poll(async () => (await tdb.db.invitation.findUniqueOrThrow({ where: { id } })).status).toBe("accepted");
});
