import { type Db, sqlPool } from "../../db/client.js";
import { utcTimestamp } from "../../db/timestamps.js";
import type { Tie } from "./tieStrength.js";

/**
 * Works with more authors than this make no tie: a consortium paper with hundreds of names says
 * nothing about who knows whom, and would make every path search fan out over all of them.
 */
export const MAX_AUTHORS_PER_TIE = 50;

/**
 * The second step out from a member, kept with the member's own ties (coauthor_reach): the ties of
 * the member's `coauthors` strongest co-authors, each one's `each` strongest. A three-hop search
 * meets the target's co-authors there instead of walking two steps out from the target.
 */
export const REACH_FANOUT = { coauthors: 200, each: 100 } as const;

/** How long precomputed ties are trusted before they are recomputed (new works may have arrived). */
export const TIE_REFRESH_MS = 24 * 60 * 60 * 1000;

export interface TieRow extends Tie {
  /** The researcher the tie was looked up from. */
  from: number;
  /** Their co-author. */
  to: number;
}

/** A path from a member's record to the target: ids from the member to the target, ties between them. */
export interface Meeting {
  member: number;
  ids: number[];
  ties: Tie[];
}

interface RawMeeting {
  hops: number;
  member: number;
  a: number | null;
  b: number | null;
  s1: number | null;
  y1: number | null;
  s2: number | null;
  y2: number | null;
  s3: number | null;
  y3: number | null;
}

interface RawTie {
  from: number;
  to: number;
  sharedWorks: number;
  lastYear: number | null;
}

// The co-authors of the researchers `ids` (an int[] expression) with the works they share. Used
// live for any researcher (capped per researcher) and to fill coauthor_tie for members.
const tiesOf = (ids: string) => `
  SELECT a1.researcher_id AS "from", a2.researcher_id AS "to", count(*)::int AS "sharedWorks", max(w.publication_year) AS "lastYear"
  FROM authorship a1
  JOIN work w ON w.id = a1.work_id
  JOIN authorship a2 ON a2.work_id = a1.work_id AND a2.researcher_id <> a1.researcher_id
  WHERE a1.researcher_id = ANY(${ids})
    AND (SELECT count(*) FROM (SELECT 1 FROM authorship n WHERE n.work_id = a1.work_id LIMIT ${MAX_AUTHORS_PER_TIE + 1}) c) <= ${MAX_AUTHORS_PER_TIE}
  GROUP BY a1.researcher_id, a2.researcher_id`;

// The strongest `cap` co-authors of each of the researchers `ids`.
const rankedTiesOf = (ids: string, cap: string) => `
  SELECT "from", "to", "sharedWorks", "lastYear" FROM (
    SELECT t.*, row_number() OVER (PARTITION BY t."from" ORDER BY t."sharedWorks" DESC, t."lastYear" DESC NULLS LAST, t."to") AS rank
    FROM (${tiesOf(ids)}) t
  ) ranked WHERE rank <= ${cap}`;

// Every path of up to three hops from the members $2 to the target $1 that the kept ties hold,
// with the target's strongest $3 co-authors computed live: one statement, so a search is one
// round trip. Each row is a member, up to two researchers between them and the target, and the
// ties along the way (a tie's shared works and latest year: s1/y1 from the member on). A member
// reached in one or two hops is not looked for further out. The LATERAL … OFFSET 0 steps keep
// the plan what the data calls for whatever the statistics say (the target's few co-authors, each
// probed in the co-author indexes): left to itself, the planner hashed whole tables when the kept
// ties had not been analysed yet, 50 times slower. The members test stays outside those steps, a
// filter on the few ties of one co-author: inside, the planner put "researcher_id = ANY(members)"
// into the index condition, and PostgreSQL descends the index once per array element (200 members:
// 0.1 ms a probe, 42 ms a search instead of 2).
const MEETINGS = `
  WITH first AS MATERIALIZED (${rankedTiesOf("ARRAY[$1::int]", "$3")}),
  near AS MATERIALIZED (
    SELECT 1 AS hops, t.researcher_id AS member, NULL::int AS a, NULL::int AS b,
           t.shared_works AS s1, t.last_year AS y1, NULL::int AS s2, NULL::int AS y2
    FROM coauthor_tie t WHERE t.coauthor_id = $1 AND t.researcher_id = ANY($2::int[])
    UNION ALL
    SELECT 1, f."to", NULL, NULL, f."sharedWorks", f."lastYear", NULL, NULL FROM first f WHERE f."to" = ANY($2::int[])
    UNION ALL
    SELECT 2, t.researcher_id, f."to", NULL, t.shared_works, t.last_year, f."sharedWorks", f."lastYear"
    FROM first f
    CROSS JOIN LATERAL (SELECT * FROM coauthor_tie t WHERE t.coauthor_id = f."to" OFFSET 0) t
    WHERE t.researcher_id = ANY($2::int[])
  )
  SELECT *, NULL::int AS s3, NULL::int AS y3 FROM near
  UNION ALL
  SELECT 3, m.researcher_id, m.coauthor_id, f."to", m.shared_works, m.last_year, r.shared_works, r.last_year, f."sharedWorks", f."lastYear"
  FROM first f
  CROSS JOIN LATERAL (SELECT * FROM coauthor_reach r WHERE r.coauthor_id = f."to" AND r.researcher_id <> $1 OFFSET 0) r
  CROSS JOIN LATERAL (SELECT * FROM coauthor_tie m WHERE m.coauthor_id = r.researcher_id OFFSET 0) m
  WHERE m.researcher_id = ANY($2::int[]) AND m.researcher_id <> f."to" AND m.researcher_id NOT IN (SELECT member FROM near)`;

/**
 * Co-authorship ties. The members' side is precomputed (coauthor_tie, one row per member researcher
 * and co-author), so a path search reads it from an index by co-author however many co-authors a
 * member has; any other researcher's ties are computed from authorship when needed, capped.
 */
export class CoauthorTies {
  constructor(
    private readonly db: Db,
    private readonly refreshMs = TIE_REFRESH_MS,
  ) {}

  /**
   * Until when each researcher's ties are known to be fresh (their computed_at plus the refresh
   * period), so a search does not ask again. Safe across processes: another process recomputing
   * them only makes them fresher.
   */
  private readonly freshUntil = new Map<number, number>();

  /**
   * Every path of up to three hops from the members `memberIds` to the target that the kept ties
   * hold (their ties, their strongest co-authors' ties) through the target's strongest `targetCap`
   * co-authors, in one statement over the ties' co-author indexes. Several per member; the
   * caller keeps each member's best.
   */
  async meetings(targetId: number, memberIds: readonly number[], targetCap: number): Promise<Meeting[]> {
    if (memberIds.length === 0) return [];
    const { rows } = await sqlPool(this.db).query<RawMeeting>({
      name: "coauthor-meetings",
      text: MEETINGS,
      values: [targetId, [...new Set(memberIds)], targetCap],
    });
    return rows.map((r) => {
      const tie = (sharedWorks: number | null, lastYear: number | null): Tie => ({ sharedWorks: sharedWorks ?? 0, lastYear });
      const ids = [r.member, ...(r.a === null ? [] : [r.a]), ...(r.b === null ? [] : [r.b]), targetId];
      const ties = [tie(r.s1, r.y1), ...(r.hops > 1 ? [tie(r.s2, r.y2)] : []), ...(r.hops > 2 ? [tie(r.s3, r.y3)] : [])];
      return { member: r.member, ids, ties };
    });
  }

  /**
   * Precomputed ties from any of `fromIds` (member researchers) to any of `toIds`: the meeting
   * point of a search from the members' side and one from the target's.
   */
  async between(fromIds: readonly number[], toIds: readonly number[]): Promise<TieRow[]> {
    if (fromIds.length === 0 || toIds.length === 0) return [];
    const { rows } = await sqlPool(this.db).query<RawTie>({
      name: "coauthor-ties-between",
      text: `
        SELECT researcher_id AS "from", coauthor_id AS "to", shared_works AS "sharedWorks", last_year AS "lastYear"
        FROM coauthor_tie WHERE coauthor_id = ANY($2::int[]) AND researcher_id = ANY($1::int[])`,
      values: [[...new Set(fromIds)], [...new Set(toIds)]],
    });
    return rows;
  }

  /** Makes sure the members' researchers have precomputed ties no older than the refresh period. */
  async ensureFresh(researcherIds: readonly number[], now: Date): Promise<void> {
    const at = now.getTime();
    const unsure = [...new Set(researcherIds)].filter((id) => (this.freshUntil.get(id) ?? -Infinity) <= at);
    if (unsure.length === 0) return;
    const { rows } = await sqlPool(this.db).query<{ id: number; computedMs: number | null }>({
      name: "coauthor-ties-computed",
      text: `
        SELECT r.id, (extract(epoch FROM s.computed_at) * 1000)::float8 AS "computedMs" FROM unnest($1::int[]) AS r(id)
        LEFT JOIN coauthor_tie_source s ON s.researcher_id = r.id`,
      values: [unsure],
    });
    const stale: number[] = [];
    for (const { id, computedMs } of rows) {
      const until = computedMs === null ? -Infinity : computedMs + this.refreshMs;
      if (until > at) this.freshUntil.set(id, until);
      else stale.push(id);
    }
    await this.recompute(stale, now);
  }

  /**
   * Replaces the researchers' precomputed ties with what authorship says now, and keeps the ties of
   * their strongest co-authors (coauthor_reach, REACH_FANOUT) up to date with them.
   */
  async recompute(researcherIds: readonly number[], now: Date): Promise<void> {
    if (researcherIds.length === 0) return;
    const ids = [...new Set(researcherIds)];
    const client = await sqlPool(this.db).connect();
    try {
      await client.query("BEGIN");
      // Two searches refreshing the same member at once: the second waits, then finds it fresh.
      await client.query("SELECT 1 FROM coauthor_tie_source WHERE researcher_id = ANY($1::int[]) FOR UPDATE", [ids]);
      await client.query("DELETE FROM coauthor_tie WHERE researcher_id = ANY($1::int[])", [ids]);
      await client.query(
        `INSERT INTO coauthor_tie (researcher_id, coauthor_id, shared_works, last_year)
         SELECT "from", "to", "sharedWorks", "lastYear" FROM (${tiesOf("$1::int[]")}) t
         ON CONFLICT DO NOTHING`,
        [ids],
      );
      await client.query(
        `INSERT INTO coauthor_tie_source (researcher_id, computed_at) SELECT unnest($1::int[]), $2::timestamp
         ON CONFLICT (researcher_id) DO UPDATE SET computed_at = excluded.computed_at`,
        [ids, utcTimestamp(now)],
      );
      // A co-author's reach rows may be another member's too: they are upserted, never deleted
      // here, so two members refreshing at once cannot take each other's away.
      await client.query(
        `WITH via AS (
           SELECT DISTINCT coauthor_id AS id FROM (
             SELECT coauthor_id, row_number() OVER (PARTITION BY researcher_id ORDER BY shared_works DESC, last_year DESC NULLS LAST, coauthor_id) AS rank
             FROM coauthor_tie WHERE researcher_id = ANY($1::int[])
           ) t WHERE rank <= $3
         )
         INSERT INTO coauthor_reach (researcher_id, coauthor_id, shared_works, last_year)
         SELECT "from", "to", "sharedWorks", "lastYear"
         FROM (${rankedTiesOf("(SELECT array_agg(id) FROM via)::int[]", "$2")}) reach
         ON CONFLICT (researcher_id, coauthor_id) DO UPDATE SET shared_works = excluded.shared_works, last_year = excluded.last_year`,
        [ids, REACH_FANOUT.each, REACH_FANOUT.coauthors],
      );
      await client.query("COMMIT");
      for (const id of ids) this.freshUntil.set(id, now.getTime() + this.refreshMs);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
