// The card's counts are kept by triggers (migration researcher_counts) instead of recounted per
// lookup. The promise: after any sequence of changes, every stored count equals a recount from the
// rows themselves. A property test drives random sequences of the changes Peerlink makes (imports
// adding authors in batches, authors removed, authorships moved to another researcher as a merge
// does, works and researchers deleted, follows through FollowService, topics) and compares.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FollowService } from "../../../src/core/follows/FollowService.js";
import { CLOSE_COLLABORATOR_MIN_SHARED_WORKS, ProfileService } from "../../../src/core/profiles/ProfileService.js";
import { testClock } from "../../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../../support/db.js";

const RESEARCHERS = 6;
const WORKS = 5;
const ACCOUNTS = 3;
const TOPICS = 3;

type Counts = { id: number; works: number; followers: number; topics: number; coauthors: number; close: number };

/** The counts as ProfileService computed them before they were kept: the specification. */
const RECOUNT = `
  SELECT r.id,
    (SELECT count(*) FROM authorship WHERE researcher_id = r.id)::int AS works,
    (SELECT count(*) FROM follow WHERE researcher_id = r.id)::int AS followers,
    (SELECT count(*) FROM researcher_topic WHERE researcher_id = r.id)::int AS topics,
    (SELECT count(*) FROM (SELECT o.researcher_id FROM authorship m JOIN authorship o ON o.work_id = m.work_id AND o.researcher_id <> m.researcher_id
                           WHERE m.researcher_id = r.id GROUP BY 1) s)::int AS coauthors,
    (SELECT count(*) FROM (SELECT o.researcher_id FROM authorship m JOIN authorship o ON o.work_id = m.work_id AND o.researcher_id <> m.researcher_id
                           WHERE m.researcher_id = r.id GROUP BY 1 HAVING count(*) >= ${CLOSE_COLLABORATOR_MIN_SHARED_WORKS}) s)::int AS close
  FROM researcher r ORDER BY r.id`;

type Op =
  | { kind: "addAuthors"; work: number; researchers: number[] }
  | { kind: "removeAuthor"; work: number; researcher: number }
  | { kind: "merge"; from: number; into: number }
  | { kind: "deleteWork"; work: number }
  | { kind: "deleteResearcher"; researcher: number }
  | { kind: "follow"; account: number; researcher: number }
  | { kind: "unfollow"; account: number; researcher: number }
  | { kind: "addTopic"; researcher: number; topic: number }
  | { kind: "removeTopic"; researcher: number; topic: number };

const researcher = fc.nat({ max: RESEARCHERS - 1 });
const work = fc.nat({ max: WORKS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("addAuthors" as const), work, researchers: fc.uniqueArray(researcher, { minLength: 1, maxLength: 4 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeAuthor" as const), work, researcher }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("merge" as const), from: researcher, into: researcher }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteWork" as const), work }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteResearcher" as const), researcher }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("follow" as const), account: fc.nat({ max: ACCOUNTS - 1 }), researcher }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("unfollow" as const), account: fc.nat({ max: ACCOUNTS - 1 }), researcher }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addTopic" as const), researcher, topic: fc.nat({ max: TOPICS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeTopic" as const), researcher, topic: fc.nat({ max: TOPICS - 1 }) }) },
);

describe("kept card counts", () => {
  let test: TestDatabase;
  let sql: pg.Pool;
  let follows: FollowService;
  let ids: { researchers: number[]; works: number[]; accounts: number[]; topics: number[] };

  /** A fresh cast: researchers, works, accounts and topics with no rows between them. */
  async function reset() {
    await sql.query("DELETE FROM researcher");
    await sql.query("DELETE FROM work");
    const researchers = await Promise.all(
      Array.from({ length: RESEARCHERS }, (_, i) =>
        test.db.researcher.create({ data: { displayName: `Researcher ${i}`, searchName: `researcher ${i}` }, select: { id: true } }),
      ),
    );
    const works = await Promise.all(
      Array.from({ length: WORKS }, (_, i) => test.db.work.create({ data: { type: "article", title: `Work ${i}` }, select: { id: true } })),
    );
    ids = { ...ids, researchers: researchers.map((r) => r.id), works: works.map((w) => w.id) };
  }

  async function apply(op: Op) {
    const r = (i: number) => ids.researchers[i]!;
    const w = (i: number) => ids.works[i]!;
    switch (op.kind) {
      case "addAuthors": // as the importer writes a work's authors: one batch, duplicates skipped
        if (w(op.work) < 0) break;
        await test.db.authorship.createMany({
          data: op.researchers.filter((i) => r(i) > 0).map((i, position) => ({ workId: w(op.work), researcherId: r(i), position })),
          skipDuplicates: true,
        });
        break;
      case "removeAuthor":
        await test.db.authorship.deleteMany({ where: { workId: w(op.work), researcherId: r(op.researcher) } });
        break;
      case "merge": // one record found to be another: its authorships move, those it shares are dropped
        if (op.from === op.into || r(op.from) < 0 || r(op.into) < 0) break;
        await sql.query(
          `UPDATE authorship a SET researcher_id = $2 WHERE a.researcher_id = $1
             AND NOT EXISTS (SELECT 1 FROM authorship b WHERE b.work_id = a.work_id AND b.researcher_id = $2)`,
          [r(op.from), r(op.into)],
        );
        await sql.query("DELETE FROM authorship WHERE researcher_id = $1", [r(op.from)]);
        break;
      case "deleteWork":
        await sql.query("DELETE FROM work WHERE id = $1", [w(op.work)]);
        ids.works[op.work] = -1;
        break;
      case "deleteResearcher": // the cascade removes its authorships, follows and topics
        await sql.query("DELETE FROM researcher WHERE id = $1", [r(op.researcher)]);
        ids.researchers[op.researcher] = -1;
        break;
      case "follow":
        if (r(op.researcher) > 0) await follows.follow(ids.accounts[op.account]!, r(op.researcher));
        break;
      case "unfollow":
        if (r(op.researcher) > 0) await follows.unfollow(ids.accounts[op.account]!, r(op.researcher));
        break;
      case "addTopic":
        if (r(op.researcher) > 0) {
          await sql.query("INSERT INTO researcher_topic (researcher_id, topic_id, weight) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING", [
            r(op.researcher),
            ids.topics[op.topic],
          ]);
        }
        break;
      case "removeTopic":
        await sql.query("DELETE FROM researcher_topic WHERE researcher_id = $1 AND topic_id = $2", [r(op.researcher), ids.topics[op.topic]]);
        break;
    }
  }

  async function stored(): Promise<Counts[]> {
    const { rows } = await sql.query<Counts>(
      `SELECT r.id, coalesce(c.works, 0) AS works, coalesce(c.followers, 0) AS followers, coalesce(c.topics, 0) AS topics,
              coalesce(c.coauthors, 0) AS coauthors, coalesce(c.close_collaborators, 0) AS close
         FROM researcher r LEFT JOIN researcher_counts c ON c.researcher_id = r.id ORDER BY r.id`,
    );
    return rows;
  }

  beforeAll(async () => {
    test = await createTestDatabase();
    sql = new pg.Pool({ connectionString: test.url, max: 3 });
    follows = new FollowService(test.db, testClock());
    const accounts = await Promise.all(
      Array.from({ length: ACCOUNTS }, (_, i) => test.db.account.create({ data: { displayName: `Account ${i}` }, select: { id: true } })),
    );
    const topics = await Promise.all(
      Array.from({ length: TOPICS }, (_, i) => test.db.topic.create({ data: { name: `Topic ${i}` }, select: { id: true } })),
    );
    ids = { researchers: [], works: [], accounts: accounts.map((a) => a.id), topics: topics.map((t) => t.id) };
  });

  afterAll(async () => {
    await sql?.end();
    await test?.drop();
  });

  it("equal a recount after any sequence of imports, removals, merges, deletions, follows and topics", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        await reset();
        for (const op of ops) await apply(op);
        const recount = (await sql.query<Counts>(RECOUNT)).rows;
        expect(await stored()).toEqual(recount);
      }),
      { numRuns: 50, seed: 20261202 },
    );
  }, 180_000);

  it("are what the card reads", async () => {
    await reset();
    const [a, b, c] = ids.researchers as [number, number, number];
    await test.db.authorship.createMany({ data: [a, b, c].map((researcherId, position) => ({ workId: ids.works[0]!, researcherId, position })) });
    await test.db.authorship.createMany({ data: [a, b].map((researcherId, position) => ({ workId: ids.works[1]!, researcherId, position })) });
    await follows.follow(ids.accounts[0]!, a);
    expect(await new ProfileService(test.db).counts(a)).toEqual({ works: 2, followers: 1, topics: 0, coauthors: 2, closeCollaborators: 1 });
  });

  it("count a co-author whom two transactions add to the same work at once", async () => {
    await reset();
    const [a, b] = ids.researchers as [number, number];
    const workId = ids.works[0]!;
    const one = await sql.connect();
    const two = await sql.connect();
    try {
      await one.query("BEGIN");
      await two.query("BEGIN");
      await one.query("INSERT INTO authorship (work_id, researcher_id, position) VALUES ($1, $2, 0)", [workId, a]);
      // The second waits for the first's lock on the work, then recounts seeing the first's author.
      const second = two.query("INSERT INTO authorship (work_id, researcher_id, position) VALUES ($1, $2, 1)", [workId, b]);
      await one.query("COMMIT");
      await second;
      await two.query("COMMIT");
    } finally {
      one.release();
      two.release();
    }
    expect(await stored()).toEqual((await sql.query<Counts>(RECOUNT)).rows);
    const profiles = new ProfileService(test.db);
    expect((await profiles.counts(a)).coauthors).toBe(1);
    expect((await profiles.counts(b)).coauthors).toBe(1);
  });
});
