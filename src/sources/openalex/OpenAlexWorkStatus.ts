// OpenAlex as the core's WorkStatusSource: `ids.openalex` OR-filters with only the fields that say
// whether a work was published, retracted or cited since it was stored.
import type { WorkStatus, WorkStatusSource } from "../../core/notifications/WorkStatusSource.js";
import type { OpenAlexClient } from "./client.js";
import { shortOpenAlexId } from "./ids.js";

export class OpenAlexWorkStatus implements WorkStatusSource {
  constructor(private readonly client: OpenAlexClient) {}

  async statusOf(sourceIds: string[]): Promise<WorkStatus[]> {
    if (sourceIds.length === 0) return [];
    const works = await this.client.workStatuses(sourceIds);
    return works.map((w) => ({
      sourceId: shortOpenAlexId(w.id),
      type: w.type ?? "other",
      venue: w.primary_location?.source?.display_name ?? null,
      published: w.primary_location?.version === "publishedVersion",
      isRetracted: w.is_retracted ?? false,
      citedByCount: w.cited_by_count ?? 0,
    }));
  }
}
