// The parts of OpenAlex's Author and Work objects that Peerlink uses, validated at the edge.
// Unknown fields are dropped; fields OpenAlex documents as nullable are nullable here, so a
// sparse record (no DOI, no ORCID, no abstract) is still a valid one.
import { z } from "zod";

/** A list that OpenAlex may send as null or leave out. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

export const institutionSchema = z.object({
  id: z.string(),
  ror: text,
  display_name: z.string(),
  country_code: text,
});

export const topicSchema = z.object({
  id: z.string(),
  display_name: z.string(),
  /** on an author: how many of their works carry the topic */
  count: z.number().int().nullish(),
});

export const authorSchema = z
  .object({
    id: z.string(),
    orcid: text,
    display_name: z.string(),
    display_name_alternatives: list(z.string()),
    works_count: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? 0),
    cited_by_count: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? 0),
    last_known_institutions: list(institutionSchema),
    /** the single-institution field OpenAlex used before last_known_institutions */
    last_known_institution: institutionSchema.nullish(),
    affiliations: list(z.object({ institution: institutionSchema, years: list(z.number().int()) })),
    topics: list(topicSchema),
  })
  .transform(({ last_known_institution, ...a }) => ({
    ...a,
    last_known_institutions: a.last_known_institutions.length || !last_known_institution ? a.last_known_institutions : [last_known_institution],
  }));

const locationSchema = z.object({
  landing_page_url: text,
  pdf_url: text,
  source: z.object({ id: z.string().nullish(), display_name: text, type: text }).nullish(),
  /** "submittedVersion" (a preprint), "acceptedVersion" or "publishedVersion" */
  version: text,
});

export const authorshipSchema = z.object({
  author_position: text,
  author: z.object({ id: text, display_name: text, orcid: text }),
  raw_author_name: text,
  institutions: list(z.object({ id: z.string().nullish(), display_name: text })),
});

export const workSchema = z
  .object({
    id: z.string(),
    doi: text,
    title: text,
    display_name: text,
    publication_year: z.number().int().nullish(),
    publication_date: text,
    type: text,
    created_date: text,
    primary_location: locationSchema.nullish(),
    locations: list(locationSchema),
    ids: z.record(z.string(), z.unknown()).nullish(),
    authorships: list(authorshipSchema),
    topics: list(topicSchema),
    /** the works this one cites (asked for by ingest only, for citation alerts) */
    referenced_works: list(z.string()),
    /** asked for by the paper-news check only (WORK_STATUS_FIELDS) */
    is_retracted: z.boolean().nullish(),
    cited_by_count: z.number().int().nullish(),
    abstract_inverted_index: z.record(z.string(), z.array(z.number().int())).nullish(),
  })
  .transform(({ abstract_inverted_index, ...w }) => ({ ...w, abstract: reconstructAbstract(abstract_inverted_index) }));

/** An entry of /autocomplete/authors: hint is the institution, external_id the ORCID URL. */
export const autocompleteSchema = z.object({
  id: z.string(),
  display_name: z.string(),
  hint: text,
  cited_by_count: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  works_count: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  external_id: text,
});

export const listSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    meta: z.object({
      count: z.number().int(),
      next_cursor: z.string().nullish(),
    }),
    results: z.array(item),
  });

/** An OpenAlex topic or institution as /topics and /institutions list them, for a pick list. */
export const entitySchema = z.object({
  id: z.string(),
  display_name: z.string(),
  works_count: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  /** institutions */
  country_code: text,
  /** topics: the field, e.g. { display_name: "Computer Science" } */
  field: z.object({ display_name: text }).nullish(),
});

export type OpenAlexEntity = z.output<typeof entitySchema>;
export type OpenAlexInstitution = z.output<typeof institutionSchema>;
export type OpenAlexTopic = z.output<typeof topicSchema>;
export type OpenAlexAuthor = z.output<typeof authorSchema>;
export type OpenAlexWork = z.output<typeof workSchema>;
export type OpenAlexAutocomplete = z.output<typeof autocompleteSchema>;
export type OpenAlexAuthorship = z.output<typeof authorshipSchema>;

/**
 * OpenAlex ships abstracts as an inverted index (word -> positions) for licensing reasons;
 * putting every word back at its positions restores the text.
 */
export function reconstructAbstract(index: Record<string, number[]> | null | undefined): string | null {
  if (!index) return null;
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) {
    for (const p of positions) words[p] = word;
  }
  const abstract = words
    .filter((w) => w !== undefined)
    .join(" ")
    .trim();
  return abstract === "" ? null : abstract;
}
