// Linking a Slack and a Discord identity into one account with one-time codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/ConsoleAdapter.js";
import type { CommandContext } from "../../../src/core/context.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

let t: TestDatabase;
let core: Core;
let frankle: number;
let carbin: number;
let slackAccountOfAda: number;
let now = new Date("2026-11-25T03:00:00Z");
const errors: unknown[] = [];

const ctx = (platform: "slack" | "discord" | "console", tenantId: string, userId: string, displayName: string): CommandContext => ({
  actor: { platform, tenantId, userId, displayName },
  channelId: "C1",
  permissions: { canManageChannel: false, isAdmin: false },
});
const adaSlack = ctx("slack", "T1", "U1", "Ada");
const adaDiscord = ctx("discord", "G1", "D1", "ada#1");
const eve = ctx("discord", "G1", "D666", "eve");

const as = (c: CommandContext) => new ConsoleAdapter(core, c);
const codeIn = (out: string) => /link code is ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(out)?.[1] ?? "";
const accountOf = async (c: CommandContext) => (await core.accounts.resolve(c.actor)).accountId;
const advance = (minutes: number) => void (now = new Date(now.getTime() + minutes * 60_000));

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId: frankle } = await seedDemo(t.db));
  carbin = (await t.db.researcher.findFirstOrThrow({ where: { displayName: "Michael Carbin" } })).id;
  core = createCore({ db: t.db, log: { error: (d) => errors.push(d) }, clock: { now: () => now }, claims: { signingSecret: "test-secret" } });
});

afterAll(async () => {
  await t?.drop();
});

describe("linking accounts across platforms", () => {
  it("joins the identities and merges follows, watches and claims into the account that issued the code", async () => {
    const slackAccount = await accountOf(adaSlack);
    slackAccountOfAda = slackAccount;
    const discordAccount = await accountOf(adaDiscord);
    await core.follows.follow(slackAccount, frankle);
    await core.follows.follow(discordAccount, frankle);
    await core.follows.follow(discordAccount, carbin);
    await t.db.claimWatch.create({ data: { accountId: discordAccount, researcherId: carbin } });
    await t.db.researcher.update({ where: { id: carbin }, data: { claimedByAccountId: discordAccount } });

    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await as(adaDiscord).answer(`/researcher link ${code.toLowerCase()}`)).toContain("Linked");

    expect(await accountOf(adaDiscord)).toBe(slackAccount);
    expect(await t.db.account.findUnique({ where: { id: discordAccount } })).toBeNull();
    expect((await t.db.follow.findMany({ where: { accountId: slackAccount } })).map((f) => f.researcherId).sort()).toEqual([frankle, carbin].sort());
    expect(await t.db.claimWatch.count({ where: { accountId: slackAccount } })).toBe(1);
    expect(await core.claims.claimantOf(carbin)).toBe(slackAccount);
    expect(await as(adaDiscord).answer("/researcher following")).toContain("You follow 2 researchers");

    const merged = await t.db.auditLog.findFirstOrThrow({ where: { action: "link.accounts_merged" } });
    expect(merged).toMatchObject({ subjectId: String(slackAccount), details: expect.objectContaining({ mergedAccountId: discordAccount }) });
  });

  it("keeps one pending invitation when both identities had invited the same researcher", async () => {
    const [p, q] = [ctx("slack", "T7", "U7", "pat"), ctx("discord", "G7", "D7", "pat#7")];
    const [pid, qid] = [await core.accounts.resolve(p.actor), await core.accounts.resolve(q.actor)];
    const invite = (me: { accountId: number; identityId: number }) => ({
      senderAccountId: me.accountId,
      senderIdentityId: me.identityId,
      researcherId: carbin,
      recipientAccountId: slackAccountOfAda,
      message: "Shall we write a paper together?",
      originPlatform: "slack" as const,
      originTenantId: "T7",
      originChannelId: "C7",
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    await t.db.invitation.createMany({ data: [invite(pid), invite(qid)] });

    const code = codeIn(await as(p).answer("/researcher link"));
    expect(await as(q).answer(`/researcher link ${code}`)).toContain("Linked");
    const rows = await t.db.invitation.findMany({ where: { senderAccountId: pid.accountId } });
    expect(rows.map((r) => r.status).sort()).toEqual(["expired", "queued"]);
  });

  it("stores codes only as a hash", async () => {
    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    const rows = await t.db.linkCode.findMany();
    for (const r of rows) {
      expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.codeHash).not.toContain(code.replace("-", ""));
    }
  });

  it("cannot reuse a code", async () => {
    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    const bob = ctx("console", "local", "bob", "bob");
    expect(await as(bob).answer(`/researcher link ${code}`)).toContain("Linked");
    expect(await as(eve).answer(`/researcher link ${code}`)).toContain("isn't valid");
    expect(await accountOf(eve)).not.toBe(await accountOf(adaSlack));
  });

  it("lets exactly one of two simultaneous redemptions of a code succeed", async () => {
    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    const [p, q] = [ctx("discord", "G2", "P1", "p"), ctx("discord", "G2", "Q1", "q")];
    await Promise.all([accountOf(p), accountOf(q)]);
    const outs = await Promise.all([as(p).answer(`/researcher link ${code}`), as(q).answer(`/researcher link ${code}`)]);
    expect(outs.filter((o) => o.includes("Linked"))).toHaveLength(1);
    expect(outs.filter((o) => o.includes("isn't valid"))).toHaveLength(1);
  });

  it("expires codes after ten minutes", async () => {
    advance(61); // a fresh hour for the code limit
    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    advance(11);
    expect(await as(eve).answer(`/researcher link ${code}`)).toContain("isn't valid");
    expect(await accountOf(eve)).not.toBe(await accountOf(adaSlack));
  });

  it("says so when the identity already belongs to the code's account", async () => {
    const code = codeIn(await as(adaSlack).answer("/researcher link"));
    expect(await as(adaDiscord).answer(`/researcher link ${code}`)).toContain("already part of that account");
  });

  it("issues at most five codes per account per hour", async () => {
    advance(61);
    for (let i = 0; i < 5; i++) expect(codeIn(await as(adaSlack).answer("/researcher link"))).not.toBe("");
    expect(await as(adaDiscord).answer("/researcher link")).toContain("Try again after");
    advance(61);
    expect(codeIn(await as(adaDiscord).answer("/researcher link"))).not.toBe("");
  });

  it("holds the limit when many codes are asked for at the same moment", async () => {
    advance(61);
    const answers = await Promise.all(Array.from({ length: 8 }, () => as(adaSlack).answer("/researcher link")));
    expect(answers.filter((a) => codeIn(a) !== "")).toHaveLength(5);
    expect(answers.filter((a) => a.includes("Try again after"))).toHaveLength(3);
  });

  it("locks redemption for an identity after five failed attempts, even for a good code", async () => {
    advance(61);
    const mallory = ctx("slack", "T1", "U99", "mallory");
    for (const guess of ["AAAA-AAAA", "BBBB-BBBB", "not a code", "CCCC-CCCC", "DDDD-DDDD"]) {
      expect(await as(mallory).answer(`/researcher link ${guess}`)).toContain("isn't valid");
    }
    const good = codeIn(await as(adaSlack).answer("/researcher link"));
    expect(await as(mallory).answer(`/researcher link ${good}`)).toContain("Too many wrong codes");
    expect(await accountOf(mallory)).not.toBe(await accountOf(adaSlack));
    expect(await t.db.auditLog.count({ where: { action: "link.redeem_failed" } })).toBeGreaterThanOrEqual(5);
    expect(errors).toEqual([]);
  });
});
