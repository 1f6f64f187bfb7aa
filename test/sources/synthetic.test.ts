import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchName } from "../../src/core/text.js";
import { loadSyntheticGraph, SyntheticDataExistsError, type LoadSummary } from "../../src/sources/synthetic/copy.js";
import { COMMUNITY_SIZE, orcidCheckDigit, SyntheticGraph, syntheticOrcid } from "../../src/sources/synthetic/generator.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";

const N = 2_000;
const SEED = 7;
const LOAD_TIMEOUT = 120_000;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Content checksums that ignore database ids, so databases with different offsets compare equal. */
const CHECKSUMS = `
  SELECT
    (SELECT md5(string_agg(concat_ws('|', openalex_id, display_name, search_name, orcid, open_to_collaborate,
                                     verification_level, cited_by_count), E'\\n' ORDER BY openalex_id))
       FROM researcher WHERE openalex_id LIKE 'S%') AS researchers,
    (SELECT md5(string_agg(concat_ws('|', openalex_id, doi, type, title, abstract, publication_year,
                                     publication_date, venue, source_created_at), E'\\n' ORDER BY openalex_id))
       FROM work WHERE openalex_id LIKE 'S%') AS works,
    (SELECT md5(string_agg(concat_ws('|', w.openalex_id, r.openalex_id, a.position), E'\\n' ORDER BY w.openalex_id, a.position))
       FROM authorship a JOIN work w ON w.id = a.work_id JOIN researcher r ON r.id = a.researcher_id
      WHERE w.openalex_id LIKE 'S%') AS authorships,
    (SELECT md5(string_agg(concat_ws('|', w.openalex_id, t.name), E'\\n' ORDER BY w.openalex_id, t.name))
       FROM work_topic x JOIN work w ON w.id = x.work_id JOIN topic t ON t.id = x.topic_id
      WHERE w.openalex_id LIKE 'S%') AS work_topics,
    (SELECT md5(string_agg(concat_ws('|', r.openalex_id, t.name, x.weight), E'\\n' ORDER BY r.openalex_id, t.name))
       FROM researcher_topic x JOIN researcher r ON r.id = x.researcher_id JOIN topic t ON t.id = x.topic_id
      WHERE r.openalex_id LIKE 'S%') AS researcher_topics,
    (SELECT md5(string_agg(concat_ws('|', r.openalex_id, i.openalex_id, i.name, i.country_code, x.last_year), E'\\n'
                           ORDER BY r.openalex_id, i.openalex_id))
       FROM affiliation x JOIN researcher r ON r.id = x.researcher_id JOIN institution i ON i.id = x.institution_id
      WHERE r.openalex_id LIKE 'S%') AS affiliations`;

/** Every index and constraint on the graph's tables and the ones pointing at them, by name and definition. */
const SCHEMA_OBJECTS = `
  SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index
   WHERE indrelid::regclass::text IN ('researcher', 'work', 'topic', 'institution', 'affiliation', 'researcher_topic', 'authorship', 'work_topic')
  UNION ALL
  SELECT conname, pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not validated)' END FROM pg_constraint
   WHERE contype IN ('p', 'u', 'f')
  ORDER BY 1, 2`;

describe("synthetic graph generator", () => {
  it("produces the same rows for the same seed, and different rows for another", () => {
    const take = (seed: number) => {
      const g = new SyntheticGraph({ researchers: 300, seed });
      return { researchers: [...g.researchers()], works: [...g.works()], topics: g.topics, institutions: g.institutions };
    };
    expect(take(SEED)).toEqual(take(SEED));
    expect(take(SEED + 1).researchers).not.toEqual(take(SEED).researchers);
  });

  it("can regenerate any researcher on its own, in any order", () => {
    const g = new SyntheticGraph({ researchers: 500, seed: SEED });
    const all = [...g.researchers()];
    expect(new SyntheticGraph({ researchers: 500, seed: SEED }).researcher(377)).toEqual(all[376]);
  });

  it("issues ORCID iDs with a valid check digit, in a block ORCID never issued", () => {
    // ORCID's documented examples: 0000-0002-1825-0097 and 0000-0002-1694-233X
    expect(orcidCheckDigit("000000021825009")).toBe("7");
    expect(orcidCheckDigit("000000021694233")).toBe("X");
    for (const n of [1, 42, 999_999, 4_999_999]) {
      const orcid = syntheticOrcid(n);
      expect(orcid).toMatch(/^0000-0000-\d{4}-\d{3}[\dX]$/);
      const digits = orcid.replaceAll("-", "");
      expect(digits.slice(-1)).toBe(orcidCheckDigit(digits.slice(0, 15)));
    }
  });
});

describe("loading a synthetic graph", () => {
  const graph = new SyntheticGraph({ researchers: N, seed: SEED });
  let fresh: TestDatabase;
  let seeded: TestDatabase;
  let freshLoad: LoadSummary;
  let seededLoad: LoadSummary;
  let schemaBefore: unknown[];
  let existing: { researcherId: number; topicId: number; accountId: number };

  beforeAll(async () => {
    [fresh, seeded] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    schemaBefore = await query(fresh.url, SCHEMA_OBJECTS);
    // Rows that were there first, like the demo seed's: a researcher, and a topic whose name the graph also uses.
    const researcher = await seeded.db.researcher.create({
      data: { displayName: "Ada Lovelace", searchName: "ada lovelace", openalexId: "A5000000001" },
    });
    const topic = await seeded.db.topic.create({ data: { name: graph.topics[0]!.name } });
    const account = await seeded.db.account.create({ data: { displayName: "Grace" } });
    existing = { researcherId: researcher.id, topicId: topic.id, accountId: account.id };
    freshLoad = await loadSyntheticGraph(fresh.url, { researchers: N, seed: SEED });
    seededLoad = await loadSyntheticGraph(seeded.url, { researchers: N, seed: SEED, vacuum: false });
  }, LOAD_TIMEOUT);

  afterAll(async () => {
    await Promise.all([fresh?.drop(), seeded?.drop()]);
  });

  it("loads exactly the requested researchers, about three works each, and reports what it loaded", async () => {
    const [counts] = await query<Record<string, number>>(
      fresh.url,
      `SELECT (SELECT count(*) FROM researcher)::int AS researcher, (SELECT count(*) FROM work)::int AS work,
              (SELECT count(*) FROM authorship)::int AS authorship, (SELECT count(*) FROM work_topic)::int AS work_topic,
              (SELECT count(*) FROM researcher_topic)::int AS researcher_topic, (SELECT count(*) FROM affiliation)::int AS affiliation,
              (SELECT count(*) FROM topic)::int AS topic, (SELECT count(*) FROM institution)::int AS institution`,
    );
    expect(counts!.researcher).toBe(N);
    expect(counts).toEqual(freshLoad.rows);
    expect(counts!.work).toBe(graph.totalWorks());
    expect(counts!.work! / N).toBeGreaterThan(2.5);
    expect(counts!.work! / N).toBeLessThan(3.5);
    expect(counts!.topic).toBe(2_000);
    expect(counts!.institution).toBe(5_000);
  });

  it("writes identical content into two databases from the same seed, whatever ids they were given", async () => {
    const [a] = await query(fresh.url, CHECKSUMS);
    const [b] = await query(seeded.url, CHECKSUMS);
    expect(Object.values(a!).every((v) => typeof v === "string")).toBe(true);
    expect(b).toEqual(a);
    expect(seededLoad.firstIds.researcher).not.toBe(freshLoad.firstIds.researcher);
  });

  it("keeps rows that were there first and gives synthetic rows ids after them", async () => {
    const first = await seeded.db.researcher.findUniqueOrThrow({ where: { id: existing.researcherId } });
    expect(first.displayName).toBe("Ada Lovelace");
    const [range] = await query<{ min: number; max: number }>(
      seeded.url,
      `SELECT min(id) AS min, max(id) AS max FROM researcher WHERE openalex_id LIKE 'S%'`,
    );
    expect(range!.min).toBeGreaterThan(existing.researcherId);
    expect(range!.max - range!.min + 1).toBe(N);
    // The sequence was moved past the synthetic block, so ordinary inserts keep working.
    const later = await seeded.db.researcher.create({ data: { displayName: "Later", searchName: "later" } });
    expect(later.id).toBeGreaterThan(range!.max);
    const work = await seeded.db.work.create({ data: { type: "article", title: "After the load" } });
    expect(work.id).toBeGreaterThan(seededLoad.firstIds.work + seededLoad.rows.work - 1);
  });

  it("reuses a topic the database already has under the same name", async () => {
    const topics = await seeded.db.topic.findMany({ where: { name: graph.topics[0]!.name } });
    expect(topics.map((t) => t.id)).toEqual([existing.topicId]);
    const [linked] = await query<{ n: number }>(
      seeded.url,
      `SELECT (SELECT count(*) FROM work_topic WHERE topic_id = $1) + (SELECT count(*) FROM researcher_topic WHERE topic_id = $1) AS n`,
      [existing.topicId],
    );
    expect(Number(linked!.n)).toBeGreaterThan(0);
  });

  it("builds a clustered co-author graph: several authors per work, mostly from the same community", async () => {
    const [shape] = await query<{ multi: number; max: number; min: number; same: number; coauthors: number }>(
      fresh.url,
      `WITH per_work AS (SELECT work_id, count(*) AS n FROM authorship GROUP BY work_id),
            pairs AS (SELECT a.researcher_id AS x, b.researcher_id AS y FROM authorship a
                        JOIN authorship b ON a.work_id = b.work_id AND a.researcher_id < b.researcher_id)
       SELECT (SELECT avg((n > 1)::int) FROM per_work)::float AS multi,
              (SELECT max(n) FROM per_work)::int AS max, (SELECT min(n) FROM per_work)::int AS min,
              (SELECT avg(((x - $1) / $2 = (y - $1) / $2)::int) FROM pairs)::float AS same,
              (SELECT count(DISTINCT (x, y)) FROM pairs)::float / $3 AS coauthors`,
      [freshLoad.firstIds.researcher, COMMUNITY_SIZE, N],
    );
    expect(shape!.min).toBe(1);
    expect(shape!.max).toBe(6);
    expect(shape!.multi).toBeGreaterThan(0.8);
    expect(shape!.same).toBeGreaterThan(0.6);
    expect(shape!.same).toBeLessThan(0.95); // and some long-range links
    expect(shape!.coauthors).toBeGreaterThan(3);
  });

  it("stores each name's search form, folding accents, next to a valid ORCID when there is one", async () => {
    const rows = await query<{ display_name: string; search_name: string; orcid: string | null; verification_level: number }>(
      fresh.url,
      `SELECT display_name, search_name, orcid, verification_level FROM researcher`,
    );
    for (const r of rows) expect(r.search_name).toBe(searchName(r.display_name));
    const accented = rows.filter((r) => /[áéíóúüöøñç]/i.test(r.display_name));
    expect(accented.length).toBeGreaterThan(50);
    expect(accented.some((r) => /^[a-z ]+$/.test(r.search_name))).toBe(true);
    const withOrcid = rows.filter((r) => r.orcid !== null);
    expect(withOrcid.length / rows.length).toBeGreaterThan(0.3);
    for (const r of rows) expect(r.verification_level).toBe(r.orcid ? 1 : 0);
  });

  it("fills the name search tables in bulk: every distinct name and every word of one", async () => {
    const [names] = await query<{ missing: number; words: number; missingWords: number }>(
      fresh.url,
      `SELECT (SELECT count(DISTINCT search_name) FROM researcher r
                WHERE NOT EXISTS (SELECT 1 FROM researcher_name n WHERE n.search_name = r.search_name))::int AS missing,
              (SELECT count(*) FROM name_token)::int AS words,
              (SELECT count(DISTINCT t) FROM researcher, unnest(string_to_array(search_name, ' ')) t
                WHERE NOT EXISTS (SELECT 1 FROM name_token d WHERE d.token = t))::int AS "missingWords"`,
    );
    expect(names).toMatchObject({ missing: 0, missingWords: 0 });
    expect(names!.words).toBeGreaterThan(100);
  });

  it("puts back every index and constraint it set aside, the trigram search index included", async () => {
    const after = await query<{ name: string; definition: string }>(fresh.url, SCHEMA_OBJECTS);
    expect(after).toEqual(schemaBefore);
    expect(after.find((o) => o.name === "researcher_search_name_trgm")?.definition).toMatch(/USING gin \(search_name gin_trgm_ops\)/);
  });

  it("refuses to load a second graph on top of the first", async () => {
    await expect(loadSyntheticGraph(fresh.url, { researchers: 10, seed: SEED })).rejects.toBeInstanceOf(SyntheticDataExistsError);
    const [count] = await query<{ n: number }>(fresh.url, `SELECT count(*)::int AS n FROM researcher`);
    expect(count!.n).toBe(N);
  });

  it(
    "with reset, replaces the previous graph and what hung off it, keeping everything else",
    async () => {
      const synthetic = await seeded.db.researcher.findFirstOrThrow({ where: { openalexId: "S1" } });
      await seeded.db.follow.create({ data: { accountId: existing.accountId, researcherId: synthetic.id } });
      await seeded.db.follow.create({ data: { accountId: existing.accountId, researcherId: existing.researcherId } });

      const again = await loadSyntheticGraph(seeded.url, { researchers: 500, seed: SEED + 1, reset: true, vacuum: false });

      expect(again.deleted.researcher).toBe(N);
      expect(again.deleted.work).toBe(seededLoad.rows.work);
      const [left] = await query<Record<string, number>>(
        seeded.url,
        `SELECT (SELECT count(*) FROM researcher WHERE openalex_id LIKE 'S%')::int AS synthetic,
                (SELECT count(*) FROM researcher WHERE openalex_id IS NULL OR openalex_id NOT LIKE 'S%')::int AS other,
                (SELECT count(*) FROM follow)::int AS follows,
                (SELECT count(*) FROM topic WHERE id = $1)::int AS topic`,
        [existing.topicId],
      );
      expect(left).toEqual({ synthetic: 500, other: 2, follows: 1, topic: 1 });
      const [orphans] = await query<{ n: number }>(
        seeded.url,
        `SELECT count(*)::int AS n FROM authorship a LEFT JOIN work w ON w.id = a.work_id WHERE w.id IS NULL`,
      );
      expect(orphans!.n).toBe(0);
    },
    LOAD_TIMEOUT,
  );
});

describe("npm run db:synth", () => {
  const tsx = ["node_modules/.bin/tsx", "scripts/synth.ts"];
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(tsx[0]!, [tsx[1]!, ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it("explains a bad --researchers value and exits with a usage error", async () => {
    const result = await run(["--researchers", "0"], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--researchers must be a whole number from 1 to 5,000,000");
    expect(result.stderr).toContain("Usage:");
  });

  it(
    "loads a graph and ends with a one-line summary",
    async () => {
      const target = await createTestDatabase();
      try {
        const result = await run(["--researchers", "300", "--seed", "3"], { DATABASE_URL: target.url });
        expect(result.stderr).toContain("Timings:");
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toMatch(/^Synthesized 300 researchers, \d[\d,]* works, .* \(seed 3\) in [\d.]+s; researcher ids 1–300\.$/);
        const again = await run(["--researchers", "300"], { DATABASE_URL: target.url });
        expect(again.code).toBe(1);
        expect(again.stderr).toContain("Run again with --reset");
      } finally {
        await target.drop();
      }
    },
    LOAD_TIMEOUT,
  );
});
