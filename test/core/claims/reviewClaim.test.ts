// Claims verified by admin review, disputes, release and revoke, through the console adapter; the
// review channel and DMs go through a recording Messenger (the platform port).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import type { CommandContext } from "../../../src/core/context.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import type { Destination, Messenger } from "../../../src/core/ports.js";
import type { Card, Reply } from "../../../src/core/reply.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { testClock } from "../../support/clock.js";

let t: TestDatabase;
let core: Core;
let researcherId: number;
const sent: Array<{ to: Destination; reply: Reply }> = [];
const recorder: Messenger = { send: async (to, reply) => (sent.push({ to, reply }), { messageRef: `m${sent.length}` }) };
const errors: unknown[] = [];

const REVIEW = { platform: "console", tenantId: "local", channelId: "reviews" } as const;
const member = (name: string): CommandContext => ({ ...consoleContext(name), permissions: { canManageChannel: false, isAdmin: false } });
const as = (ctx: CommandContext) => new ConsoleAdapter(core, ctx);
const admin = () => as(consoleContext("alice"));
const accountOf = async (name: string) => (await core.accounts.resolve(consoleContext(name).actor)).accountId;
const researcher = () => t.db.researcher.findUniqueOrThrow({ where: { id: researcherId } });
const reviewCards = () => sent.filter((s) => s.to.channelId === REVIEW.channelId).map((s) => s.reply as Card);
const dmsTo = (userId: string) => sent.filter((s) => s.to.userId === userId).map((s) => (s.reply.kind === "notice" ? s.reply.text : ""));

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId } = await seedDemo(t.db));
  core = createCore({
    clock: testClock(),
    db: t.db,
    log: { error: (details) => errors.push(details) },
    messengers: { console: recorder },
    claims: { verification: "review", reviewChannel: REVIEW },
  });
});

afterAll(async () => {
  await t?.drop();
});

describe("claiming by admin review", () => {
  let bobsClaim: number;

  it("posts a claim started with the card's Claim button to the review channel with Approve / Reject", async () => {
    const bob = as(member("bob"));
    const card = await bob.answer("/researcher Jonathan Frankle");
    const n = /\[(\d+)\] Claim this profile/.exec(card)![1]!;
    expect(await bob.answer(n)).toMatch(/sent to the reviewers \(claim #\d+\)/);

    const [review] = reviewCards();
    expect(review!.title).toMatch(/^Claim request #\d+: Jonathan Frankle$/);
    bobsClaim = Number(review!.actions[0]!.value);
    expect(review!.actions.map((a) => [a.id, a.value])).toEqual([
      ["approve_claim", String(bobsClaim)],
      ["reject_claim", String(bobsClaim)],
    ]);
    expect(await t.db.claim.findUniqueOrThrow({ where: { id: bobsClaim } })).toMatchObject({ status: "pending", method: "admin_review" });
    expect(await bob.answer("/researcher claim Jonathan Frankle")).toContain("waiting for review");
    expect(reviewCards()).toHaveLength(1);
  });

  it("refuses a non-admin's Approve and changes nothing", async () => {
    const reply = await core.router.handleAction("approve_claim", String(bobsClaim), member("carol"));
    expect(reply.reply).toMatchObject({ kind: "notice", level: "error", text: expect.stringContaining("Only admins") });
    expect(await t.db.claim.findUniqueOrThrow({ where: { id: bobsClaim } })).toMatchObject({ status: "pending", decidedAt: null });
    expect(await researcher()).toMatchObject({ claimedByAccountId: null, verificationLevel: 1 });
  });

  it("refuses an admin of another workspace", async () => {
    const elsewhere: CommandContext = {
      actor: { platform: "slack", tenantId: "T999", userId: "U1" },
      permissions: { canManageChannel: true, isAdmin: true },
    };
    expect((await core.router.handleAction("approve_claim", String(bobsClaim), elsewhere)).reply).toMatchObject({ level: "error" });
    expect(await researcher()).toMatchObject({ claimedByAccountId: null });
  });

  it("refuses self-approval", async () => {
    const alice = admin();
    expect(await alice.answer("/researcher claim Michael Carbin")).toContain("sent to the reviewers");
    const own = reviewCards().at(-1)!;
    expect(await alice.answer(`/researcher approve ${own.actions[0]!.value}`)).toContain("can't decide your own claim");
    expect(await t.db.claim.findUniqueOrThrow({ where: { id: Number(own.actions[0]!.value) } })).toMatchObject({ status: "pending" });
  });

  it("approves: the claimant becomes the one verified claimant (L2), is told, and watchers hear about it", async () => {
    const erin = await accountOf("erin");
    await t.db.claimWatch.create({ data: { accountId: erin, researcherId } });
    const before = (await core.profiles.load(researcherId))!.trust.score;

    const reply = await core.router.handleAction("approve_claim", String(bobsClaim), consoleContext("alice"));
    expect(reply.reply).toMatchObject({ level: "success" });

    expect(await researcher()).toMatchObject({ claimedByAccountId: await accountOf("bob"), verificationLevel: 2 });
    expect((await core.profiles.load(researcherId))!.trust.score).toBeGreaterThan(before);
    expect(await t.db.claim.findUniqueOrThrow({ where: { id: bobsClaim } })).toMatchObject({ status: "verified", method: "admin_review" });
    expect(dmsTo("bob").at(-1)).toContain("Your claim on Jonathan Frankle is verified");
    expect(dmsTo("erin").at(-1)).toContain("Jonathan Frankle has claimed their Peerlink profile");
    expect(await t.db.claimWatch.count({ where: { researcherId } })).toBe(0);
    expect(await as(member("carol")).answer("/researcher Jonathan Frankle")).toContain("Claimed by bob");

    // A second press of the same button decides nothing new.
    expect((await core.router.handleAction("approve_claim", String(bobsClaim), consoleContext("alice"))).reply).toMatchObject({
      text: expect.stringContaining("already decided"),
    });
  });

  it("turns a second claimant's claim into a dispute for the reviewers, not a takeover", async () => {
    expect(await as(member("erin")).answer("/researcher claim Jonathan Frankle")).toContain("recorded as a dispute");
    const dispute = reviewCards().at(-1)!;
    expect(dispute.title).toMatch(/^Disputed claim #\d+: Jonathan Frankle$/);
    const disputeId = Number(dispute.actions[0]!.value);
    expect(await t.db.claim.findUniqueOrThrow({ where: { id: disputeId } })).toMatchObject({ status: "disputed" });
    expect(await researcher()).toMatchObject({ claimedByAccountId: await accountOf("bob") });

    // Approving the dispute while bob holds the record changes nothing either.
    expect(await admin().answer(`/researcher approve ${disputeId}`)).toContain("Revoke that claim first");
    expect(await researcher()).toMatchObject({ claimedByAccountId: await accountOf("bob") });

    // Revoke, then approve: the reviewers settle it.
    expect(await as(member("erin")).answer("/researcher revoke Jonathan Frankle")).toContain("Only admins");
    expect(await admin().answer("/researcher revoke Jonathan Frankle")).toContain("Revoked the claim");
    expect(await researcher()).toMatchObject({ claimedByAccountId: null, verificationLevel: 1 });
    expect(dmsTo("bob").at(-1)).toContain("An admin revoked your claim");
    expect(await admin().answer(`/researcher approve ${disputeId}`)).toContain("Approved claim");
    expect(await researcher()).toMatchObject({ claimedByAccountId: await accountOf("erin"), verificationLevel: 2 });
  });

  it("lets institution verification (L3) be granted only by reviewers, on a claimed record", async () => {
    expect(await as(member("erin")).answer("/researcher verify Jonathan Frankle")).toContain("Only admins");
    expect(await admin().answer("/researcher verify Jonathan Frankle")).toContain("verified by institution (L3)");
    expect(await as(member("carol")).answer("/researcher Jonathan Frankle")).toContain("L3 · verified by institution");
  });

  it("lets the claimant release the claim; others cannot", async () => {
    expect(await as(member("bob")).answer("/researcher release Jonathan Frankle")).toContain("claimed by someone else");
    expect(await as(member("erin")).answer("/researcher release Jonathan Frankle")).toContain("You released your claim");
    expect(await researcher()).toMatchObject({ claimedByAccountId: null, claimedAt: null, verificationLevel: 1 });
    expect(await as(member("carol")).answer("/researcher Jonathan Frankle")).toContain("Unclaimed author");
  });

  it("rejects: the claimant is told and the record stays as it was", async () => {
    await as(member("dave")).answer("/researcher claim Jonathan Frankle");
    const id = reviewCards().at(-1)!.actions[1]!.value;
    expect((await core.router.handleAction("reject_claim", id, consoleContext("alice"))).reply).toMatchObject({ level: "info" });
    expect(dmsTo("dave").at(-1)).toContain("was not approved");
    expect(await researcher()).toMatchObject({ claimedByAccountId: null });
  });

  it("lets only one of two simultaneous approvals win; the other claim becomes a dispute", async () => {
    await as(member("frank")).answer("/researcher claim Jonathan Frankle");
    await as(member("gina")).answer("/researcher claim Jonathan Frankle");
    const [a, b] = reviewCards()
      .slice(-2)
      .map((c) => c.actions[0]!.value);
    const replies = await Promise.all([
      core.router.handleAction("approve_claim", a!, consoleContext("alice")),
      core.router.handleAction("approve_claim", b!, consoleContext("alice")),
    ]);
    expect(replies.map((r) => (r.reply.kind === "notice" ? r.reply.level : "")).sort()).toEqual(["success", "warning"]);
    // The loser is refused either before its transaction (record already held: still pending) or by
    // the conditional update inside it (turned into a dispute); never a second verified claimant.
    const claims = await t.db.claim.findMany({ where: { id: { in: [Number(a), Number(b)] } } });
    expect(claims.filter((c) => c.status === "verified")).toHaveLength(1);
    expect(claims.filter((c) => c.status !== "verified").map((c) => c.status)).toEqual([expect.stringMatching(/^(pending|disputed)$/)]);
    const winner = claims.find((c) => c.status === "verified")!;
    expect(await researcher()).toMatchObject({ claimedByAccountId: winner.accountId, verificationLevel: 2 });
    await admin().answer("/researcher revoke Jonathan Frankle");
  });

  it("treats a tampered button value as stale", async () => {
    expect((await core.router.handleAction("approve_claim", "1; DROP TABLE claim", consoleContext("alice"))).reply).toMatchObject({ level: "error" });
    expect((await core.router.handleAction("claim", "-3", consoleContext("alice"))).reply).toMatchObject({ level: "error" });
  });

  it("has every claim event in the audit log: who, what, when and how", async () => {
    const history = await core.audit.history("claim", bobsClaim);
    expect(history.map((h) => h.action)).toEqual([
      "claim.started",
      "claim.review_requested",
      "claim.review_refused",
      "claim.review_refused",
      "claim.verified",
      "claim.revoked",
    ]);
    const verified = history.find((h) => h.action === "claim.verified")!;
    expect(verified.actorAccountId).toBe(await accountOf("alice"));
    expect(verified.details).toMatchObject({ method: "admin_review", evidence: "approved by alice", claimantAccountId: await accountOf("bob") });
    const refusals = await t.db.auditLog.findMany({ where: { action: "claim.review_refused" } });
    expect(refusals.map((r) => (r.details as { reason: string }).reason)).toEqual(["not_reviewer", "not_reviewer", "self_approval"]);
    const all = (await t.db.auditLog.findMany()).map((a) => a.action);
    for (const action of ["claim.disputed", "claim.rejected", "claim.released", "claim.revoke_refused", "verification.institution_granted"]) {
      expect(all).toContain(action);
    }
    expect(errors).toEqual([]);
  });
});
