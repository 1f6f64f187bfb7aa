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

/** A typed word this close to a word of a topic's name ("prunning" ~ "pruning") finds the topic. */
const WORD_MATCH = 0.5;
/** A topic found by one of its words ranks a little below one found by its whole name. */
const WORD_WEIGHT = 0.9;

/**
 * Topics whose name matches what the user typed: the same name, a name containing it, a
 * trigram-similar one, or one with a word like it ("sparce" finds "Sparse and Low-Rank Neural
 * Networks"); best first. The topic table is a vocabulary (thousands of rows, not millions), so a
 * scan is cheap.
 */
export async function findTopics(db: Db, query: string, limit = 5): Promise<TopicMatch[]> {
  const q = query.trim();
  if (!q) return [];
  const rows = await db.$queryRaw<TopicMatch[]>`
    SELECT id, name,
           CASE WHEN lower(name) = lower(${q}) THEN 1
                ELSE greatest(similarity(lower(name), lower(${q})), ${WORD_WEIGHT} * word_similarity(lower(${q}), lower(name))) END::float8 AS score
    FROM topic
    WHERE lower(name) = lower(${q})
       OR (length(${q}) >= 3 AND name ILIKE '%' || ${escapeLike(q)} || '%')
       OR similarity(lower(name), lower(${q})) >= 0.3
       OR (length(${q}) >= 4 AND word_similarity(lower(${q}), lower(name)) >= ${WORD_MATCH})
    ORDER BY score DESC, length(name), id
    LIMIT ${limit}`;
  return rows;
}

export interface TopicOfWorks {
  id: number;
  name: string;
  /** How many of the works found carry the topic. */
  works: number;
}

/** Works examined for a word: enough to rank topics, and a bound on the cost for a common word. */
const TITLE_SAMPLE = 500;

/**
 * Topics of the works whose titles have a word starting with `word` ("pruning" → the topics of
 * "What is the State of Neural Network Pruning?"), most frequent first: what a subject that names no
 * topic is filed under.
 */
export async function topicsOfWorksTitled(db: Db, word: string, limit = 3): Promise<TopicOfWorks[]> {
  const w = word.trim();
  if (w.length < 4 || !/^[\p{L}\p{N}-]+$/u.test(w)) return [];
  const pattern = `\\m${w.replace(/[^\p{L}\p{N}]/gu, (c) => `\\${c}`)}`;
  return db.$queryRaw<TopicOfWorks[]>`
    SELECT t.id, t.name, count(*)::int AS works
    FROM (SELECT id FROM work WHERE title ~* ${pattern} LIMIT ${TITLE_SAMPLE}) w
    JOIN work_topic wt ON wt.work_id = w.id
    JOIN topic t ON t.id = wt.topic_id
    GROUP BY t.id, t.name
    ORDER BY works DESC, t.id
    LIMIT ${limit}`;
}
