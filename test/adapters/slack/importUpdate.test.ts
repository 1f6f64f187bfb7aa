// A card shown while its import runs in a BullMQ job is replaced in place through response_url
// once the job is done: the real Bolt app, the real import producer and worker, real Redis.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ImportProducer } from "../../../src/jobs/import/producer.js";
import { startImportWorker } from "../../../src/jobs/import/worker.js";
import { createLogger } from "../../../src/logger.js";
import type { Service } from "../../../src/Service.js";
import { gatedImports, liveLookupFor } from "../../support/liveLookup.js";
import { QUILLFEATHER, startOpenAlexStub, type OpenAlexStub } from "../../support/openalex-stub.js";
import { buttonPress, type SlackHarness, startSlackHarness } from "./slackHarness.js";

type AnyBlock = Record<string, any>;

let h: SlackHarness;
let openalex: OpenAlexStub;
let producer: ImportProducer;
let worker: Service;
let gated: ReturnType<typeof gatedImports>;

beforeAll(async () => {
  openalex = await startOpenAlexStub();
  h = await startSlackHarness();
  const queueSettings = { redisUrl: h.tdb.redisUrl, prefix: h.tdb.redisPrefix };
  producer = new ImportProducer(queueSettings);
  worker = await startImportWorker({ core: h.core, queue: queueSettings, logger: createLogger("silent") });
});
/** A fresh gate: imports enqueued from now on wait for `gated.release()`. */
function holdImports() {
  gated = gatedImports(producer);
  h.core.live = liveLookupFor(h.core, openalex.url, { queue: gated.queue }).live;
}
afterAll(async () => {
  await worker?.stop();
  await producer?.close();
  await h?.close();
  await openalex?.close();
});

const responsesTo = (url: string) => h.slack.responses.filter((r) => url.endsWith(r.id)).map((r) => r.body as AnyBlock);
const text = (body: AnyBlock) => JSON.stringify(body.blocks);

it("shows the first works at once, says more are arriving, and replaces the card when the import job is done", async () => {
  holdImports();
  const res = await h.command("Marta Quillfeather");
  expect(res.status).toBe(200);
  const first = await h.slack.waitFor(() => responsesTo(res.responseUrl).find((b) => /Still importing/.test(text(b))));
  expect(first.blocks[0].text.text).toBe("Marta Quillfeather");
  expect(text(first)).toContain(`5 of ${QUILLFEATHER.marta.works} works so far`);
  expect(gated.queued).toHaveLength(1);

  gated.release();
  const whole = await h.slack.waitFor(() =>
    responsesTo(res.responseUrl).find((b) => b !== first && !/Still importing|Looking up/.test(text(b) + b.text)),
  );
  expect(whole.replace_original).toBe(true);
  expect(whole.response_type).toBe("ephemeral");
  expect(whole.blocks[0].text.text).toBe("Marta Quillfeather");
  expect(text(whole)).toContain(`${QUILLFEATHER.marta.works} works`);
  expect(text(whole)).not.toContain("so far");
  const stored = await h.tdb.db.researcher.findUniqueOrThrow({ where: { openalexId: QUILLFEATHER.marta.openalexId } });
  expect(await h.tdb.db.authorship.count({ where: { researcherId: stored.id } })).toBe(QUILLFEATHER.marta.works);
});

it("replaces the pick list with the picked card, then with the whole card once imported", async () => {
  holdImports();
  // Mårten is here only as Marta's co-author: picking him imports him whole.
  const listed = await h.command("Quillfeather");
  const list = await h.slack.waitFor(() => responsesTo(listed.responseUrl).find((b) => /Several researchers match/.test(text(b))));
  const buttons = (list.blocks as AnyBlock[]).filter((b) => b.accessory?.type === "button" && /Mårten Quillfeather/.test(b.text?.text));
  expect(buttons).toHaveLength(1);
  const { action_id, value } = buttons[0]!.accessory;

  const pressUrl = h.slack.responseUrl();
  await h.interaction(buttonPress(action_id, value, pressUrl));
  const card = await h.slack.waitFor(() => responsesTo(pressUrl).find((b) => /Still importing/.test(text(b))));
  // The pick list (the pressed, ephemeral message) becomes the card.
  expect(card.replace_original).toBe(true);
  expect(card.blocks[0].text.text).toBe("Mårten Quillfeather");

  gated.release();
  const whole = await h.slack.waitFor(() => responsesTo(pressUrl).find((b) => b !== card && !/Still importing/.test(text(b))));
  expect(whole.replace_original).toBe(true);
  expect(whole.blocks[0].text.text).toBe("Mårten Quillfeather");
  expect(text(whole)).toContain(`${QUILLFEATHER.marten.works} works`);
});
