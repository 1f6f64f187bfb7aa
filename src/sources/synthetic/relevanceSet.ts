// A relevance test set over a synthetic graph: queries the way people type names (exactly, with one
// or two typos, in the other order, as initials, without the middle initial, without accents), each
// with the one researcher it must find. Used by `npm run bench -- lookup` at 1M researchers and by
// test/core/searchRelevance.test.ts on a small graph, so a change to name search is judged on quality
// as well as speed.
import type pg from "pg";
import { searchName } from "../../core/text.js";

export type QueryKind = "exact" | "one typo" | "two typos" | "swapped order" | "initial" | "no middle initial" | "no accents";

export interface RelevanceQuery {
  kind: QueryKind;
  query: string;
  /** the researcher the query must find (their name is carried by nobody else) */
  expectedId: number;
}

/** Swaps two neighbouring, different letters near the middle of a word: a typo every keyboard makes. */
export function typoIn(word: string): string {
  if (word.length < 4) return word;
  for (let i = Math.floor(word.length / 2); i < word.length; i++) {
    if (word[i] !== word[i - 1]) return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  }
  return word;
}

const isInitial = (w: string) => /^\p{L}\.$/u.test(w);

/** Every query kind that applies to `displayName` (a name of 2–3 words, the middle one an initial). */
export function variantsOf(displayName: string, expectedId: number): RelevanceQuery[] {
  const words = displayName.split(" ");
  const first = words[0]!;
  const last = words[words.length - 1]!;
  const middle = words.slice(1, -1);
  const out: RelevanceQuery[] = [{ kind: "exact", query: displayName, expectedId }];
  const add = (kind: QueryKind, query: string) => {
    if (query !== displayName) out.push({ kind, query, expectedId });
  };
  add("one typo", [...words.slice(0, -1), typoIn(last)].join(" "));
  add("two typos", [typoIn(first), ...middle, typoIn(last)].join(" "));
  add("swapped order", [last, first, ...middle].join(" "));
  add("initial", `${first[0]}. ${last}`);
  if (middle.some(isInitial)) add("no middle initial", `${first} ${last}`);
  if (/[^\x20-\x7e]/.test(displayName)) add("no accents", searchName(displayName));
  return out;
}

/**
 * `targets` researchers spread over the id range whose search name nobody else carries (so "the
 * expected researcher" is well defined), half of them with a middle initial and a fifth with accents
 * where the graph has them, and their queries. Deterministic for a given database.
 */
export async function relevanceSet(client: pg.Pool | pg.Client, targets: number): Promise<RelevanceQuery[]> {
  const pick = async (where: string, n: number) => {
    const { rows } = await client.query<{ id: number; display_name: string }>(
      `WITH spread AS (
         SELECT r.id, r.display_name FROM researcher r
         WHERE ${where} AND NOT EXISTS (SELECT 1 FROM researcher o WHERE o.search_name = r.search_name AND o.id <> r.id)
         ORDER BY hashint4(r.id) LIMIT $1)
       SELECT * FROM spread ORDER BY id`,
      [n],
    );
    return rows;
  };
  const withMiddle = await pick(`r.display_name ~ ' [A-Z]\\. '`, Math.floor(targets / 2));
  const accented = await pick(`r.display_name ~ '[^ -~]' AND r.display_name !~ ' [A-Z]\\. '`, Math.floor(targets / 5));
  const rest = await pick(`r.display_name !~ '[^ -~]' AND r.display_name !~ ' [A-Z]\\. '`, targets - withMiddle.length - accented.length);
  const set: RelevanceQuery[] = [];
  for (const r of [...withMiddle, ...accented, ...rest]) {
    for (const q of variantsOf(r.display_name, r.id)) if (await hasOneAnswer(client, q)) set.push(q);
  }
  return set;
}

/**
 * Whether the researcher a shortened query ("P. López", "Pedro López" for Pedro D. López) must find
 * is the only one it describes: with another Pedro López in the graph, "the expected researcher"
 * would be a coin toss, not a measure of search quality. Other kinds keep the full name.
 */
async function hasOneAnswer(client: pg.Pool | pg.Client, q: RelevanceQuery): Promise<boolean> {
  if (q.kind !== "initial" && q.kind !== "no middle initial") return true;
  const [first, ...rest] = searchName(q.query).split(" ");
  const last = rest.join(" ");
  const like = q.kind === "initial" ? `${first}% ${last}` : `${first} ${last}`;
  const likeMiddle = q.kind === "initial" ? like : `${first} _ ${last}`;
  const { rows } = await client.query("SELECT 1 FROM researcher WHERE id <> $1 AND (search_name LIKE $2 OR search_name LIKE $3) LIMIT 1", [
    q.expectedId,
    like,
    likeMiddle,
  ]);
  return rows.length === 0;
}

export interface Recall {
  queries: number;
  at1: number;
  at5: number;
  byKind: Record<string, { queries: number; at1: number; at5: number }>;
}

/** Recall@1 and @5 of `rank` (ids best first) over `set`. */
export async function measureRecall(set: RelevanceQuery[], rank: (query: string) => Promise<number[]>): Promise<Recall> {
  const recall: Recall = { queries: 0, at1: 0, at5: 0, byKind: {} };
  for (const q of set) {
    const ids = await rank(q.query);
    const kind = (recall.byKind[q.kind] ??= { queries: 0, at1: 0, at5: 0 });
    const hit1 = ids[0] === q.expectedId ? 1 : 0;
    const hit5 = ids.slice(0, 5).includes(q.expectedId) ? 1 : 0;
    recall.queries++;
    kind.queries++;
    recall.at1 += hit1;
    kind.at1 += hit1;
    recall.at5 += hit5;
    kind.at5 += hit5;
  }
  return recall;
}
