// The weekly "what you missed": papers found while someone was snoozed come as one summary on the
// Monday after, through the real Slack and Discord messengers to their stand-ins; a week with
// nothing missed sends nothing, a repeated tick sends nothing twice, and "digest missed off" stops it.
// The clock is pinned (a Wednesday) and moved across the Monday 09:00 UTC week boundary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { ctxFor, discordPosts, type Harness, newFrankleWork, queuesIdle, slackPosts, startHarness } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const alice = () => ctxFor("slack", "U0ALICE");
const bob = () => ctxFor("discord", "1400000000000000042");
const carol = () => ctxFor("slack", "U0CAROL");
const dave = () => ctxFor("slack", "U0DAVE");
const DAY = 86_400_000;
const body = (c: unknown) => JSON.stringify((c as { args?: unknown }).args ?? (c as { body?: unknown }).body);
const summaries = () => [...slackPosts(h.slack), ...discordPosts(h.discord)].filter((c) => body(c).includes("What you missed"));
const summaryRows = async (ctx: ReturnType<typeof alice>) => {
  const me = await h.core.accounts.resolve(ctx.actor);
  return h.t.db.missedSummary.findMany({ where: { accountId: me.accountId }, orderBy: { weekStart: "asc" } });
};

beforeAll(async () => {
  h = await startHarness();
  workers = await h.start();
});
afterAll(async () => h?.close());

describe("the weekly missed summary", () => {
  it("sums up on Monday what a snooze skipped, once, and sends nothing for a week with nothing missed", async () => {
    const start = h.clock.now(); // Wednesday 2026-11-25 12:00 UTC
    expect(start.getUTCDay()).toBe(3);
    for (const who of [alice(), bob(), carol(), dave()])
      expect(JSON.stringify((await h.run("follow Jonathan Frankle", who)).reply)).toContain("You now follow");
    for (const who of [alice(), bob(), dave()]) await h.run("snooze 3d", who);
    expect(JSON.stringify((await h.run("digest missed off", dave())).reply)).toContain("summary of papers you missed is off");

    h.openalex.addWork(newFrankleWork(71, start));
    await workers.ingestNow();
    await queuesIdle(workers);
    // Carol was not snoozed: she got the paper at once; the others' rows are skipped as snoozed.
    expect(slackPosts(h.slack).filter((c) => body(c).includes("Synthetic fixture work 9071"))).toHaveLength(1);
    expect(await h.t.db.notificationDelivery.count({ where: { status: "skipped", lastError: "snoozed" } })).toBe(3);

    // Mid-week: last week had nothing missed for Carol, so her week is decided with no message;
    // the snoozed are left for when the snooze ends.
    let run = await workers.missedNow();
    expect(run).toMatchObject({ sent: 0, empty: 1 });
    expect(await summaryRows(carol())).toMatchObject([{ weekStart: new Date("2026-11-16T00:00:00.000Z"), works: 0 }]);
    expect(await summaryRows(alice())).toEqual([]);

    // Monday 08:30, the snooze over: this week has not ended yet, so nothing about it goes out.
    h.clock.set(new Date(start.getTime() + 5 * DAY - 3.5 * 3_600_000));
    run = await workers.missedNow();
    expect(run).toMatchObject({ sent: 0, empty: 2 });
    expect(summaries()).toHaveLength(0);
    expect((await summaryRows(alice())).map((r) => r.works)).toEqual([0]);

    // Monday 09:30: the week is over; Alice (Slack) and Bob (Discord) get one summary each naming the paper.
    h.clock.set(new Date(start.getTime() + 5 * DAY - 2.5 * 3_600_000));
    run = await workers.missedNow();
    expect(run).toMatchObject({ sent: 2, empty: 1, errors: [] });
    const sent = summaries();
    expect(sent).toHaveLength(2);
    for (const post of sent) expect(body(post)).toContain("Synthetic fixture work 9071");
    expect(slackPosts(h.slack, "DU0ALICE").filter((c) => body(c).includes("What you missed"))).toHaveLength(1);
    expect(discordPosts(h.discord).filter((c) => body(c).includes("What you missed"))).toHaveLength(1);
    expect((await summaryRows(alice())).map((r) => [r.weekStart.toISOString().slice(0, 10), r.works])).toEqual([
      ["2026-11-16", 0],
      ["2026-11-23", 1],
    ]);
    // Carol got her paper when it came out: her week is decided empty. Dave turned it off: no row at all.
    expect((await summaryRows(carol())).map((r) => r.works)).toEqual([0, 0]);
    expect(await summaryRows(dave())).toEqual([]);

    // The tick repeats (the hourly schedule, or a second process): nothing is sent twice.
    run = await workers.missedNow();
    expect(run).toMatchObject({ sent: 0, empty: 0 });
    h.clock.advance(3_600_000);
    await workers.missedNow();
    expect(summaries()).toHaveLength(2);
  });
});
