// Where a console identity is a destination: only where a console messenger runs (the local
// shell's process). Someone with a Slack or Discord identity too keeps getting papers there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryService } from "../../../src/core/notifications/DeliveryService.js";
import { accountDestination } from "../../../src/core/notifications/destinations.js";
import { FanOut } from "../../../src/core/notifications/FanOut.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

let t: TestDatabase;
let researcherId: number;
let onlyConsole: number;
let alsoSlack: number;
const clock = testClock();
let works = 0;

async function account(name: string, identities: { platform: "slack" | "console"; tenantId: string; userId: string; lastSeenAt: Date }[]) {
  const created = await t.db.account.create({ data: { displayName: name, identities: { create: identities } } });
  await t.db.follow.create({ data: { accountId: created.id, researcherId } });
  return created.id;
}

async function newWork(): Promise<number> {
  works++;
  const work = await t.db.work.create({ data: { title: `Reach paper ${works}`, type: "article", openalexId: `W80000${works}` } });
  await t.db.authorship.create({ data: { workId: work.id, researcherId, position: 1 } });
  return work.id;
}

const platformOf = async (accountId: number, workId: number) => {
  const row = await t.db.notificationDelivery.findFirstOrThrow({ where: { accountId, workId } });
  return { status: row.status, lastError: row.lastError };
};

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId } = await seedDemo(t.db));
  const earlier = new Date(clock.now().getTime() - 86_400_000);
  onlyConsole = await account("carol", [{ platform: "console", tenantId: "local", userId: "carol", lastSeenAt: clock.now() }]);
  // Seen in the console after Slack: Slack still wins, as nobody said `notify here` in the console.
  alsoSlack = await account("dana", [
    { platform: "slack", tenantId: "T0TEST", userId: "U0DANA", lastSeenAt: earlier },
    { platform: "console", tenantId: "local", userId: "dana", lastSeenAt: clock.now() },
  ]);
});
afterAll(() => t.drop());

describe("console identities as destinations", () => {
  it("skips a console-only follower where no console messenger runs, and sends the rest to Slack", async () => {
    const workId = await newWork();
    const result = await new FanOut(t.db).fanOut([workId], clock.now());
    expect(result.instant.map((d) => d.platform)).toEqual(["slack"]);
    expect(await platformOf(onlyConsole, workId)).toEqual({ status: "skipped", lastError: "no Slack or Discord identity to notify" });
    expect(await accountDestination(t.db, onlyConsole, clock.now())).toEqual({ skip: "no Slack or Discord identity to notify" });
  });

  it("queues a console-only follower for the console where it runs, and keeps a Slack user on Slack", async () => {
    const workId = await newWork();
    const result = await new FanOut(t.db, { console: true }).fanOut([workId], clock.now());
    expect(result.instant.map((d) => d.platform).sort()).toEqual(["console", "slack"]);
    expect(await accountDestination(t.db, onlyConsole, clock.now(), { console: true })).toEqual({
      platform: "console",
      tenantId: "local",
      userId: "carol",
    });
    expect(await accountDestination(t.db, alsoSlack, clock.now(), { console: true })).toMatchObject({ platform: "slack", userId: "U0DANA" });

    const consoleDelivery = result.instant.find((d) => d.platform === "console")!;
    const claimed = await new DeliveryService(t.db, clock, undefined, { console: true }).claim(consoleDelivery.id);
    expect(claimed).toMatchObject({ kind: "send", destination: { platform: "console", userId: "carol" } });
    // Once claimed, a second claim (another worker, a rerun) waits for the lease instead of sending.
    expect(await new DeliveryService(t.db, clock, undefined, { console: true }).claim(consoleDelivery.id)).toMatchObject({ kind: "busy" });
  });

  it("follows `notify here` to the console identity when that is the chosen one", async () => {
    const consoleIdentity = await t.db.chatIdentity.findFirstOrThrow({ where: { accountId: alsoSlack, platform: "console" } });
    await t.db.account.update({ where: { id: alsoSlack }, data: { notifyIdentityId: consoleIdentity.id } });
    const workId = await newWork();
    expect((await new FanOut(t.db, { console: true }).fanOut([workId], clock.now())).instant.map((d) => d.platform)).toEqual(["console", "console"]);
    // Where the console cannot be reached, the chosen console identity gives way to Slack.
    expect(await accountDestination(t.db, alsoSlack, clock.now())).toMatchObject({ platform: "slack" });
  });
});
