// OpenAlex as the core's ScholarlySource. OpenAlex documents from_created_date as a filter of paid
// plans (developers.openalex.org, Sync: "Premium API filters"), so a free key finds new works by
// from_publication_date over a window, and the core tells new from already-seen by OpenAlex's
// created_date and the works it stored. OR lists, cursor paging and retries live in OpenAlexClient.
import type { RequestPrice, ScholarlySource, SourceWork, WorksMatchKind } from "../../core/notifications/ScholarlySource.js";
import { MAX_OR_VALUES, type OpenAlexClient } from "./client.js";
import { shortOpenAlexId } from "./ids.js";
import { toWorkRecord } from "./mapping.js";
import type { OpenAlexWork } from "./schemas.js";

/** The documented filter each kind of follow asks by. */
const FILTER_KEY: Record<WorksMatchKind, string> = {
  author: "authorships.author.id",
  topic: "topics.id",
  institution: "authorships.institutions.id",
  cites: "cites",
  search: "title_and_abstract.search",
};

export class OpenAlexSource implements ScholarlySource {
  readonly valuesPerRequest = MAX_OR_VALUES;

  constructor(private readonly client: OpenAlexClient) {}

  async *worksMatching(
    kind: WorksMatchKind,
    values: string[],
    fromPublicationDay: string,
    onRequest?: (price: RequestPrice) => void,
  ): AsyncIterable<SourceWork[]> {
    if (values.length === 0) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fromPublicationDay)) throw new RangeError(`not a day: ${fromPublicationDay}`);
    const ids = kind === "search" ? values : values.map(shortOpenAlexId);
    const pages = this.client.worksWhere(FILTER_KEY[kind], ids, { and: [`from_publication_date:${fromPublicationDay}`], perPage: 100, onRequest });
    for await (const works of pages) yield works.map(toSourceWork);
  }
}

/** The importer's mapping, reshaped into the core's SourceWork. */
export function toSourceWork(work: OpenAlexWork): SourceWork {
  const { openalexId, authorships, topics, ...fields } = toWorkRecord(work);
  const institutions = work.authorships.flatMap((a) => a.institutions.map((i) => (i.id ? shortOpenAlexId(i.id) : null)));
  return {
    ...fields,
    sourceId: openalexId,
    authors: authorships.map(({ person, position }) => ({
      sourceId: person.openalexId,
      displayName: person.displayName,
      orcid: person.orcid,
      position,
    })),
    topics: topics.map((t) => ({ sourceId: t.openalexId, name: t.name })),
    institutionIds: [...new Set(institutions.filter((i): i is string => i !== null))],
    referencedWorkIds: work.referenced_works.map(shortOpenAlexId),
  };
}
