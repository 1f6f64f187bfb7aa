import { type Db, Prisma } from "../../db/client.js";
import { searchName } from "../text.js";
import { parseResearcherRef } from "./identifiers.js";

export interface Candidate {
  id: number;
  displayName: string;
  /** 0..1: how well the name matches (1 = same normalised name). */
  score: number;
  citedByCount: number;
}

export type SearchResult =
  /** exact: an id, or the one researcher with exactly this (normalised) name; else a confident fuzzy match */
  | { kind: "found"; researcherId: number; exact: boolean }
  | { kind: "ambiguous"; candidates: Candidate[] }
  | { kind: "none"; suggestions: Candidate[] };

/** Below this a name is not considered a match (pg_trgm's own default threshold). */
const MATCH = 0.3;
/** A lone match this good is taken even with typos ("Jonathon Frankel" → Jonathan Frankle). */
const CONFIDENT = 0.45;
/** Matches within this distance of the best are shown together as a pick list. */
const CLOSE = 0.12;
// When no name has a word like the one typed, names similar to it as a whole ("jonathanfrankle")
// (TRIGRAM_SIMILARITY_THRESHOLD); a name is scored only if each typed word matches one of its words
// at least TRIGRAM_WORD_SIMILARITY_THRESHOLD… Both are set on every connection (db/sessionSettings.ts).
/** …and gets full credit only if each matches at least this well (else half: a suggestion at most). */
const TOKEN_MATCH = 0.5;
/** A typed word stands for at most this many dictionary words, the most similar ones. */
const ALTERNATIVES_PER_WORD = 8;
/**
 * …and only those nearly as similar as the best one: a word typed right ("tamar") stands for itself
 * and its near neighbours, not for every name word that shares its first letters ("takahashi").
 */
const RELATIVE_ALTERNATIVE = 0.6;
/**
 * A typed word that is no name word at all (a correctly typed word keeps to its trigram neighbours,
 * so common names cost what they did) and is one edit away from a word of the name (a letter wrong, missing, extra, or two swapped:
 * "wbeer" for weber, found through name_token_variant) counts as matching it this well, whatever
 * trigram similarity says: short words with a typo share almost no trigrams with the right one.
 */
const NEAR_CREDIT = 0.6;
/** Words beyond this many still count in the score but not in the index filter. */
const MAX_FILTER_WORDS = 4;

export class ResearcherSearch {
  constructor(private readonly db: Db) {}

  /** Resolves what a user typed (name, ORCID iD, OpenAlex id) to one researcher, a pick list, or nothing. */
  async find(input: string): Promise<SearchResult> {
    const ref = parseResearcherRef(input);
    if (ref.kind === "doi" || ref.kind === "arxiv") return this.authorsOfWork(ref.kind === "doi" ? { doi: ref.doi } : { arxivId: ref.arxivId });
    if (ref.kind !== "name") {
      const where = ref.kind === "orcid" ? { orcid: ref.orcid } : ref.kind === "openalex" ? { openalexId: ref.openalexId } : { id: ref.id };
      const row = await this.db.researcher.findUnique({ where, select: { id: true } });
      return row ? { kind: "found", researcherId: row.id, exact: true } : { kind: "none", suggestions: [] };
    }
    const candidates = await this.candidates(ref.name, 10);
    const good = candidates.filter((c) => c.score >= MATCH);
    const best = good[0];
    if (!best) return { kind: "none", suggestions: candidates.filter((c) => c.score >= 0.15).slice(0, 3) };
    const close = good.filter((c) => c.score >= best.score - CLOSE);
    const exact = close.filter((c) => c.score >= 0.999);
    if (exact.length === 1 || (close.length === 1 && best.score >= CONFIDENT)) {
      return { kind: "found", researcherId: (exact[0] ?? best).id, exact: exact.length === 1 };
    }
    return { kind: "ambiguous", candidates: close.slice(0, 5) };
  }

  /** The stored authors of a work, in order: one is found, several are a pick list. */
  private async authorsOfWork(where: { doi: string } | { arxivId: string }): Promise<SearchResult> {
    const work = await this.db.work.findFirst({
      where,
      select: {
        authorships: { orderBy: { position: "asc" }, select: { researcher: { select: { id: true, displayName: true, citedByCount: true } } } },
      },
    });
    const people = work?.authorships.map((a) => a.researcher) ?? [];
    if (people.length === 1) return { kind: "found", researcherId: people[0]!.id, exact: true };
    if (people.length === 0) return { kind: "none", suggestions: [] };
    return { kind: "ambiguous", candidates: people.map((p) => ({ id: p.id, displayName: p.displayName, score: 1, citedByCount: p.citedByCount })) };
  }

  /**
   * Ranked name matches: by match quality, then prominence (citations).
   * Exact normalised names come from a B-tree lookup. Otherwise the GIN trigram index over distinct
   * names (researcher_name) finds candidate names, which are scored and joined back to the
   * researchers who carry them.
   */
  async candidates(name: string, limit: number): Promise<Candidate[]> {
    const q = searchName(name);
    if (!q) return [];
    const exact = await this.db.$queryRaw<Row[]>`
      SELECT id, display_name, cited_by_count, 1::float8 AS score
      FROM researcher WHERE search_name = ${q}
      ORDER BY cited_by_count DESC, id LIMIT ${limit}`;
    if (exact.length) return exact.map(toCandidate);
    return (await this.fuzzy(q, limit)).map(toCandidate);
  }

  private async fuzzy(q: string, limit: number): Promise<Row[]> {
    const tokens = q.split(" ");
    // Every typed word must roughly match a word of the name, or "Jonathan Zzyzx" would find every Jonathan.
    return this.db.$queryRaw<Row[]>`
        WITH ${candidateNames(q, tokens)},
        names AS (
          SELECT n.search_name,
                 similarity(n.search_name, ${q}) AS whole,
                 word_similarity(${q}, n.search_name) AS word,
                 (SELECT min(greatest(word_similarity(u.t, n.search_name), CASE WHEN n.tokens && a.near THEN ${NEAR_CREDIT}::float8 ELSE 0::float8 END))
                  FROM unnest(${tokens}::text[]) AS u(t) LEFT JOIN alternatives a ON a.t = u.t) AS weakest
          FROM candidates n
        ), scored AS (
          SELECT search_name,
                 (CASE WHEN ${tokens.length} = 1 THEN greatest(whole, word * 0.95)
                       WHEN weakest >= ${TOKEN_MATCH} THEN whole
                       ELSE whole * 0.5 END)::float8 AS score
          FROM names
          ORDER BY score DESC, search_name
          LIMIT ${limit * 4}
        )
        SELECT r.id, r.display_name, r.cited_by_count, s.score
        FROM scored s JOIN researcher r ON r.search_name = s.search_name
        ORDER BY s.score DESC, r.cited_by_count DESC, r.id
        LIMIT ${limit}`;
  }
}

interface Row {
  id: number;
  display_name: string;
  score: number;
  cited_by_count: number;
}

const toCandidate = (r: Row): Candidate => ({ id: r.id, displayName: r.display_name, score: r.score, citedByCount: r.cited_by_count });

/**
 * `candidates`: the distinct names worth scoring (a CTE).
 *
 * Each typed word is first matched against the dictionary of name words (name_token, a few hundred
 * thousand rows even for a huge graph) by word similarity; a name is a candidate when, for every
 * typed word, it contains one of that word's matches. The second step is exact array containment on
 * researcher_name.tokens (GIN), so a short or common word, with or without a typo, costs a lookup
 * in the small dictionary instead of a trigram scan over every name.
 *
 * One word that no name word resembles may still be a whole name typed without spaces: then, and
 * only then, names similar to it as a whole are scanned for.
 */
function candidateNames(q: string, tokens: string[]): Prisma.Sql {
  // Initials ("M." in "Sara M. Watanabe") are left to the score: a one-letter word resembles every
  // word that starts with that letter, so as a filter it costs much and narrows little.
  const words = tokens.filter((t) => t.length > 1);
  const filtered = (words.length ? words : tokens).slice(0, MAX_FILTER_WORDS);
  const containsEach = Prisma.join(
    filtered.map((_, i) => Prisma.sql`n.tokens && (SELECT words FROM alternatives WHERE i = ${i + 1})`),
    " AND ",
  );
  return Prisma.sql`typed AS (
      SELECT t, i FROM unnest(${filtered}::text[]) WITH ORDINALITY AS u(t, i)
    ), alternatives AS (
      SELECT typed.i, typed.t, coalesce(alt.words, '{}') || coalesce(near.words, '{}') AS words, coalesce(near.words, '{}') AS near
      FROM typed CROSS JOIN LATERAL (
        SELECT array_agg(token) AS words FROM (
          SELECT d.token, word_similarity(typed.t, d.token) AS sim, max(word_similarity(typed.t, d.token)) OVER () AS best
          FROM name_token d WHERE typed.t <% d.token
          ORDER BY sim DESC, d.token LIMIT ${ALTERNATIVES_PER_WORD}) ranked
        WHERE sim >= best * ${RELATIVE_ALTERNATIVE}
      ) alt CROSS JOIN LATERAL (
        SELECT array_agg(token) AS words FROM (
          SELECT DISTINCT v.token, similarity(typed.t, v.token) AS sim
          FROM name_token_variant v
          WHERE v.variant = ANY(name_word_variants(typed.t)) AND NOT EXISTS (SELECT 1 FROM name_token d WHERE d.token = typed.t)
          ORDER BY sim DESC, v.token LIMIT ${ALTERNATIVES_PER_WORD}) one_edit
      ) near
    ), by_word AS (
      SELECT n.search_name, n.tokens FROM researcher_name n WHERE ${containsEach}
    ), candidates AS (
      SELECT search_name, tokens FROM by_word
      UNION ALL
      SELECT n.search_name, n.tokens FROM researcher_name n
      WHERE ${tokens.length} = 1 AND NOT EXISTS (SELECT 1 FROM by_word) AND n.search_name % ${q})`;
}
