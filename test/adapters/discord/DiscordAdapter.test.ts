// The real discord.js Client, logged in to a local Discord stand-in, answering interactions from a
// real core over a real Postgres database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { createLogger } from "../../../src/logger.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { testClock } from "../../support/clock.js";

const EPHEMERAL = 64;
const CALLBACK = { reply: 4, defer: 5, autocomplete: 8, modal: 9 };

describe("Discord adapter, end to end", () => {
  let stub: DiscordStub;
  let tdb: TestDatabase;
  let core: Core;
  let discord: RunningDiscord;
  let researcherId: number;

  beforeAll(async () => {
    [stub, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), createTestDatabase()]);
    ({ researcherId } = await seedDemo(tdb.db));
    const logger = createLogger(process.env.TEST_LOG ?? "silent");
    core = createCore({ clock: testClock(), db: tdb.db, log: logger });
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
    discord = await startDiscord({ core, config, logger, options: { deferAfterMs: 1500 } });
  });

  afterAll(async () => {
    await discord?.stop();
    await stub?.close();
    await tdb?.drop();
  });

  it("connects over the gateway with the Guilds intent only and keeps the session alive with heartbeats", async () => {
    expect(stub.callsTo("GET", "/gateway/bot")).not.toHaveLength(0);
    expect(stub.identifies).toHaveLength(1);
    expect(stub.identifies[0].token).toBe(stub.token);
    expect(stub.identifies[0].intents).toBe(1); // GatewayIntentBits.Guilds
    await vi.waitFor(() => expect(stub.heartbeats).toBeGreaterThan(0), { timeout: 5000 });
  });

  it("answers /researcher lookup with a profile embed and buttons, privately and without pings", async () => {
    const interaction = stub.slashCommand("lookup", { query: "Jonathan Frankle" });
    const { body } = await stub.callbackFor(interaction);
    expect(body.type).toBe(CALLBACK.reply);
    expect(body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(body.data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.data.embeds;
    expect(embed.title).toBe("Jonathan Frankle");
    const names = embed.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(["Trust", "Verification", "Claim", "Counts"]));
    expect(names.some((n: string) => n.startsWith("Recent works"))).toBe(true);
    const ids = body.data.components.flatMap((row: { components: Array<{ custom_id: string }> }) => row.components.map((b) => b.custom_id));
    expect(ids).toEqual(
      expect.arrayContaining([
        `pl:follow:card:${researcherId}`,
        `pl:claim:${researcherId}`,
        `pl:watch_claim:${researcherId}`,
        `pl:works:${researcherId}:1`,
      ]),
    );
    // Unclaimed: the core would refuse an invitation, so the card offers to wait for the claim instead.
    expect(ids).not.toContain(`pl:invite:${researcherId}`);
  });

  it("shares a lookup in the channel when asked", async () => {
    const interaction = stub.slashCommand("lookup", { query: "Jonathan Frankle", share: true });
    const { body } = await stub.callbackFor(interaction);
    expect(body.data.flags ?? 0).toBe(0);
    expect(body.data.embeds[0].title).toBe("Jonathan Frankle");
  });

  it("suggests at most 25 researcher names while typing, and nothing for one letter", async () => {
    const typing = stub.autocomplete("follow", "query", "Frankle");
    const { body } = await stub.callbackFor(typing);
    expect(body.type).toBe(CALLBACK.autocomplete);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    expect(body.data.choices[0]).toEqual({ name: "Jonathan Frankle", value: `#${researcherId}` });
    for (const c of body.data.choices) expect(c.name.length).toBeLessThanOrEqual(100);

    const short = await stub.callbackFor(stub.autocomplete("lookup", "query", "J"));
    expect(short.body.data.choices).toEqual([]);
  });

  it("follows a researcher from the Follow button, as the Discord user in that guild", async () => {
    const user = { id: "1400000000000000002", username: "grace", globalName: "Grace Hopper" };
    const { body } = await stub.callbackFor(stub.button(`pl:follow:${researcherId}`, { user }));
    expect(body.data.embeds[0].description).toContain("You now follow Jonathan Frankle");
    const identity = await tdb.db.chatIdentity.findFirstOrThrow({ where: { platform: "discord", tenantId: stub.guildId, userId: user.id } });
    expect(identity.displayName).toBe("Grace Hopper");
    const follow = await tdb.db.follow.findUnique({ where: { accountId_researcherId: { accountId: identity.accountId, researcherId } } });
    expect(follow).not.toBeNull();
  });

  it("uses the 'dm' tenant for someone whose first command is in a DM", async () => {
    const user = { id: "1400000000000000003", username: "alan" };
    await stub.callbackFor(stub.slashCommand("following", {}, { user, guildId: null }));
    const identity = await tdb.db.chatIdentity.findFirst({ where: { platform: "discord", userId: user.id } });
    expect(identity?.tenantId).toBe("dm");
  });

  it("lets someone subscribe their DM with the bot, as on Slack, but not a guild channel they cannot manage", async () => {
    const user = { id: "1400000000000000009", username: "dora" };
    const dm = await stub.callbackFor(
      stub.slashCommand("subscribe", { query: "Jonathan Frankle" }, { user, guildId: null, channelId: "1600000000000000009" }),
    );
    expect(JSON.stringify(dm.body.data)).toMatch(/This channel now gets Jonathan Frankle's new papers/);
    const inGuild = await stub.callbackFor(stub.slashCommand("subscribe", { query: "Jonathan Frankle" }, { user }));
    expect(JSON.stringify(inGuild.body.data)).toMatch(/Only people who can manage this channel/);
    const subscriptions = await tdb.db.channelSubscription.findMany({ where: { researcherId }, select: { channelId: true } });
    expect(subscriptions.map((s) => s.channelId)).toEqual(["1600000000000000009"]);
  });

  it("acts as the identity a DM was sent to when its button is pressed", async () => {
    const user = { id: "1400000000000000006", username: "mary" };
    const account = await tdb.db.account.create({ data: { displayName: "Mary" } });
    await tdb.db.chatIdentity.create({
      data: { platform: "discord", tenantId: stub.guildId, userId: user.id, dmChannelId: "1600000000000000006", accountId: account.id },
    });
    await stub.callbackFor(stub.button(`pl:follow:${researcherId}`, { user, guildId: null, channelId: "1600000000000000006" }));
    expect(await tdb.db.follow.count({ where: { accountId: account.id, researcherId } })).toBe(1);
    expect(await tdb.db.chatIdentity.count({ where: { userId: user.id } })).toBe(1);
  });

  /** The next command's core call waits until released: the deferral point passes whatever the machine's speed. */
  function holdCore() {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = core.router.handle.bind(core.router);
    const spy = vi.spyOn(core.router, "handle").mockImplementationOnce(async (...args) => {
      await gate;
      return original(...args);
    });
    return { release, spy };
  }

  it("defers when the core is slow and then edits the deferred reply", async () => {
    const { release, spy } = holdCore();
    try {
      const interaction = stub.slashCommand("works", { query: "Jonathan Frankle", page: 2 });
      const { body } = await stub.callbackFor(interaction);
      release();
      expect(body.type).toBe(CALLBACK.defer);
      expect(body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
      const edit = await stub.waitForCall(
        (c) => c.method === "PATCH" && c.path === `/webhooks/${stub.applicationId}/${interaction.token}/messages/@original`,
      );
      expect(edit.body.embeds[0].title).toBe("Works by Jonathan Frankle");
      expect(edit.body.embeds[0].footer.text).toContain("Page 2 of 2");
      expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    } finally {
      spy.mockRestore();
    }
  });

  it("keeps a slow private answer private although the deferral was public", async () => {
    const { release, spy } = holdCore();
    try {
      const interaction = stub.slashCommand("lookup", { query: "Zzyzx Qwvbnm", share: true });
      const { body } = await stub.callbackFor(interaction);
      release();
      expect(body.type).toBe(CALLBACK.defer);
      expect(body.data.flags ?? 0).toBe(0);
      const webhook = `/webhooks/${stub.applicationId}/${interaction.token}`;
      await stub.waitForCall((c) => c.method === "DELETE" && c.path === `${webhook}/messages/@original`);
      const followUp = await stub.waitForCall((c) => c.method === "POST" && c.path === webhook);
      expect(followUp.body.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(followUp.body.embeds[0].description).toContain("No researcher found");
    } finally {
      spy.mockRestore();
    }
  });

  it("shows the research graph as the embed's image, attached as a PNG", async () => {
    const interaction = stub.slashCommand("graph", { query: "Jonathan Frankle" });
    const { body } = await stub.callbackFor(interaction);
    expect(body.type).toBe(CALLBACK.defer); // drawing takes a moment: acknowledge first
    const edit = await stub.waitForCall(
      (c) => c.method === "PATCH" && c.path === `/webhooks/${stub.applicationId}/${interaction.token}/messages/@original`,
    );
    const image = edit.body.embeds[0].image.url as string;
    expect(image).toMatch(/^attachment:\/\/.+\.png$/);
    expect(edit.files).toEqual([image.replace("attachment://", "")]);
  });

  it("hands a modal submission to the form's command with its fixed values", async () => {
    const user = { id: "1400000000000000004", username: "barbara" };
    const interaction = stub.modalSubmit(`plf:follow:query=%23${researcherId}`, {}, { user });
    const { body } = await stub.callbackFor(interaction);
    expect(body.data.embeds[0].description).toContain("You now follow Jonathan Frankle");
    const identity = await tdb.db.chatIdentity.findFirstOrThrow({ where: { userId: user.id } });
    expect(await tdb.db.follow.count({ where: { accountId: identity.accountId, researcherId } })).toBe(1);
  });

  it("routes a user option as a mention: the invoker blocks the person picked", async () => {
    const blocked = { platform: "discord" as const, tenantId: stub.guildId, userId: "1400000000000000009", displayName: "Grace" };
    const target = await core.accounts.resolve(blocked);
    const { body } = await stub.callbackFor(stub.slashCommand("people block", { user: { type: 6, value: blocked.userId } }));
    expect(body.data.embeds[0].description).toMatch(/blocked/i);
    const me = await tdb.db.chatIdentity.findFirstOrThrow({ where: { platform: "discord", userId: stub.defaultUser.id } });
    expect(await tdb.db.block.count({ where: { blockerAccountId: me.accountId, blockedAccountId: target.accountId } })).toBe(1);
  });

  it("reads admin rights from the member's permissions: only an administrator gets past the admin check", async () => {
    const asMember = await stub.callbackFor(stub.slashCommand("admin approve", { claim_id: 12 }, { permissions: String(1 << 4) }));
    expect(asMember.body.data.embeds[0].description).toContain("Only admins");
    const asAdmin = await stub.callbackFor(stub.slashCommand("admin approve", { claim_id: 12 }, { permissions: String(1 << 3) }));
    expect(asAdmin.body.data.embeds[0].description).toContain("There is no claim #12");
  });

  it("snoozes with the duration as typed, until two hours from the core's now", async () => {
    const { body } = await stub.callbackFor(stub.slashCommand("snooze", { duration: "2h" }));
    expect(body.data.embeds[0].description).toContain("Snoozed until");
    const me = await tdb.db.chatIdentity.findFirstOrThrow({
      where: { platform: "discord", userId: stub.defaultUser.id },
      include: { account: true },
    });
    const ahead = me.account.snoozedUntil!.getTime() - core.clock.now().getTime();
    expect(ahead).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(ahead).toBeLessThanOrEqual(2 * 3600_000);
  });

  it("opens the invitation form as a modal from the Invite button and submits it to invite", async () => {
    const owner = await tdb.db.account.create({ data: { displayName: "Jonathan Frankle" } });
    await tdb.db.researcher.update({ where: { id: researcherId }, data: { claimedByAccountId: owner.id } });
    const user = { id: "1400000000000000005", username: "katherine" };

    const { body } = await stub.callbackFor(stub.button(`pl:invite:${researcherId}`, { user }));
    expect(body.type).toBe(CALLBACK.modal);
    expect(body.data.custom_id).toBe(`plf:invite:query=%23${researcherId}`);
    const inputs = body.data.components.filter((c: { type: number }) => c.type === 18).map((c: any) => c.component.custom_id);
    expect(inputs).toContain("message");

    const submitted = await stub.callbackFor(stub.modalSubmit(body.data.custom_id, { message: "Shall we talk about sparse training?" }, { user }));
    expect(submitted.body.type).toBe(CALLBACK.reply);
    expect(submitted.body.data.embeds[0].description).toContain("Your invitation to Jonathan Frankle is on its way");
    const sender = await tdb.db.chatIdentity.findFirstOrThrow({ where: { platform: "discord", userId: user.id } });
    const invitation = await tdb.db.invitation.findFirstOrThrow({ where: { senderAccountId: sender.accountId, researcherId } });
    expect(invitation).toMatchObject({ message: "Shall we talk about sparse training?", recipientAccountId: owner.id, originPlatform: "discord" });
  });
});
