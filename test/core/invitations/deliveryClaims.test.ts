// The delivery lease: what keeps two attempts (two workers, a retry and a stalled job, a reconciler
// re-enqueue) from sending the same invitation twice, without holding a transaction during the send.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../../src/core/Core.js";
import { DeliveryBusyError } from "../../../src/core/invitations/InvitationDeliverer.js";
import type { Destination, Messenger } from "../../../src/core/ports.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { claimant, inChannel, person, silentLog } from "./fixtures.js";
import { testClock } from "../../support/clock.js";
import { waitUntil } from "../../jobs/invitations/harness.js";

const LEASE_MS = 400;
const sent: Destination[] = [];
let failNext = 0;
let slow: Promise<void> | undefined;
const slack: Messenger = {
  async send(to) {
    if (failNext > 0) {
      failNext--;
      throw new Error("internal_error");
    }
    await slow;
    sent.push(to);
    return { messageRef: `m${sent.length}` };
  },
};

const discordSent: Destination[] = [];
let discordFailNext = 0;
const discord: Messenger = {
  async send(to) {
    if (discordFailNext > 0) {
      discordFailNext--;
      throw new Error("discord is down");
    }
    discordSent.push(to);
    return { messageRef: `d${discordSent.length}` };
  },
};

let t: TestDatabase;
let core: Core;
// Frozen: a lease runs out only when a spec moves the clock, never because the machine was slow.
const clock = testClock(undefined, { frozen: true });
const alice = person("slack", "T1", "UALICE", "Alice Adams");
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  // Invitations stay queued until a spec delivers them itself.
  core = createCore({
    clock,
    db: t.db,
    log: silentLog,
    messengers: { slack, discord },
    invitations: { queue: { enqueueDelivery: async () => {} }, policy: { dailyLimit: 100 }, deliveryLeaseMs: LEASE_MS },
  });
});
afterAll(() => t.drop());
beforeEach(() => {
  sent.length = 0;
  discordSent.length = 0;
  failNext = 0;
  discordFailNext = 0;
  slow = undefined;
});

/** A queued invitation to a fresh claimant, and that claimant's chat identity id. */
async function queuedInvitation() {
  const k = ++n;
  const who = await claimant(core, person("slack", "T1", `UR${k}`, `Recipient ${k}`), `Recipient Number${k}`);
  const reply = await core.router.handleText(`invite Recipient Number${k}: hello`, inChannel(alice));
  expect(reply.reply, JSON.stringify(reply.reply)).toMatchObject({ kind: "notice", level: "success" });
  const inv = await t.db.invitation.findFirstOrThrow({ where: { researcherId: who.researcherId } });
  expect(inv.status).toBe("queued");
  return { id: inv.id, identityId: who.identityId };
}

/** What Postgres says of an invitation's delivery: DMs on record, status, and whether a lease is held. */
async function ledger(id: string) {
  const { status, deliveryLeaseUntil } = await t.db.invitation.findUniqueOrThrow({ where: { id } });
  return { recorded: await t.db.invitationDelivery.count({ where: { invitationId: id } }), status, leased: deliveryLeaseUntil !== null };
}

describe("delivery claims", () => {
  it("sends once however many attempts run at the same time", async () => {
    const inv = await queuedInvitation();
    let release!: () => void;
    slow = new Promise((r) => (release = r));
    let answered = 0;
    const attempts = Array.from({ length: 5 }, () =>
      core.invitationDeliverer
        .deliver(inv.id)
        .catch((e: unknown) => e)
        .finally(() => answered++),
    );
    // The four that lost the race answer while the winner's send is still held open.
    await waitUntil(async () => answered === 4, "four attempts turned away");
    release();
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === "delivered")).toHaveLength(1);
    // The others found the claim: still being sent (come back later) or, if they looked after, sent.
    for (const o of outcomes.filter((o) => o !== "delivered")) {
      expect(o instanceof DeliveryBusyError || o === "already_delivered", String(o)).toBe(true);
    }
    expect(sent).toHaveLength(1);
    // Asked while the record may still be on its way, another attempt finds the lease or the record.
    const early = await core.invitationDeliverer.deliver(inv.id).catch((e: unknown) => e);
    expect(early instanceof DeliveryBusyError || early === "already_delivered", String(early)).toBe(true);
    expect(sent).toHaveLength(1);
    await core.invitationDeliverer.settled();
    // Delivered, and the lease given back with the record.
    expect(await ledger(inv.id)).toEqual({ recorded: 1, status: "delivered", leased: false });
    // Asking again later sends nothing.
    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("already_delivered");
    expect(sent).toHaveLength(1);
  });

  it("leaves another worker's lease alone until it runs out, then takes it over", async () => {
    const inv = await queuedInvitation();
    // What a worker that died mid-send leaves behind: a lease, no sent DM.
    await t.db.invitation.update({ where: { id: inv.id }, data: { deliveryLeaseUntil: new Date(core.clock.now().getTime() + LEASE_MS) } });
    const busy = await core.invitationDeliverer.deliver(inv.id).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(DeliveryBusyError);
    const wait = (busy as DeliveryBusyError).retryAt.getTime() - core.clock.now().getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(LEASE_MS);
    expect(sent).toHaveLength(0);

    clock.advance(wait + 50);
    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("delivered");
    expect(sent).toHaveLength(1);
  });

  it("gives the lease back when the send fails, so the retry need not wait for it", async () => {
    const inv = await queuedInvitation();
    failNext = 1;
    await expect(core.invitationDeliverer.deliver(inv.id)).rejects.toThrow("internal_error");
    expect(await ledger(inv.id)).toEqual({ recorded: 0, status: "queued", leased: false });
    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("delivered");
    expect(sent).toHaveLength(1);
  });

  it("after a partial failure across platforms, sends only the DM still owed", async () => {
    const inv = await queuedInvitation();
    const { accountId } = await t.db.chatIdentity.findUniqueOrThrow({ where: { id: inv.identityId } });
    await t.db.chatIdentity.create({
      data: { accountId, platform: "discord", tenantId: "G1", userId: `D${inv.identityId}`, displayName: "Recipient" },
    });
    discordFailNext = 1;
    await expect(core.invitationDeliverer.deliver(inv.id)).rejects.toThrow("discord is down");
    expect(sent).toHaveLength(1);
    await core.invitationDeliverer.settled();
    // Slack's DM is on record and the invitation is delivered; the lease is back for the retry.
    expect(await ledger(inv.id)).toEqual({ recorded: 1, status: "delivered", leased: false });

    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("delivered");
    expect(sent).toHaveLength(1);
    expect(discordSent.map((d) => d.userId)).toEqual([`D${inv.identityId}`]);
    await core.invitationDeliverer.settled();
    expect(await ledger(inv.id)).toEqual({ recorded: 2, status: "delivered", leased: false });
    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("already_delivered");
    expect(sent.length + discordSent.length).toBe(2);
  });

  it("keeps trying to record a sent DM when the database refuses it, so it is not sent again", async () => {
    const inv = await queuedInvitation();
    // A real database error, once: the first insert into invitation_delivery fails.
    await t.db.$executeRawUnsafe(`CREATE SEQUENCE hiccup`);
    await t.db.$executeRawUnsafe(`
      CREATE FUNCTION hiccup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('hiccup') = 1 THEN RAISE EXCEPTION 'database hiccup'; END IF; RETURN NEW; END $$`);
    await t.db.$executeRawUnsafe(`CREATE TRIGGER hiccup BEFORE INSERT ON invitation_delivery FOR EACH ROW EXECUTE FUNCTION hiccup()`);
    try {
      expect(await core.invitationDeliverer.deliver(inv.id)).toBe("delivered");
      await core.invitationDeliverer.settled();
      expect(await t.db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT last_value AS n FROM hiccup`)).toEqual([{ n: 2n }]);
      expect(await ledger(inv.id)).toEqual({ recorded: 1, status: "delivered", leased: false });
      expect(await core.invitationDeliverer.deliver(inv.id)).toBe("already_delivered");
      expect(sent).toHaveLength(1);
    } finally {
      await t.db.$executeRawUnsafe(`DROP TRIGGER hiccup ON invitation_delivery`);
      await t.db.$executeRawUnsafe(`DROP FUNCTION hiccup`);
      await t.db.$executeRawUnsafe(`DROP SEQUENCE hiccup`);
    }
  });

  it("does not send an invitation that was answered or closed after it was read", async () => {
    const inv = await queuedInvitation();
    await t.db.invitation.update({ where: { id: inv.id }, data: { status: "expired" } });
    expect(await core.invitationDeliverer.deliver(inv.id)).toBe("not_pending");
    expect(sent).toHaveLength(0);
    expect(await t.db.invitationDelivery.count({ where: { invitationId: inv.id } })).toBe(0);
  });

  it("shares statements between concurrent deliveries and still delivers each one exactly once", async () => {
    const invs = await Promise.all(Array.from({ length: 12 }, () => queuedInvitation()));
    const outcomes = await Promise.all(invs.map((i) => core.invitationDeliverer.deliver(i.id)));
    expect(outcomes).toEqual(invs.map(() => "delivered"));
    await core.invitationDeliverer.settled();
    expect(sent.map((d) => d.userId).sort()).toEqual(
      (await t.db.chatIdentity.findMany({ where: { id: { in: invs.map((i) => i.identityId) } } })).map((c) => c.userId).sort(),
    );
    const rows = await t.db.invitationDelivery.findMany({ where: { invitationId: { in: invs.map((i) => i.id) } } });
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.messageRef)).toBe(true);
    expect(await t.db.invitation.count({ where: { id: { in: invs.map((i) => i.id) }, status: "delivered", deliveryLeaseUntil: null } })).toBe(12);
    const audited = await t.db.auditLog.count({ where: { action: "invitation.delivered", subjectId: { in: invs.map((i) => i.id) } } });
    expect(audited).toBe(12);
  });
});
