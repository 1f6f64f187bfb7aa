// Settings every pooled connection starts with, sent in the startup packet (`options`), so that no
// read needs a transaction just to SET LOCAL them. Under load that transaction waited for a pool
// connection longer than Prisma's 2 s transaction start limit (P2028) and users got an apology.
//
// pg_trgm's `%` and `<%` operators, which the name search's GIN index scans use, compare against
// these thresholds (see core/search/ResearcherSearch.ts). Behind PgBouncer
// in transaction mode startup options are not kept: set them on the role instead
// (ALTER ROLE … SET pg_trgm.word_similarity_threshold = …, ALTER ROLE … SET jit = off).

/** `name % query`: whole-name trigram similarity (pg_trgm's default is 0.3 too). */
export const TRIGRAM_SIMILARITY_THRESHOLD = 0.3;
/** `word <% token`: how well a typed word must match a dictionary word (pg_trgm's default is 0.6). */
export const TRIGRAM_WORD_SIMILARITY_THRESHOLD = 0.3;

/**
 * No JIT compilation. Every statement Peerlink sends is a short indexed query, but a plan whose
 * estimate crosses jit_above_cost (the intro path search's does once the kept ties are analysed,
 * estimating 2.5 million for a few hundred index probes) is compiled first: 78 functions, 327 ms of
 * JIT on a search that runs in 5 ms (auto_explain, 1M synthetic researchers, 2026-12-04).
 */
export const JIT = "off";

export const SESSION_OPTIONS = [
  `-c jit=${JIT}`,
  `-c pg_trgm.similarity_threshold=${TRIGRAM_SIMILARITY_THRESHOLD}`,
  `-c pg_trgm.word_similarity_threshold=${TRIGRAM_WORD_SIMILARITY_THRESHOLD}`,
].join(" ");
