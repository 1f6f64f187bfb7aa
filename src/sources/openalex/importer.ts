// Imports one author from OpenAlex: the researcher, their current institutions and topics, every
// work (streamed page by page) with its co-authors and topics. Safe to re-run: see GraphWriter.
import { searchName } from "../../core/text.js";
import type { Clock } from "../../core/context.js";
import type { Db } from "../../db/client.js";
import type { OpenAlexClient } from "./client.js";
import { GraphWriter } from "./graph-writer.js";
import { orcidChecksumValid, parseAuthorRef } from "./ids.js";
import { currentAffiliations, toPerson, toTopic, toWorkRecord } from "./mapping.js";
import type { OpenAlexAuthor } from "./schemas.js";

export type ImportProgress = (done: number, total: number) => void;

export interface ImportSummary {
  researcherId: number;
  openalexId: string;
  displayName: string;
  /** works of the author seen in OpenAlex (all upserted) */
  works: number;
  /** distinct co-authors across those works */
  coauthors: number;
  topics: number;
}

/** The reference names no OpenAlex author, or is not a well-formed reference at all. */
export class AuthorNotFoundError extends Error {
  override name = "AuthorNotFoundError";
}

export class OpenAlexImporter {
  private readonly writer: GraphWriter;

  constructor(
    private readonly db: Db,
    private readonly client: OpenAlexClient,
    /** When the import ran, as ingest's clock reads it: works_checked_at is compared on that clock. */
    private readonly clock: Clock,
    private readonly onProgress?: ImportProgress,
    private readonly options: { perPage?: number } = {},
  ) {
    this.writer = new GraphWriter(db);
  }

  /** `ref`: an OpenAlex id (A…, or https://openalex.org/A…), an ORCID iD (bare or URL), or a name. */
  async importAuthor(ref: string): Promise<ImportSummary> {
    const author = await this.resolve(ref);
    const startedAt = this.clock.now();
    const person = toPerson(author);
    const researcherId = await this.writer.saveResearcher(person);
    await this.writer.saveAffiliations(researcherId, currentAffiliations(author));
    await this.writer.saveResearcherTopics(
      researcherId,
      author.topics.map((t) => ({ topic: toTopic(t), weight: t.count ?? 1 })),
    );

    let done = 0;
    const coauthors = new Set<string>();
    for await (const page of this.client.worksOfAuthors([person.openalexId], { perPage: this.options.perPage })) {
      if (done === 0) this.onProgress?.(0, page.total);
      for (const work of page.works) {
        const record = toWorkRecord(work);
        await this.writer.saveWork(record);
        for (const a of record.authorships) if (a.person.openalexId !== person.openalexId) coauthors.add(a.person.openalexId);
        done += 1;
        this.onProgress?.(done, Math.max(page.total, done));
      }
    }
    // Every work OpenAlex had when we started is now stored, so new-paper ingest can start here.
    await this.db.researcher.update({ where: { id: researcherId }, data: { worksCheckedAt: startedAt } });

    return {
      researcherId,
      openalexId: person.openalexId,
      displayName: person.displayName,
      works: done,
      coauthors: coauthors.size,
      topics: author.topics.length,
    };
  }

  private async resolve(ref: string): Promise<OpenAlexAuthor> {
    const parsed = parseAuthorRef(ref);
    switch (parsed.kind) {
      case "openalex": {
        const author = await this.client.getAuthor(parsed.id);
        if (!author) throw new AuthorNotFoundError(`No OpenAlex author has the id ${parsed.id}.`);
        return author;
      }
      case "orcid": {
        if (!orcidChecksumValid(parsed.orcid)) {
          throw new AuthorNotFoundError(`${parsed.orcid} is not a valid ORCID iD (its check digit does not match).`);
        }
        const author = await this.client.getAuthor(parsed.orcid);
        if (!author) throw new AuthorNotFoundError(`No OpenAlex author has the ORCID iD ${parsed.orcid}.`);
        return author;
      }
      case "name": {
        if (!parsed.name) throw new AuthorNotFoundError("No author given.");
        const best = bestMatch(parsed.name, await this.client.searchAuthors(parsed.name));
        if (!best) throw new AuthorNotFoundError(`No OpenAlex author matches the name "${parsed.name}".`);
        return best;
      }
    }
  }
}

/**
 * OpenAlex ranks by relevance, but often splits one person into a large profile and small
 * fragments with the same name. Prefer an exact name, then the fuller profile, then OpenAlex's order.
 */
export function bestMatch(name: string, candidates: OpenAlexAuthor[]): OpenAlexAuthor | undefined {
  const wanted = searchName(name);
  const exactness = (a: OpenAlexAuthor) =>
    searchName(a.display_name) === wanted ? 2 : a.display_name_alternatives.some((n) => searchName(n) === wanted) ? 1 : 0;
  return candidates
    .map((author, rank) => ({ author, rank, exact: exactness(author) }))
    .sort((x, y) => y.exact - x.exact || y.author.works_count - x.author.works_count || x.rank - y.rank)[0]?.author;
}
