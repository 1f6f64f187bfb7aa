import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountService } from "../../../src/core/accounts/AccountService.js";
import type { Actor } from "../../../src/core/context.js";
import { HomeService } from "../../../src/core/home/HomeService.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

describe("HomeService", () => {
  let tdb: TestDatabase;
  let home: HomeService;
  let accounts: AccountService;
  let researcherId: number;
  const ada: Actor = { platform: "slack", tenantId: "T1", userId: "U0ADA", displayName: "Ada" };
  const bob: Actor = { platform: "slack", tenantId: "T1", userId: "U0BOB", displayName: "Bob" };
  const now = new Date("2026-11-25T12:00:00Z");

  beforeAll(async () => {
    tdb = await createTestDatabase();
    ({ researcherId } = await seedDemo(tdb.db));
    accounts = new AccountService(tdb.db, { now: () => now });
    home = new HomeService(tdb.db, accounts);
  });
  afterAll(async () => tdb?.drop());

  it("greets a newcomer with empty sections that say what to do", async () => {
    const h = await home.load({ ...ada, userId: "U0NEW" }, now);
    expect(h.sections.map((s) => s.title)).toEqual(["Researchers you follow (0)", "Your claims", "Invitations for you", "Invitations you sent"]);
    expect(h.sections.every((s) => s.items.length === 0 && s.intro)).toBe(true);
  });

  it("lists follows, pending claims and invitations both ways, with buttons for open invitations", async () => {
    const a = await accounts.resolve(ada);
    const b = await accounts.resolve(bob);
    await tdb.db.follow.create({ data: { accountId: a.accountId, researcherId } });
    await tdb.db.claim.create({ data: { accountId: a.accountId, researcherId, method: "admin_review" } });
    const invitation = {
      researcherId,
      message: "Shall we write together?",
      originPlatform: "slack" as const,
      originTenantId: "T1",
      originChannelId: "C1",
      expiresAt: new Date("2026-12-01T00:00:00Z"),
    };
    const received = await tdb.db.invitation.create({
      data: { ...invitation, senderAccountId: b.accountId, senderIdentityId: b.identityId, recipientAccountId: a.accountId, status: "delivered" },
    });
    await tdb.db.invitation.create({
      data: { ...invitation, senderAccountId: a.accountId, senderIdentityId: a.identityId, recipientAccountId: b.accountId },
    });

    const [follows, claims, forMe, sent] = (await home.load(ada, now)).sections;
    expect(follows!.title).toBe("Researchers you follow (1)");
    expect(follows!.items[0]).toMatchObject({ title: "Jonathan Frankle", actions: [{ id: "unfollow", value: String(researcherId) }] });
    expect(claims!.items[0]).toMatchObject({ title: "Jonathan Frankle", meta: expect.stringContaining("waiting for review") });
    expect(forMe!.items[0]).toMatchObject({ title: "From Bob", text: "Shall we write together?" });
    expect(forMe!.items[0]!.actions!.map((x) => [x.id, x.value])).toEqual([
      ["accept_invite", received.id],
      ["decline_invite", received.id],
    ]);
    expect(sent!.items[0]).toMatchObject({ title: "To Jonathan Frankle", meta: expect.stringContaining("queued") });
  });

  it("offers no buttons for an invitation that has expired", async () => {
    const [, , forMe] = (await home.load(ada, new Date("2027-01-01T00:00:00Z"))).sections;
    expect(forMe!.items[0]!.actions).toEqual([]);
    expect(forMe!.items[0]!.meta).toMatch(/^expired/);
  });
});
