// OpenAlex as the core's ScholarlySource: batched `author.id` OR-filters with `from_created_date`,
// cursor paging and retries all live in OpenAlexClient; this maps its works to SourceWork.
import type { ScholarlySource, SourceWork } from "../../core/notifications/ScholarlySource.js";
import type { OpenAlexClient } from "./client.js";
import { arxivIdOf, bareDoi, bareOrcid, shortOpenAlexId } from "./ids.js";
import type { OpenAlexWork } from "./schemas.js";

export class OpenAlexSource implements ScholarlySource {
  constructor(private readonly client: OpenAlexClient) {}

  async *worksOfAuthorsSince(authorIds: string[], sinceDay: string): AsyncIterable<SourceWork[]> {
    if (authorIds.length === 0) return;
    for await (const page of this.client.worksOfAuthors(authorIds, { fromCreatedDate: sinceDay, perPage: 200 })) {
      yield page.works.map(toSourceWork);
    }
  }
}

export function toSourceWork(work: OpenAlexWork): SourceWork {
  const seen = new Set<string>();
  const authors: SourceWork["authors"] = [];
  work.authorships.forEach((a, index) => {
    // Without an id there is nothing stable to store an authorship on; such authors are skipped.
    if (!a.author.id) return;
    const sourceId = shortOpenAlexId(a.author.id);
    if (seen.has(sourceId)) return;
    seen.add(sourceId);
    authors.push({
      sourceId,
      displayName: a.author.display_name ?? a.raw_author_name ?? "Unknown author",
      orcid: bareOrcid(a.author.orcid),
      position: index + 1,
    });
  });
  return {
    sourceId: shortOpenAlexId(work.id),
    doi: bareDoi(work.doi),
    arxivId: arxivIdOf(work),
    type: work.type ?? "other",
    title: work.title ?? work.display_name ?? "Untitled",
    abstract: work.abstract,
    publicationYear: work.publication_year ?? null,
    publicationDate: parseDay(work.publication_date),
    venue: work.primary_location?.source?.display_name ?? null,
    sourceCreatedAt: parseDay(work.created_date),
    authors,
  };
}

function parseDay(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
