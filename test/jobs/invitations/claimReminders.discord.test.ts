// The daily claim-review reminder on Discord: the real scheduler and worker, the real Discord
// messenger against the gateway/REST stand-in, the clock advanced a day at a time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseButtonCustomId } from "../../../src/adapters/discord/customIds.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { person, researcher } from "../../core/invitations/fixtures.js";
import { type Harness, startHarness } from "./harness.js";

const DAY = 24 * 3600 * 1000;

let t: TestDatabase;
let h: Harness;

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startHarness(
    t.db,
    { redisUrl: t.redisUrl, prefix: t.redisPrefix },
    {},
    { reviewChannel: (discord) => ({ platform: "discord", tenantId: discord.guildId, channelId: discord.channelId }) },
  );
  await h.startWorkers({ remindEveryMs: 100 });
});
afterAll(async () => {
  await h.close();
  await t.drop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const severalTicks = () => pause(600);

describe("claim review reminders on Discord", () => {
  it("posts the open claim to the review channel again each day, with Approve / Reject, until it is rejected", async () => {
    const ivy = person("discord", h.discord.guildId, "1400000000000000031", "Ivy Ito");
    const me = await h.core.accounts.resolve(ivy);
    const researcherId = await researcher(t.db, "Irène Joliot-Curie");
    const started = await h.core.claims.start({ ...me, displayName: "Ivy Ito", platform: "discord", userId: ivy.userId }, researcherId);
    expect(started).toMatchObject({ kind: "review", posted: true });
    const claimId = (started as { claimId: number }).claimId;
    const reminders = () =>
      h.discord.calls.filter(
        (c) =>
          c.method === "POST" &&
          c.path === `/channels/${h.discord.channelId}/messages` &&
          JSON.stringify(c.body).includes(`Reminder: Claim request #${claimId}`),
      );

    await severalTicks();
    expect(reminders()).toHaveLength(0);

    h.clock.advance(DAY + 3600 * 1000);
    const first = await h.discord.waitForCall((c) => reminders().includes(c));
    const buttons = (first.body.components as any[]).flatMap((row) => row.components).map((b: any) => parseButtonCustomId(b.custom_id));
    expect(buttons).toEqual([
      { actionId: "approve_claim", value: String(claimId) },
      { actionId: "reject_claim", value: String(claimId) },
    ]);
    await severalTicks();
    expect(reminders()).toHaveLength(1);

    h.clock.advance(DAY);
    await h.discord.waitForCall(() => reminders().length === 2);
    await severalTicks();
    expect(reminders()).toHaveLength(2);

    const admin = person("discord", h.discord.guildId, "1400000000000000032", "Abe Admin");
    const decided = await h.core.claims.decide(
      await h.core.accounts.resolve(admin),
      { actor: admin, channelId: h.discord.channelId, permissions: { canManageChannel: true, isAdmin: true } },
      claimId,
      "reject",
    );
    expect(decided.kind).toBe("rejected");

    h.clock.advance(DAY);
    await severalTicks();
    expect(reminders()).toHaveLength(2);
    expect(await t.db.reminder.count({ where: { kind: "claim_review", subject: String(claimId) } })).toBe(2);
  });
});
