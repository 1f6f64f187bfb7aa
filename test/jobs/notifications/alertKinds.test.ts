// Following things that are not people — a topic, an institution, a search, the citations of a
// researcher's works — from Slack and Discord (commands through the core's router, messages through
// the real messengers to the stand-ins), resolved through OpenAlex's stand-in, and ingest asking
// OpenAlex once per distinct thing followed, however many follow it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestService } from "../../../src/core/notifications/IngestService.js";
import type { NotificationWorkers } from "../../../src/jobs/notifications/worker.js";
import { syntheticWork } from "../../support/openalex-stub.js";
import { liveLookupFor } from "../../support/liveLookup.js";
import { ctxFor, discordPosts, type Harness, queuesIdle, slackPosts, startHarness, waitUntil } from "./harness.js";

let h: Harness;
let workers: NotificationWorkers;

const TRAINING = { id: "https://openalex.org/T19001", display_name: "Neural Network Training Dynamics" };
const MIT = { id: "https://openalex.org/I63966007", display_name: "Massachusetts Institute of Technology" };
const CITED = "W4300000001";
const OTHER = { id: "https://openalex.org/A5300000001", display_name: "Ada Quillon", orcid: null };

const alice = () => ctxFor("slack", "U0ALICE");
const bob = () => ctxFor("discord", "1400000000000000042");
const carol = () => ctxFor("slack", "U0CAROL");
const today = () => h.clock.now().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(h.clock.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);
const text = (r: { reply: unknown }) => JSON.stringify(r.reply);
const postsWith = (title: string) =>
  [...slackPosts(h.slack), ...discordPosts(h.discord)].filter((c) =>
    JSON.stringify((c as { args?: unknown; body?: unknown }).args ?? (c as { body?: unknown }).body).includes(title),
  );

beforeAll(async () => {
  h = await startHarness();
  (h.core as { live: unknown }).live = liveLookupFor(h.core, h.openalex.url).live;
  // One of the reference researcher's works as OpenAlex knows it, so a work citing it can be told apart.
  const work = await h.t.db.work.findFirstOrThrow({ where: { title: { startsWith: "Lottery Tickets on a Data Diet" } } });
  await h.t.db.work.update({ where: { id: work.id }, data: { openalexId: CITED } });
  workers = await h.start();
});
afterAll(async () => h?.close());

describe("following topics, institutions, searches and citations", () => {
  it("resolves each kind through OpenAlex, with a pick list when several topics match", async () => {
    expect(text(await h.run(`follow topic: ${TRAINING.display_name}`, alice()))).toContain(
      "You now follow the topic Neural Network Training Dynamics",
    );
    expect(text(await h.run("follow Jonathan Frankle", alice()))).toContain("You now follow Jonathan Frankle");
    expect(text(await h.run("follow institution: Massachusetts Institute of Technology", bob()))).toContain(
      "You now follow Massachusetts Institute of Technology",
    );
    expect(text(await h.run("follow search: lottery ticket pruning", carol()))).toContain("You now follow the search “lottery ticket pruning”");
    expect(text(await h.run("follow citations: Jonathan Frankle", carol()))).toContain("citations of Jonathan Frankle's papers");

    const pick = await h.run("follow topic: neural network", bob());
    expect(pick.reply).toMatchObject({ kind: "list", title: "Several topics match “neural network”" });
    const button = (pick.reply as { items: { title: string; actions: { id: string; value: string }[] }[] }).items.find(
      (i) => i.title === "Sparse and Low-Rank Neural Networks",
    )!.actions[0]!;
    expect(button).toMatchObject({ id: "follow_target", value: "topic:T19002" });
    expect(text(await h.core.router.handleAction(button.id, button.value, bob()))).toContain(
      "You now follow the topic Sparse and Low-Rank Neural Networks",
    );

    expect(text(await h.run("follow topic: zzyzx quantum basket weaving", bob()))).toContain("No topic found");
    expect(await h.t.db.alertTarget.count()).toBe(5);
  });

  it("delivers each new work once to whoever follows it, with every reason, and nothing else", async () => {
    const before = slackPosts(h.slack).length + discordPosts(h.discord).length;
    h.openalex.addWork(syntheticWork(8001, { createdDate: today(), title: "Frankle on training dynamics", topics: [TRAINING] }));
    h.openalex.addWork(
      syntheticWork(8002, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "An MIT paper", institutions: [MIT] }),
    );
    h.openalex.addWork(
      syntheticWork(8003, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "Lottery ticket pruning at scale" }),
    );
    h.openalex.addWork(
      syntheticWork(8004, {
        createdDate: today(),
        withoutFrankle: true,
        coauthors: [OTHER],
        title: "A work citing the data diet",
        referencedWorks: [CITED],
      }),
    );
    h.openalex.addWork(syntheticWork(8005, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "Nobody follows this" }));
    // Indexed today though published three weeks ago: still new to whoever follows its topic.
    h.openalex.addWork(
      syntheticWork(8006, {
        createdDate: today(),
        publicationDate: daysAgo(21),
        withoutFrankle: true,
        coauthors: [OTHER],
        title: "Late indexed training paper",
        topics: [TRAINING],
      }),
    );
    // Published recently but listed by OpenAlex before anyone followed: not new.
    h.openalex.addWork(
      syntheticWork(8007, {
        createdDate: daysAgo(40),
        publicationDate: daysAgo(3),
        withoutFrankle: true,
        coauthors: [OTHER],
        title: "Listed long ago",
        topics: [TRAINING],
      }),
    );

    const result = await workers.ingestNow();
    expect(result.deliveriesCreated).toBe(5);
    await waitUntil(async () => (await h.t.db.notificationDelivery.count({ where: { status: "sent" } })) === 5, 10_000, "five sent");
    await queuesIdle(workers);

    const [frankle] = postsWith("Frankle on training dynamics");
    expect(postsWith("Frankle on training dynamics")).toHaveLength(1);
    expect(JSON.stringify(frankle)).toContain("You follow Jonathan Frankle and the topic Neural Network Training Dynamics");
    expect(postsWith("An MIT paper")).toHaveLength(1);
    expect(JSON.stringify(postsWith("An MIT paper")[0])).toContain("Massachusetts Institute of Technology (institution)");
    expect(postsWith("Lottery ticket pruning at scale")).toHaveLength(1);
    const citing = postsWith("A work citing the data diet");
    expect(citing).toHaveLength(1);
    expect(JSON.stringify(citing[0])).toContain("New paper citing Jonathan Frankle");
    expect(postsWith("Late indexed training paper")).toHaveLength(1);
    expect(postsWith("Nobody follows this")).toHaveLength(0);
    expect(postsWith("Listed long ago")).toHaveLength(0);
    expect(slackPosts(h.slack).length + discordPosts(h.discord).length).toBe(before + 5);
  });

  it("asks OpenAlex by from_publication_date in one OR list per kind, and sends nothing twice on the next cycle", async () => {
    const from = h.openalex.requests.length;
    const again = await workers.ingestNow();
    const sent = h.openalex.requests.slice(from).filter((r) => r.path === "/works");
    expect(
      sent.every((r) => /from_publication_date:\d{4}-\d{2}-\d{2}/.test(r.query.filter ?? "") && !/from_created_date/.test(r.query.filter ?? "")),
    ).toBe(true);
    expect(sent.map((r) => r.query.filter!.split(":")[0])).toEqual(
      expect.arrayContaining(["authorships.author.id", "topics.id", "authorships.institutions.id", "cites", "title_and_abstract.search"]),
    );
    expect(again.requests.total).toBe(sent.length);
    expect(again.requests.search).toBe(sent.filter((r) => r.query.filter!.startsWith("title_and_abstract.search")).length);
    expect(again.spendUsd).toBeCloseTo(again.requests.list * 0.0001 + again.requests.search * 0.001, 10);
    expect(again.deliveriesCreated).toBe(0);
  });

  it("lists every kind in following, and unfollows one by name", async () => {
    const list = text(await h.run("following", alice()));
    expect(list).toContain("Jonathan Frankle");
    expect(list).toContain("Topic: Neural Network Training Dynamics");
    expect(text(await h.run("unfollow topic: Neural Network Training Dynamics", alice()))).toContain(
      "You no longer follow the topic Neural Network Training Dynamics",
    );
    expect(text(await h.run("following", alice()))).not.toContain("Topic:");
  });
});

describe("ingest cost", () => {
  it("grows with the distinct things followed, not with the number of followers", async () => {
    const requestsFor = async () => (await new IngestService(h.t.db, h.clock).run(h.source)).requests.total;
    const baseline = await requestsFor();
    // Fifty more people follow what is already followed: not one request more.
    for (let i = 0; i < 50; i++) await h.run("follow topic: Sparse and Low-Rank Neural Networks", ctxFor("slack", `U0FAN${i}`));
    expect(await requestsFor()).toBe(baseline);
    // 150 distinct topics more: two more OR lists of at most 100 (each an empty page here).
    const account = await h.core.accounts.resolve(ctxFor("slack", "U0FAN0").actor);
    for (let i = 0; i < 150; i++) {
      const target = await h.t.db.alertTarget.create({
        data: { kind: "topic", key: `T8${String(i).padStart(6, "0")}`, label: `Topic ${i}`, createdAt: h.clock.now() },
      });
      await h.t.db.alert.create({
        data: { recipientKey: `account:${account.accountId}`, accountId: account.accountId, targetId: target.id, createdAt: h.clock.now() },
      });
    }
    expect(await requestsFor()).toBe(baseline + 1);
  });
});

describe("filters, feedback and frequency", () => {
  const dave = () => ctxFor("slack", "U0DAVE");
  const erin = () => ctxFor("slack", "U0ERIN");
  const sentTo = async (user: string) => {
    const account = await h.core.accounts.resolve(ctxFor("slack", user).actor);
    return h.t.db.notificationDelivery.findMany({
      where: { accountId: account.accountId },
      include: { work: { select: { title: true } } },
      orderBy: { id: "asc" },
    });
  };

  it("leaves out what a follow's filters exclude, and what Not relevant muted", async () => {
    expect(text(await h.run("follow search: quantum sparsity --exclude survey --type article", dave()))).toContain("not “survey”");
    h.openalex.addWork(syntheticWork(8101, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "Quantum sparsity results" }));
    h.openalex.addWork(
      syntheticWork(8102, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "A survey of quantum sparsity" }),
    );
    h.openalex.addWork(
      syntheticWork(8103, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "Quantum sparsity preprint", type: "preprint" }),
    );
    await workers.ingestNow();
    expect((await sentTo("U0DAVE")).map((d) => d.work.title)).toEqual(["Quantum sparsity results"]);

    // Not relevant on that paper: its co-author's next paper for the same search stays quiet.
    const [delivery] = await sentTo("U0DAVE");
    expect(text(await h.core.router.handleAction("not_relevant", String(delivery!.id), dave()))).toContain("with Ada Quillon");
    h.openalex.addWork(syntheticWork(8104, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "More quantum sparsity" }));
    await workers.ingestNow();
    expect((await sentTo("U0DAVE")).map((d) => d.work.title)).toEqual(["Quantum sparsity results"]);

    expect(text(await h.core.router.handleAction("save_work", String(delivery!.workId), dave()))).toContain("Saved to your reading list");
    expect(text(await h.run("saved", dave()))).toContain("Quantum sparsity results");
  });

  it("holds a weekly follow's papers for the weekly digest, beside instant ones", async () => {
    expect(text(await h.run("follow search: holographic pruning --frequency weekly", erin()))).toContain("weekly digest");
    h.openalex.addWork(syntheticWork(8201, { createdDate: today(), withoutFrankle: true, coauthors: [OTHER], title: "Holographic pruning for all" }));
    await workers.ingestNow();
    const [held] = await sentTo("U0ERIN");
    expect(held).toMatchObject({ digest: true, cadence: "weekly", status: "pending" });
    await workers.digestNow();
    expect((await sentTo("U0ERIN"))[0]!.status).toBe("pending");
    h.clock.advance(8 * 86_400_000);
    await workers.digestNow();
    expect((await sentTo("U0ERIN"))[0]!.status).toBe("sent");
    expect(JSON.stringify(slackPosts(h.slack).at(-1))).toContain("Holographic pruning for all");
  });
});
