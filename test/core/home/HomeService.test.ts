import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountService } from "../../../src/core/accounts/AccountService.js";
import type { Actor } from "../../../src/core/context.js";
import { HOME_SECTION_SIZE, HomeService, parseHomePage, parseHomePages } from "../../../src/core/home/HomeService.js";
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
    expect(h.sections.map((s) => s.title)).toEqual([
      "Your claims",
      "Invitations waiting for you (0)",
      "Researchers you follow (0)",
      "This week's notifications (0)",
      "Invitations you sent",
    ]);
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

    const [claims, forMe, follows, , sent] = (await home.load(ada, now)).sections;
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

  it("no longer lists an invitation that has expired: it waits for nobody", async () => {
    const [, forMe] = (await home.load(ada, new Date("2027-01-01T00:00:00Z"))).sections;
    expect(forMe!.title).toBe("Invitations waiting for you (0)");
    expect(forMe!.items).toEqual([]);
  });

  it("counts notifications sent in the 7 days before the injected clock, not before or after", async () => {
    const a = await accounts.resolve(ada);
    const works = await tdb.db.work.findMany({ take: 3, orderBy: { id: "asc" } });
    const sentAt = [6.9, 7.1, -0.5].map((days) => new Date(now.getTime() - days * 86_400_000));
    for (const [i, work] of works.entries()) {
      await tdb.db.notificationDelivery.create({
        data: { recipientKey: `account:${a.accountId}`, accountId: a.accountId, workId: work.id, status: "sent", sentAt: sentAt[i] },
      });
    }
    const [, , , week] = (await home.load(ada, now)).sections;
    expect(week!.title).toBe("This week's notifications (1)");
    expect(week!.items.map((x) => x.title)).toEqual([works[0]!.title]);
  });

  it("pages a section with More and Previous buttons carrying the section and page", async () => {
    const c = await accounts.resolve({ ...ada, userId: "U0PAGER" });
    const ids = await Promise.all(
      Array.from({ length: HOME_SECTION_SIZE + 1 }, (_, i) =>
        tdb.db.researcher.create({ data: { displayName: `Paged ${i}`, searchName: `paged ${i}` } }),
      ),
    );
    for (const [i, r] of ids.entries()) {
      await tdb.db.follow.create({ data: { accountId: c.accountId, researcherId: r.id, createdAt: new Date(now.getTime() - i * 1000) } });
    }
    const actor = { ...ada, userId: "U0PAGER" };
    const [, , first] = (await home.load(actor, now)).sections;
    expect(first!.items).toHaveLength(HOME_SECTION_SIZE);
    expect(first!.actions).toEqual([{ id: "home_page", label: "More", value: "following:2" }]);
    const [, , second] = (await home.load(actor, now, { following: 2 })).sections;
    expect(second!.items.map((x) => x.title)).toEqual([`Paged ${HOME_SECTION_SIZE}`]);
    expect(second!.footer).toBe("Page 2 of 2");
    expect(second!.actions).toEqual([{ id: "home_page", label: "Previous", value: "following:1" }]);
    expect(parseHomePage("following:2")).toEqual({ section: "following", page: 2 });
    expect([parseHomePage("team:2"), parseHomePage("following:0"), parseHomePage("following:x")]).toEqual([undefined, undefined, undefined]);
    // the value carries every section's page, so another section's buttons keep this one where it is
    const [, received, third] = (await home.load(actor, now, { following: 2, claims: 3 })).sections;
    expect(third!.actions).toEqual([{ id: "home_page", label: "Previous", value: "claims:3,following:1" }]);
    expect(received!.actions).toBeUndefined(); // one page of invitations: no buttons
  });

  it("reads a page value back, refusing unknown sections, repeats and too many pairs", () => {
    expect(parseHomePages("claims:3,following:1")).toEqual({ claims: 3, following: 1 });
    expect(parseHomePages("following:2")).toEqual({ following: 2 });
    for (const bad of ["", "following:2,following:3", "following:2,secrets:1", "following:2;claims:1", "claims:1,".repeat(7).slice(0, -1)])
      expect(parseHomePages(bad), bad).toBeUndefined();
  });
});
