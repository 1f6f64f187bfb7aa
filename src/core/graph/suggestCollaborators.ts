import type { Db } from "../../db/client.js";

export interface Suggestion {
  researcherId: number;
  name: string;
  /** Claimed researchers can receive an invitation. */
  claimed: boolean;
  score: number;
  /** One line: why this person, e.g. "3 shared topics; co-author of Michael Carbin, who wrote with Jonathan Frankle". */
  reason: string;
}

export const SUGGESTION_LIMIT = 8;
/** Co-authors whose own co-authors are considered (the strongest first), so prolific people stay cheap. */
const SEED_COAUTHORS = 50;
/** The researcher's topics that are compared (heaviest first). */
const SEED_TOPICS = 10;
/** A mutual co-author says more than a shared topic. */
const MUTUAL_WEIGHT = 2;
/** Claimed people can be invited, so they rank higher among similar candidates. */
const CLAIMED_BONUS = 1.5;
/**
 * Candidates ranked by graph score alone before researcher rows are read: the claimed bonus is
 * applied within this shortlist, so a popular topic's thousands of members never reach a join
 * with the researcher table (which the planner would otherwise do as a full scan).
 */
const SHORTLIST = 200;

type Row = {
  id: number;
  name: string;
  claimed: boolean;
  mutual: number;
  via: number[];
  shared_topics: number;
  score: number;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * People near a researcher in the co-author/topic graph who have not written with them yet:
 * co-authors of their co-authors and people sharing their topics, scored
 * (MUTUAL_WEIGHT × mutual co-authors + shared topics, × CLAIMED_BONUS when claimed).
 */
export async function suggestForResearcher(db: Db, researcherId: number, subjectName: string, limit = SUGGESTION_LIMIT): Promise<Suggestion[]> {
  const rows = await db.$queryRaw<Row[]>`
    WITH co AS (
      SELECT other.researcher_id AS id, count(*) AS shared
      FROM authorship mine
      JOIN authorship other ON other.work_id = mine.work_id AND other.researcher_id <> mine.researcher_id
      WHERE mine.researcher_id = ${researcherId}
      GROUP BY other.researcher_id
    ), seeds AS (
      SELECT id FROM co ORDER BY shared DESC, id LIMIT ${SEED_COAUTHORS}
    ), fof AS (
      SELECT b.researcher_id AS id, count(DISTINCT s.id)::int AS mutual, (array_agg(DISTINCT s.id))[1:2] AS via
      FROM seeds s
      JOIN authorship a ON a.researcher_id = s.id
      JOIN authorship b ON b.work_id = a.work_id AND b.researcher_id <> s.id
      WHERE b.researcher_id <> ${researcherId} AND NOT EXISTS (SELECT 1 FROM co WHERE co.id = b.researcher_id)
      GROUP BY b.researcher_id
    ), my_topics AS (
      SELECT topic_id FROM researcher_topic WHERE researcher_id = ${researcherId} ORDER BY weight DESC, topic_id LIMIT ${SEED_TOPICS}
    ), peers AS (
      SELECT rt.researcher_id AS id, count(*)::int AS shared_topics
      FROM my_topics mt JOIN researcher_topic rt ON rt.topic_id = mt.topic_id
      WHERE rt.researcher_id <> ${researcherId} AND NOT EXISTS (SELECT 1 FROM co WHERE co.id = rt.researcher_id)
      GROUP BY rt.researcher_id
    ), candidates AS MATERIALIZED (
      SELECT coalesce(f.id, p.id) AS id, coalesce(f.mutual, 0) AS mutual, coalesce(f.via, '{}') AS via,
             coalesce(p.shared_topics, 0) AS shared_topics,
             ${MUTUAL_WEIGHT} * coalesce(f.mutual, 0) + coalesce(p.shared_topics, 0) AS base
      FROM fof f FULL JOIN peers p ON p.id = f.id
      ORDER BY base DESC, id
      LIMIT ${SHORTLIST}
    )
    SELECT c.id, r.display_name AS name, r.claimed_by_account_id IS NOT NULL AS claimed, c.mutual, c.via, c.shared_topics,
           (c.base * CASE WHEN r.claimed_by_account_id IS NULL THEN 1 ELSE ${CLAIMED_BONUS}::float8 END)::float8 AS score
    FROM candidates c JOIN researcher r ON r.id = c.id
    ORDER BY score DESC, r.cited_by_count DESC, c.id
    LIMIT ${limit}`;
  const viaIds = [...new Set(rows.flatMap((r) => r.via))];
  const viaNames = new Map(
    (await db.researcher.findMany({ where: { id: { in: viaIds } }, select: { id: true, displayName: true } })).map((r) => [r.id, r.displayName]),
  );
  return rows.map((r) => {
    const reasons: string[] = [];
    if (r.shared_topics) reasons.push(plural(r.shared_topics, "shared topic"));
    if (r.mutual) {
      const named = r.via
        .map((id) => viaNames.get(id))
        .filter((n): n is string => Boolean(n))
        .join(" and ");
      reasons.push(
        r.mutual > named.split(" and ").length
          ? `co-author of ${r.mutual} of ${subjectName}'s co-authors, e.g. ${named}`
          : `co-author of ${named}, who wrote with ${subjectName}`,
      );
    }
    if (r.claimed) reasons.push("claimed: can receive invitations");
    return { researcherId: r.id, name: r.name, claimed: r.claimed, score: r.score, reason: reasons.join("; ") };
  });
}

type TopicMemberRow = { id: number; name: string; claimed: boolean; weight: number; topic_coauthors: number; score: number };

/** Topic members whose own works in the topic weigh most (the heaviest this many are examined). */
const TOPIC_POOL = 60;

/**
 * The most central researchers of a topic: the most works on it, plus co-authors who also work on
 * it (the topic's own co-author graph), claimed ones preferred.
 */
export async function suggestForTopic(db: Db, topicId: number, topicName: string, limit = SUGGESTION_LIMIT): Promise<Suggestion[]> {
  const rows = await db.$queryRaw<TopicMemberRow[]>`
    WITH pool AS (
      SELECT researcher_id AS id, weight FROM researcher_topic WHERE topic_id = ${topicId}
      ORDER BY weight DESC, researcher_id LIMIT ${TOPIC_POOL}
    ), scored AS (
      SELECT p.id, p.weight,
             (SELECT count(DISTINCT b.researcher_id)
              FROM authorship a
              JOIN authorship b ON b.work_id = a.work_id AND b.researcher_id <> a.researcher_id
              JOIN researcher_topic rt ON rt.researcher_id = b.researcher_id AND rt.topic_id = ${topicId}
              WHERE a.researcher_id = p.id)::int AS topic_coauthors
      FROM pool p
    )
    SELECT s.id, r.display_name AS name, r.claimed_by_account_id IS NOT NULL AS claimed, s.weight, s.topic_coauthors,
           ((s.weight + 0.5 * s.topic_coauthors) * CASE WHEN r.claimed_by_account_id IS NULL THEN 1 ELSE ${CLAIMED_BONUS}::float8 END)::float8 AS score
    FROM scored s JOIN researcher r ON r.id = s.id
    ORDER BY score DESC, r.cited_by_count DESC, s.id
    LIMIT ${limit}`;
  return rows.map((r) => {
    const reasons = [`${plural(r.weight, "work")} on ${topicName}`];
    if (r.topic_coauthors) reasons.push(`${plural(r.topic_coauthors, "co-author")} in this topic`);
    if (r.claimed) reasons.push("claimed: can receive invitations");
    return { researcherId: r.id, name: r.name, claimed: r.claimed, score: r.score, reason: reasons.join("; ") };
  });
}
