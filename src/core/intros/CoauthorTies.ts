import { type Db, sqlPool } from "../../db/client.js";
import { utcTimestamp } from "../../db/timestamps.js";
import type { Tie } from "./tieStrength.js";

/**
 * Works with more authors than this make no tie: a consortium paper with hundreds of names says
 * nothing about who knows whom, and would make every path search fan out over all of them.
 */
export const MAX_AUTHORS_PER_TIE = 50;

/** How long precomputed ties are trusted before they are recomputed (new works may have arrived). */
export const TIE_REFRESH_MS = 24 * 60 * 60 * 1000;

export interface TieRow extends Tie {
  /** The researcher the tie was looked up from. */
  from: number;
  /** Their co-author. */
  to: number;
}

interface RawTie {
  from: number;
  to: number;
  sharedWorks: number;
  lastYear: number | null;
}

// The co-authors of $1's researchers with the works they share. Used live for any researcher
// (capped per researcher) and to fill coauthor_tie for members.
const TIES_OF = `
  SELECT a1.researcher_id AS "from", a2.researcher_id AS "to", count(*)::int AS "sharedWorks", max(w.publication_year) AS "lastYear"
  FROM authorship a1
  JOIN work w ON w.id = a1.work_id
  JOIN authorship a2 ON a2.work_id = a1.work_id AND a2.researcher_id <> a1.researcher_id
  WHERE a1.researcher_id = ANY($1::int[])
    AND (SELECT count(*) FROM (SELECT 1 FROM authorship n WHERE n.work_id = a1.work_id LIMIT ${MAX_AUTHORS_PER_TIE + 1}) c) <= ${MAX_AUTHORS_PER_TIE}
  GROUP BY a1.researcher_id, a2.researcher_id`;

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
   * Each researcher's strongest `perResearcher` co-authors (most shared works, then most recent),
   * computed from authorship.
   */
  async live(researcherIds: readonly number[], perResearcher: number): Promise<TieRow[]> {
    if (researcherIds.length === 0) return [];
    const { rows } = await sqlPool(this.db).query<RawTie>({
      text: `
        SELECT "from", "to", "sharedWorks", "lastYear" FROM (
          SELECT t.*, row_number() OVER (PARTITION BY t."from" ORDER BY t."sharedWorks" DESC, t."lastYear" DESC NULLS LAST, t."to") AS rank
          FROM (${TIES_OF}) t
        ) ranked WHERE rank <= $2`,
      values: [[...new Set(researcherIds)], perResearcher],
    });
    return rows;
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
    if (researcherIds.length === 0) return;
    const { rows } = await sqlPool(this.db).query<{ id: number }>({
      name: "coauthor-ties-stale",
      text: `
        SELECT r.id FROM unnest($1::int[]) AS r(id)
        LEFT JOIN coauthor_tie_source s ON s.researcher_id = r.id
        WHERE s.researcher_id IS NULL OR s.computed_at < $2::timestamp`,
      values: [[...new Set(researcherIds)], utcTimestamp(new Date(now.getTime() - this.refreshMs))],
    });
    if (rows.length)
      await this.recompute(
        rows.map((r) => r.id),
        now,
      );
  }

  /** Replaces the researchers' precomputed ties with what authorship says now. */
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
         SELECT "from", "to", "sharedWorks", "lastYear" FROM (${TIES_OF}) t
         ON CONFLICT DO NOTHING`,
        [ids],
      );
      await client.query(
        `INSERT INTO coauthor_tie_source (researcher_id, computed_at) SELECT unnest($1::int[]), $2::timestamp
         ON CONFLICT (researcher_id) DO UPDATE SET computed_at = excluded.computed_at`,
        [ids, utcTimestamp(now)],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
