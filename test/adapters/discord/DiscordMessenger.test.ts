import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DiscordMessenger } from "../../../src/adapters/discord/DiscordMessenger.js";
import { createCore } from "../../../src/core/Core.js";
import { PermanentDeliveryError, RateLimitedError } from "../../../src/core/ports.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { notice } from "../../../src/core/reply.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { testClock } from "../../support/clock.js";

describe("DiscordMessenger", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let messenger: DiscordMessenger;
  const user = "1400000000000000077";
  const guild = "1200000000000000001";

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start(), createTestDatabase()]);
    messenger = DiscordMessenger.create({ db: tdb.db, token: stub.token, apiUrl: stub.apiUrl });
    await tdb.db.chatIdentity.create({
      data: { platform: "discord", tenantId: guild, userId: user, account: { create: { displayName: "Grace" } } },
    });
  });

  afterAll(async () => {
    await stub?.close();
    await tdb?.drop();
  });

  beforeEach(() => {
    stub.calls.length = 0;
  });

  it("opens a DM channel once, remembers it on the chat identity, and posts the rendered reply", async () => {
    const first = await messenger.send({ platform: "discord", tenantId: guild, userId: user }, notice("info", "New paper by @everyone"));
    const second = await messenger.send({ platform: "discord", tenantId: guild, userId: user }, notice("info", "Another"));

    const opened = stub.callsTo("POST", "/users/@me/channels");
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body).toEqual({ recipient_id: user });
    expect(opened[0]!.authorization).toBe(`Bot ${stub.token}`);

    const identity = await tdb.db.chatIdentity.findFirstOrThrow({ where: { userId: user } });
    expect(identity.dmChannelId).toMatch(/^\d+$/);
    const posts = stub.callsTo("POST", `/channels/${identity.dmChannelId}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(posts[0]!.body.embeds[0].description).toContain("New paper by @everyone");
    expect(first.messageRef).toMatch(new RegExp(`^${identity.dmChannelId}:\\d+$`));
    expect(second.messageRef).not.toBe(first.messageRef);
  });

  it("posts to a channel directly", async () => {
    const sent = await messenger.send({ platform: "discord", tenantId: guild, channelId: "1300000000000000009" }, notice("success", "Hi"));
    expect(stub.callsTo("POST", "/channels/1300000000000000009/messages")).toHaveLength(1);
    expect(stub.callsTo("POST", "/users/@me/channels")).toHaveLength(0);
    expect(sent.messageRef).toMatch(/^1300000000000000009:\d+$/);
  });

  it("edits a message it sent with PATCH /channels/{channel}/messages/{message}", async () => {
    const sent = await messenger.send({ platform: "discord", tenantId: guild, channelId: "1300000000000000005" }, notice("info", "Waiting"));
    await messenger.edit({ platform: "discord", tenantId: guild, messageRef: sent.messageRef }, notice("success", "Decided"));
    const [channelId, messageId] = sent.messageRef.split(":");
    const [patch] = stub.callsTo("PATCH", `/channels/${channelId}/messages/${messageId}`);
    expect(patch!.body.embeds[0].description).toContain("Decided");
    expect(patch!.body.components).toEqual([]);
    expect(patch!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it("says a deleted message is gone (10008 Unknown Message → PermanentDeliveryError)", async () => {
    stub.failNext(1, 404, { code: 10008, message: "Unknown Message" });
    await expect(
      messenger.edit({ platform: "discord", tenantId: guild, messageRef: "1300000000000000005:1300000000000000099" }, notice("info", "x")),
    ).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it("attaches a reply's picture as a PNG the embed shows", async () => {
    await seedDemo(tdb.db);
    const core = createCore({ clock: testClock(), db: tdb.db, log: createLogger("silent") });
    const ctx = { actor: { platform: "discord" as const, tenantId: guild, userId: user }, permissions: { canManageChannel: false, isAdmin: false } };
    const { reply } = await core.router.handle("graph", { query: "Jonathan Frankle" }, ctx);
    expect(reply.kind === "list" && reply.picture).toBeTruthy();
    await messenger.send({ platform: "discord", tenantId: guild, channelId: "1300000000000000012" }, reply);
    const [post] = stub.callsTo("POST", "/channels/1300000000000000012/messages");
    expect(post!.files).toHaveLength(1);
    expect(post!.body.embeds[0].image.url).toBe(`attachment://${post!.files[0]}`);
    expect(post!.body.attachments).toEqual([expect.objectContaining({ id: 0, filename: post!.files[0] })]);
  });

  it("turns a 429 into RateLimitedError carrying Discord's retry_after", async () => {
    stub.rateLimitNext(1, 2.5, (c) => c.path.endsWith("/messages"));
    const error = await messenger
      .send({ platform: "discord", tenantId: guild, channelId: "1300000000000000010" }, notice("info", "x"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(2500);
    expect(stub.callsTo("POST", "/channels/1300000000000000010/messages")).toHaveLength(1);
  });

  it("treats 'cannot send messages to this user' (50007) as a permanent failure", async () => {
    stub.failNext(1, 403, { code: 50007, message: "Cannot send messages to this user" }, (c) => c.path.endsWith("/messages"));
    const error = await messenger.send({ platform: "discord", tenantId: guild, userId: user }, notice("info", "x")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
  });

  it("treats an unknown channel (404, 10003) as a permanent failure", async () => {
    stub.failNext(1, 404, { code: 10003, message: "Unknown Channel" });
    const error = await messenger
      .send({ platform: "discord", tenantId: guild, channelId: "1300000000000000011" }, notice("info", "x"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
  });
});
