// Channel subscriptions, quiet controls and "notify here", as people type them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../../src/core/Core.js";
import { FanOut } from "../../../src/core/notifications/FanOut.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { ctxFor, quietLog } from "../../jobs/notifications/harness.js";

let t: TestDatabase;
let core: Core;
let researcherId: number;
const now = new Date("2026-11-25T12:00:00Z");

const run = (text: string, ctx = ctxFor("slack", "U0ALICE")) => core.router.handleText(text, ctx);
const manager = (platform: "slack" | "discord" = "slack") => ctxFor(platform, "U0ADMIN", { permissions: { canManageChannel: true, isAdmin: false } });

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId } = await seedDemo(t.db));
  core = createCore({ db: t.db, log: quietLog, clock: { now: () => now } });
});
afterAll(async () => t?.drop());

describe("channel subscriptions", () => {
  it("refuses people who cannot manage the channel, and changes nothing", async () => {
    const r = await run("subscribe Jonathan Frankle");
    expect(r).toMatchObject({
      visibility: "ephemeral",
      reply: { level: "error", text: expect.stringContaining("Only people who can manage this channel") },
    });
    expect(await run("unsubscribe Jonathan Frankle")).toMatchObject({ reply: { level: "error" } });
    expect(await t.db.channelSubscription.count()).toBe(0);
  });

  it("lets a channel manager subscribe, list and unsubscribe", async () => {
    const r = await run("subscribe Jonathan Frankle", manager());
    expect(r).toMatchObject({ visibility: "in_channel", reply: { level: "success" } });
    expect(await run("subscribe Jonathan Frankle", manager())).toMatchObject({ reply: { level: "info" } });
    const list = await run("subscriptions");
    expect(list.reply).toMatchObject({ kind: "list", items: [{ title: "Jonathan Frankle" }] });
    // Another channel has its own list.
    expect((await run("subscriptions", ctxFor("slack", "U0ALICE", { channelId: "C0OTHER" }))).reply).toMatchObject({ level: "info" });
    expect(await run("unsubscribe Jonathan Frankle", manager())).toMatchObject({ reply: { level: "success" } });
    expect(await t.db.channelSubscription.count()).toBe(0);
  });

  it("asks for a channel when there is none", async () => {
    const dm = ctxFor("slack", "U0ADMIN", { channelId: undefined, permissions: { canManageChannel: true, isAdmin: true } });
    expect(await run("subscribe Jonathan Frankle", dm)).toMatchObject({ reply: { level: "warning" } });
  });
});

describe("quiet controls", () => {
  it("validates the digest hour and timezone, and stores the canonical zone", async () => {
    expect((await run("digest daily 24")).reply).toMatchObject({ level: "error", text: expect.stringContaining("0 to 23") });
    expect((await run("digest daily 9 Mars/Olympus_Mons")).reply).toMatchObject({ level: "error", text: expect.stringContaining("timezone") });
    expect((await run("digest hourly")).reply).toMatchObject({ level: "error", text: expect.stringContaining("instant, daily or weekly") });
    expect((await run("digest weekly 8 america/new_york")).reply).toMatchObject({
      level: "success",
      text: expect.stringContaining("every Monday at 08:00"),
    });
    const account = await t.db.account.findFirstOrThrow({ where: { identities: { some: { userId: "U0ALICE" } } } });
    expect(account).toMatchObject({ digestMode: "weekly", digestHour: 8, timezone: "America/New_York" });
    expect((await run("digest")).reply).toMatchObject({ level: "info", text: expect.stringContaining("weekly digest at 08:00 America/New_York") });
    await run("digest instant");
  });

  it("snoozes for a duration of at most 30 days, and ends a snooze with off", async () => {
    expect((await run("snooze 31d")).reply).toMatchObject({ level: "error", text: expect.stringContaining("30 days") });
    expect((await run("snooze soon")).reply).toMatchObject({ level: "error" });
    expect((await run("snooze 3d")).reply).toMatchObject({ level: "success" });
    const snoozed = await t.db.account.findFirstOrThrow({ where: { identities: { some: { userId: "U0ALICE" } } } });
    expect(snoozed.snoozedUntil?.toISOString()).toBe("2026-11-28T12:00:00.000Z");
    expect((await run("snooze off")).reply).toMatchObject({ level: "success" });
    const back = await t.db.account.findFirstOrThrow({ where: { identities: { some: { userId: "U0ALICE" } } } });
    expect(back.snoozedUntil).toBeNull();
  });

  it("mutes only researchers one follows, and keeps the follow", async () => {
    expect((await run("mute Jonathan Frankle")).reply).toMatchObject({ level: "info", text: expect.stringContaining("don't follow") });
    await run("follow Jonathan Frankle");
    expect((await run("mute Jonathan Frankle")).reply).toMatchObject({ level: "success" });
    expect((await run("following")).reply).toMatchObject({ kind: "list", items: [{ title: "Jonathan Frankle", meta: "muted" }] });
    expect((await run("unmute Jonathan Frankle")).reply).toMatchObject({ level: "success" });
  });
});

describe("one account on two platforms", () => {
  it("shares one follow list and sends notifications where the person said “notify here”", async () => {
    const alice = await core.accounts.resolve(ctxFor("slack", "U0ALICE").actor);
    // Linked accounts (the link command does this): the Discord identity joins Alice's account.
    const discordUserId = "1400000000000000077";
    await t.db.chatIdentity.create({
      data: { accountId: alice.accountId, platform: "discord", tenantId: "1200000000000000001", userId: discordUserId, lastSeenAt: new Date(0) },
    });
    const onDiscord = ctxFor("discord", discordUserId);
    expect((await run("following", onDiscord)).reply).toMatchObject({ items: [{ title: "Jonathan Frankle" }] });

    // Listed by the test clock, as ingest would stamp it: fan-out only sends works listed after the
    // follow began, and a default createdAt is the process clock, which CI moves to other dates.
    const work = await t.db.work.create({ data: { title: "A new paper", type: "article", openalexId: "W1", createdAt: now } });
    await t.db.authorship.create({ data: { workId: work.id, researcherId, position: 1 } });
    const fanOut = new FanOut(t.db);
    expect((await fanOut.fanOut([work.id], now)).instant).toEqual([{ id: expect.any(String), platform: "slack" }]);

    expect((await run("notify here", onDiscord)).reply).toMatchObject({ level: "success" });
    const second = await t.db.work.create({ data: { title: "Another new paper", type: "article", openalexId: "W2", createdAt: now } });
    await t.db.authorship.create({ data: { workId: second.id, researcherId, position: 1 } });
    expect((await fanOut.fanOut([second.id], now)).instant).toEqual([{ id: expect.any(String), platform: "discord" }]);
    // A second fan-out of the same work writes nothing.
    expect((await fanOut.fanOut([second.id], now)).created).toBe(0);
  });

  it("explains that the console cannot be notified", async () => {
    const consoleCtx = {
      actor: { platform: "console" as const, tenantId: "local", userId: "me" },
      permissions: { canManageChannel: true, isAdmin: true },
    };
    expect((await run("notify here", consoleCtx)).reply).toMatchObject({ level: "warning" });
  });
});
