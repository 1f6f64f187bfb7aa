// Name search quality, guarded: a relevance set over a synthetic graph (exact names, one and two
// typos, swapped order, initials, no middle initial, no accents; src/sources/synthetic/relevanceSet.ts)
// must keep finding what it finds today. The graph, the set and the search are deterministic, so the
// counts below are exact: a change that loses a query fails here, one that gains raises the floor.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResearcherSearch } from "../../src/core/search/ResearcherSearch.js";
import { loadSyntheticGraph } from "../../src/sources/synthetic/copy.js";
import { measureRecall, type Recall, relevanceSet, variantsOf } from "../../src/sources/synthetic/relevanceSet.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const RESEARCHERS = 20_000;
const TARGETS = 80;

/** Today's figures on this graph: hits out of the set's queries, at 1 and at 5 (before name_token_variant: 253 and 253). */
const FLOOR = { queries: 364, at1: 364, at5: 364 };

describe("name search relevance (20,000 synthetic researchers)", () => {
  let test: TestDatabase;
  let recall: Recall;

  beforeAll(async () => {
    test = await createTestDatabase();
    await loadSyntheticGraph(test.url, { researchers: RESEARCHERS, seed: 42 });
    const client = new pg.Client({ connectionString: test.url });
    await client.connect();
    try {
      const set = await relevanceSet(client, TARGETS);
      const search = new ResearcherSearch(test.db);
      recall = await measureRecall(set, async (q) => (await search.candidates(q, 5)).map((c) => c.id));
    } finally {
      await client.end();
    }
  }, 180_000);

  afterAll(async () => {
    await test?.drop();
  });

  it("covers every kind of query with at least 200 queries", () => {
    expect(recall.queries).toBeGreaterThanOrEqual(200);
    expect(Object.keys(recall.byKind).sort()).toEqual(
      ["exact", "initial", "no accents", "no middle initial", "one typo", "swapped order", "two typos"].sort(),
    );
  });

  it("finds every exact name, in either word order and without accents, first", () => {
    for (const kind of ["exact", "swapped order", "no accents"]) {
      const r = recall.byKind[kind]!;
      expect(r.at1, kind).toBe(r.queries);
    }
  });

  it("keeps recall@1 and recall@5 at least at today's figures", () => {
    expect(recall.queries).toBe(FLOOR.queries);
    expect(recall.at1).toBeGreaterThanOrEqual(FLOOR.at1);
    expect(recall.at5).toBeGreaterThanOrEqual(FLOOR.at5);
  });
});

describe("relevance set variants", () => {
  it("writes each kind of query the way people type a name", () => {
    const kinds = Object.fromEntries(variantsOf("Pedro D. López", 7).map((q) => [q.kind, q.query]));
    expect(kinds).toEqual({
      exact: "Pedro D. López",
      "one typo": "Pedro D. Lpóez",
      "two typos": "Pdero D. Lpóez",
      "swapped order": "López Pedro D.",
      initial: "P. López",
      "no middle initial": "Pedro López",
      "no accents": "pedro d lopez",
    });
  });
});
