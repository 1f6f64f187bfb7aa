// Daily digests: held deliveries go out as one message at the person's local hour, by the clock
// the core is given, and never twice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DigestService } from "../../../src/core/notifications/DigestService.js";
import { IngestService } from "../../../src/core/notifications/IngestService.js";
import { ctxFor, type Harness, newFrankleWork, slackPosts, startHarness } from "../../jobs/notifications/harness.js";

let h: Harness;
let digests: DigestService;
const alice = ctxFor("slack", "U0ALICE");

const ingest = () => new IngestService(h.t.db, h.clock).run(h.source);
const at = (iso: string) => h.clock.set(new Date(iso));
const digestPosts = () => slackPosts(h.slack).filter((c) => String(c.args.text ?? JSON.stringify(c.args.blocks)).includes("new paper"));

beforeAll(async () => {
  h = await startHarness();
  digests = new DigestService(h.t.db, h.clock);
  await h.run("follow Jonathan Frankle", alice);
  const r = await h.run("digest daily 9 europe/berlin", alice);
  expect(r.reply).toMatchObject({ level: "success", text: expect.stringContaining("every day at 09:00 (Europe/Berlin)") });
});
afterAll(async () => h?.close());

it("holds new papers and sends them as one message at 09:00 Berlin time, once", async () => {
  // 06:30 in Berlin (UTC+1 in November): two papers appear.
  at("2026-11-25T05:30:00Z");
  h.openalex.addWork(newFrankleWork(1, h.clock.now()));
  h.openalex.addWork(newFrankleWork(2, h.clock.now()));
  const found = await ingest();
  expect(found.deliveriesCreated).toBe(2);
  expect(found.instant).toHaveLength(0);

  at("2026-11-25T07:59:00Z"); // 08:59 Berlin: not yet
  expect((await digests.sendDue(h.core.messengers)).messages).toBe(0);
  expect(slackPosts(h.slack)).toHaveLength(0);

  at("2026-11-25T08:00:00Z"); // 09:00 Berlin
  const sent = await digests.sendDue(h.core.messengers);
  expect(sent).toMatchObject({ accounts: 1, messages: 1, works: 2 });
  const posts = slackPosts(h.slack);
  expect(posts).toHaveLength(1);
  const body = JSON.stringify(posts[0]!.args);
  expect(body).toContain("Synthetic fixture work 9001");
  expect(body).toContain("Synthetic fixture work 9002");
  expect(body).toContain("2 new papers today");

  // The hourly job running again (or late) sends nothing more.
  at("2026-11-25T09:00:00Z");
  expect((await digests.sendDue(h.core.messengers)).messages).toBe(0);
  expect(slackPosts(h.slack)).toHaveLength(1);
});

it("keeps a paper found after today's digest for tomorrow's", async () => {
  at("2026-11-25T10:00:00Z");
  h.openalex.addWork(newFrankleWork(3, h.clock.now()));
  expect((await ingest()).deliveriesCreated).toBe(1);
  at("2026-11-25T23:00:00Z");
  expect((await digests.sendDue(h.core.messengers)).messages).toBe(0);
  at("2026-11-26T08:05:00Z");
  expect(await digests.sendDue(h.core.messengers)).toMatchObject({ messages: 1, works: 1 });
  expect(JSON.stringify(slackPosts(h.slack).at(-1)!.args)).toContain("1 new paper today");
});

it("waits while snoozed and sends the held digest after the snooze", async () => {
  at("2026-11-26T12:00:00Z");
  h.openalex.addWork(newFrankleWork(4, h.clock.now()));
  expect((await ingest()).deliveriesCreated).toBe(1);
  await h.run("snooze 1d", alice); // until 2026-11-27T12:00Z
  at("2026-11-27T08:00:00Z");
  expect((await digests.sendDue(h.core.messengers)).messages).toBe(0);
  at("2026-11-28T08:00:00Z");
  expect(await digests.sendDue(h.core.messengers)).toMatchObject({ messages: 1, works: 1 });
  expect(digestPosts().length).toBeGreaterThanOrEqual(1);
});
