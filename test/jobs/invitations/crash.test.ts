import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { deleteKeys } from "../../support/redis.js";
import { claimant, inChannel, person, researcher } from "../../core/invitations/fixtures.js";
import { type Harness, startHarness, waitUntil } from "./harness.js";

/** The dead worker's lease runs out after this long; then the restarted workers take it over. */
const LEASE_MS = 1_000;
let t: TestDatabase;
let h: Harness;

beforeAll(async () => {
  t = await createTestDatabase();
  h = await startHarness(t.db, { redisUrl: t.redisUrl, prefix: t.redisPrefix }, {}, { deliveryLeaseMs: LEASE_MS });
});
afterAll(async () => {
  await h.close();
  await t.drop();
});

function startCrashWorker(hangAfter: number) {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./crash-worker.ts", import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: t.redisUrl,
      REDIS_PREFIX: t.redisPrefix,
      SLACK_API_URL: h.slack.apiUrl,
      HANG_AFTER: String(hangAfter),
      LEASE_MS: String(LEASE_MS),
      TEST_CLOCK: h.clock.shared,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => out.includes(word) && resolve();
      child.stdout.on("data", (d: Buffer) => ((out += d.toString()), check()));
      child.on("exit", (code) => reject(new Error(`crash worker exited (${code}) before saying ${word}`)));
      check();
    });
  return { child, said };
}

it("delivers every invitation and intro request exactly once after the worker is killed mid-delivery and Redis loses its jobs", async () => {
  const alice = person("slack", "T0TEST", "UALICE", "Alice Adams");
  const aliceId = await h.core.accounts.resolve(alice);
  const target = await researcher(t.db, "Distant Target");
  const ids: string[] = [];
  // The 4th (the one in flight when the worker is killed) and the 7th are intro requests: they
  // travel as invitations, so they get the same once-only delivery.
  const intros = new Set([4, 7]);
  for (let i = 1; i <= 8; i++) {
    const who = await claimant(h.core, person("slack", "T0TEST", `UR${i}`, `Researcher ${i}`), `Researcher Number${i}`);
    if (intros.has(i)) {
      const path = {
        nodes: [
          { researcherId: who.researcherId, name: `Researcher Number${i}` },
          { researcherId: target, name: "Distant Target" },
        ],
        ties: [{ sharedWorks: 1, lastYear: 2024 }],
      };
      const sent = await h.core.invitations.send(aliceId, inChannel(alice), who.researcherId, `intro please ${i}`, {
        targetId: target,
        targetName: "Distant Target",
        path,
      });
      expect(sent.ok).toBe(true);
    } else await h.core.router.handleText(`invite Researcher Number${i}: hello ${i}`, inChannel(alice));
    ids.push((await t.db.invitation.findFirstOrThrow({ where: { researcherId: who.researcherId } })).id);
  }

  const worker = startCrashWorker(3);
  await worker.said("hung");
  // Three delivered; the fourth is mid-delivery: leased, not sent.
  expect(await t.db.invitation.count({ where: { status: "delivered" } })).toBe(3);
  expect(await t.db.invitation.count({ where: { status: "queued", deliveryLeaseUntil: { not: null } } })).toBe(1);
  worker.child.kill("SIGKILL");
  await new Promise((resolve) => worker.child.once("exit", resolve));
  // Redis loses its jobs (only this test's keys: other test files share the server).
  expect(await deleteKeys(t.redisUrl, t.redisPrefix)).toBeGreaterThan(0);
  expect(await h.producer.queue.getJob(ids[7]!)).toBeUndefined();

  // Postgres alone says what is owed: the restarted workers' reconciler re-enqueues the rest.
  await h.startWorkers();
  await waitUntil(async () => (await t.db.invitation.count({ where: { status: "delivered" } })) === 8, "every invitation delivered", 15_000);

  const dms = h.slack.callsTo("chat.postMessage");
  for (const id of ids) {
    expect(dms.filter((c) => JSON.stringify(c.args.blocks).includes(`"value":"${id}"`))).toHaveLength(1);
  }
  expect(dms).toHaveLength(8);
  const introDms = dms.filter((c) => JSON.stringify(c.args.blocks).includes("Distant Target"));
  expect(introDms.map((c) => JSON.stringify(c.args.blocks).match(/intro please (\d)/)?.[1])).toEqual(expect.arrayContaining(["4", "7"]));
  expect(introDms).toHaveLength(2);
  expect(await t.db.invitationDelivery.count()).toBe(8);
}, 90_000); // a second Node process has to start (a few seconds, more on a busy machine)
