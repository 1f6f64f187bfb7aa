// A card shown while its import runs in a BullMQ job is edited in place once the job is done:
// the real discord.js client on the gateway stand-in, the real import producer and worker, real Redis.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDiscord, type RunningDiscord } from "../../../src/adapters/discord/startDiscord.js";
import { loadConfig } from "../../../src/config.js";
import { type Core, createCore } from "../../../src/core/Core.js";
import { ImportProducer } from "../../../src/jobs/import/producer.js";
import { startImportWorker } from "../../../src/jobs/import/worker.js";
import { createLogger } from "../../../src/logger.js";
import type { Service } from "../../../src/Service.js";
import { seedDemo } from "../../../src/sources/demo/seedDemo.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";
import { DiscordStub } from "../../support/discord-stub.js";
import { gatedImports, liveLookupFor } from "../../support/liveLookup.js";
import { QUILLFEATHER, startOpenAlexStub, type OpenAlexStub } from "../../support/openalex-stub.js";

let stub: DiscordStub;
let openalex: OpenAlexStub;
let tdb: TestDatabase;
let core: Core;
let discord: RunningDiscord;
let producer: ImportProducer;
let worker: Service;

beforeAll(async () => {
  [stub, openalex, tdb] = await Promise.all([DiscordStub.start({ heartbeatIntervalMs: 300 }), startOpenAlexStub(), createTestDatabase()]);
  await seedDemo(tdb.db);
  const logger = createLogger(process.env.TEST_LOG ?? "silent");
  core = createCore({ clock: testClock(), db: tdb.db, log: logger });
  const queue = { redisUrl: tdb.redisUrl, prefix: tdb.redisPrefix };
  producer = new ImportProducer(queue);
  worker = await startImportWorker({ core, queue, logger });
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: tdb.url, ...stub.env });
  discord = await startDiscord({ core, config, logger });
});
afterAll(async () => {
  await discord?.stop();
  await worker?.stop();
  await producer?.close();
  await stub?.close();
  await openalex?.close();
  await tdb?.drop();
});

/** Imports enqueued from now on wait for `release()`. */
function holdImports() {
  const gated = gatedImports(producer);
  core.live = liveLookupFor(core, openalex.url, { queue: gated.queue }).live;
  return gated;
}

/** The embed the user sees first: in the callback, or in the edit that completes a deferral. */
async function firstAnswer(interaction: { id: string; token: string }) {
  const callback = await stub.callbackFor(interaction);
  if (callback.body.data?.embeds) return callback.body.data.embeds[0];
  const edit = await stub.waitForCall((c) => c.method === "PATCH" && c.path.includes(`/${interaction.token}/messages/@original`));
  return edit.body.embeds[0];
}
/** An edit of the interaction's reply whose embed passes `test`. */
const editOf = (interaction: { token: string }, test: (embed: any) => boolean) =>
  stub.waitForCall(
    (c) => c.method === "PATCH" && c.path.includes(`/${interaction.token}/messages/`) && c.body?.embeds?.[0] && test(c.body.embeds[0]),
  );
const arriving = (embed: unknown) => /Still importing/.test(JSON.stringify(embed));

it("shows the first works at once, then edits the reply into the whole card when the import job is done", async () => {
  const gated = holdImports();
  const interaction = stub.slashCommand("lookup", { query: "Marta Quillfeather" });
  const first = await firstAnswer(interaction);
  expect(first.title).toBe("Marta Quillfeather");
  expect(arriving(first)).toBe(true);
  expect(JSON.stringify(first)).toContain(`5 of ${QUILLFEATHER.marta.works} works so far`);

  gated.release();
  const whole = await editOf(interaction, (e) => e.title === "Marta Quillfeather" && !arriving(e));
  expect(whole.path).toMatch(/messages\/@original$/);
  expect(JSON.stringify(whole.body.embeds[0])).toContain(`${QUILLFEATHER.marta.works} works`);
  expect(JSON.stringify(whole.body.embeds[0])).not.toContain("so far");
  const stored = await tdb.db.researcher.findUniqueOrThrow({ where: { openalexId: QUILLFEATHER.marta.openalexId } });
  expect(await tdb.db.authorship.count({ where: { researcherId: stored.id } })).toBe(QUILLFEATHER.marta.works);
});

it("edits the card a pick-list button showed, once the picked researcher is imported", async () => {
  const gated = holdImports();
  // Mårten is here only as Marta's co-author: picking him imports him whole.
  const stored = await tdb.db.researcher.findUniqueOrThrow({ where: { openalexId: QUILLFEATHER.marten.openalexId } });
  expect(stored.fetchedAt).toBeNull();
  const press = stub.button(`pl:lookup:${stored.id}`);
  const first = await firstAnswer(press);
  expect(first.title).toBe("Mårten Quillfeather");
  expect(arriving(first)).toBe(true);

  gated.release();
  const whole = await editOf(press, (e) => e.title === "Mårten Quillfeather" && !arriving(e));
  expect(JSON.stringify(whole.body.embeds[0])).toContain(`${QUILLFEATHER.marten.works} works`);
});
