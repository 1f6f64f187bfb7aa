import type { Db } from "../../db/client.js";

export interface TopicMatch {
  id: number;
  name: string;
  /** 0..1 trigram similarity; 1 for the same name ignoring case. */
  score: number;
}

/** A topic this similar is taken over a person's name ("sparse and low rank networks"). */
export const STRONG_TOPIC_MATCH = 0.6;

/** The topic's name, or null when there is no such topic. */
export async function topicName(db: Db, topicId: number): Promise<string | null> {
  const topic = await db.topic.findUnique({ where: { id: topicId }, select: { name: true } });
  return topic?.name ?? null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Topics whose name matches what the user typed: the same name, a name containing it, or a
 * trigram-similar one; best first. The topic table is a vocabulary (thousands of rows, not
 * millions), so a scan is cheap.
 */
export async function findTopics(db: Db, query: string, limit = 5): Promise<TopicMatch[]> {
  const q = query.trim();
  if (!q) return [];
  const rows = await db.$queryRaw<TopicMatch[]>`
    SELECT id, name,
           CASE WHEN lower(name) = lower(${q}) THEN 1 ELSE similarity(lower(name), lower(${q})) END::float8 AS score
    FROM topic
    WHERE lower(name) = lower(${q})
       OR (length(${q}) >= 3 AND name ILIKE '%' || ${escapeLike(q)} || '%')
       OR similarity(lower(name), lower(${q})) >= 0.3
    ORDER BY score DESC, length(name), id
    LIMIT ${limit}`;
  return rows;
}
