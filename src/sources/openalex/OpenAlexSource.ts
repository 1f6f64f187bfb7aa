// OpenAlex as the core's ScholarlySource: batched `author.id` OR-filters with `from_created_date`,
// cursor paging and retries all live in OpenAlexClient; this maps its works to SourceWork.
import type { ScholarlySource, SourceWork } from "../../core/notifications/ScholarlySource.js";
import type { OpenAlexClient } from "./client.js";
import { toWorkRecord } from "./mapping.js";
import type { OpenAlexWork } from "./schemas.js";

export class OpenAlexSource implements ScholarlySource {
  constructor(private readonly client: OpenAlexClient) {}

  async *worksOfAuthorsSince(authorIds: string[], sinceDay: string): AsyncIterable<SourceWork[]> {
    if (authorIds.length === 0) return;
    for await (const page of this.client.worksOfAuthors(authorIds, { fromCreatedDate: sinceDay, perPage: 100 })) {
      yield page.works.map(toSourceWork);
    }
  }
}

/** The importer's mapping, reshaped into the core's SourceWork. */
export function toSourceWork(work: OpenAlexWork): SourceWork {
  const { openalexId, authorships, topics: _topics, ...fields } = toWorkRecord(work);
  return {
    ...fields,
    sourceId: openalexId,
    authors: authorships.map(({ person, position }) => ({
      sourceId: person.openalexId,
      displayName: person.displayName,
      orcid: person.orcid,
      position,
    })),
  };
}
