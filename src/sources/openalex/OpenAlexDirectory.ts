// OpenAlex as the core's ScholarlyDirectory: live lookups of anyone in the graph. Searches go
// through a shared cache and a per-user hourly limit; every request through the daily budget (see
// OpenAlexUsage); failures become ScholarlyDirectoryErrors the core can word for people.
import type { Clock } from "../../core/context.js";
import {
  type AuthorKey,
  type DirectoryPurged,
  type DirectoryRequest,
  type ImportProgress,
  type RemoteAuthor,
  type RemoteEntity,
  type RemoteWork,
  type ScholarlyDirectory,
  ScholarlyDirectoryError,
  type WorkKey,
} from "../../core/search/ScholarlyDirectory.js";
import { searchName } from "../../core/text.js";
import type { Db } from "../../db/client.js";
import { OpenAlexError, type OpenAlexClient } from "./client.js";
import { GraphWriter } from "./graph-writer.js";
import { bareOrcid, shortOpenAlexId } from "./ids.js";
import { OpenAlexImporter } from "./importer.js";
import { currentAffiliations, toPerson, toTopic, toWorkRecord } from "./mapping.js";
import type { OpenAlexCache } from "./OpenAlexCache.js";
import type { OpenAlexUsage } from "./OpenAlexUsage.js";
import type { OpenAlexAuthor, OpenAlexAutocomplete, OpenAlexEntity } from "./schemas.js";

export interface DirectorySettings {
  /** how long a search answer is reused (config OPENALEX_SEARCH_CACHE_HOURS) */
  searchCacheTtlMs: number;
  /** uncached searches one chat user may cause per hour (config OPENALEX_USER_SEARCHES_PER_HOUR) */
  userSearchesPerHour: number;
  /** works fetched with the author for the first card */
  firstPageSize: number;
}

export const DEFAULT_DIRECTORY_SETTINGS: DirectorySettings = {
  searchCacheTtlMs: 24 * 3_600_000,
  userSearchesPerHour: 30,
  firstPageSize: 5,
};

/** An author found by a search is imported right after it is picked: keep it long enough for that. */
const AUTHOR_CACHE_TTL_MS = 3_600_000;

export class OpenAlexDirectory implements ScholarlyDirectory {
  private readonly writer: GraphWriter;
  private readonly settings: DirectorySettings;

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      /** for people waiting in chat: few, short retries */
      client: OpenAlexClient;
      /** for background imports: patient retries */
      backgroundClient?: OpenAlexClient;
      cache: OpenAlexCache;
      usage: OpenAlexUsage;
    },
    settings: Partial<DirectorySettings> = {},
  ) {
    this.writer = new GraphWriter(deps.db);
    this.settings = { ...DEFAULT_DIRECTORY_SETTINGS, ...settings };
  }

  async searchAuthors(name: string, request: DirectoryRequest = {}): Promise<RemoteAuthor[]> {
    const key = `search:${searchName(name)}`;
    const cached = await this.deps.cache.get<OpenAlexAuthor[]>(key, this.settings.searchCacheTtlMs);
    if (cached) return cached.map(toRemoteAuthor);
    if (request.requester) await this.countUserSearch(request.requester);
    const authors = await translate(() => this.deps.client.searchAuthors(name, { perPage: 10 }));
    await this.deps.cache.put(key, authors);
    await Promise.all(authors.map((a) => this.deps.cache.put(`author:${shortOpenAlexId(a.id)}`, a)));
    return authors.map(toRemoteAuthor);
  }

  async searchEntities(kind: "topic" | "institution", query: string, request: DirectoryRequest = {}): Promise<RemoteEntity[]> {
    const key = `search-${kind}:${searchName(query)}`;
    const cached = await this.deps.cache.get<OpenAlexEntity[]>(key, this.settings.searchCacheTtlMs);
    if (cached) return cached.map(toRemoteEntity);
    if (request.requester) await this.countUserSearch(request.requester);
    const found = await translate(() => this.deps.client.searchEntities(kind === "topic" ? "topics" : "institutions", query));
    await this.deps.cache.put(key, found);
    return found.map(toRemoteEntity);
  }

  async getEntity(kind: "topic" | "institution", sourceId: string): Promise<RemoteEntity | null> {
    const found = await translate(() => this.deps.client.getEntity(kind === "topic" ? "topics" : "institutions", sourceId));
    return found ? toRemoteEntity(found) : null;
  }

  async getAuthor(key: AuthorKey): Promise<RemoteAuthor | null> {
    const author = await translate(() => this.deps.client.getAuthor("orcid" in key ? key.orcid : key.openalexId));
    if (author) await this.deps.cache.put(`author:${shortOpenAlexId(author.id)}`, author);
    return author ? toRemoteAuthor(author) : null;
  }

  async getWork(key: WorkKey): Promise<RemoteWork | null> {
    const doi = "doi" in key ? key.doi : `10.48550/arxiv.${key.arxivId}`;
    const work = await translate(() => this.deps.client.getWorkByDoi(doi));
    if (!work) return null;
    const record = toWorkRecord(work);
    return {
      title: record.title,
      authors: record.authorships.map(({ person }) => ({
        sourceId: person.openalexId,
        displayName: person.displayName,
        orcid: person.orcid,
        institution: null,
      })),
    };
  }

  async suggestAuthors(prefix: string, request: DirectoryRequest = {}): Promise<RemoteAuthor[]> {
    const key = `autocomplete:${searchName(prefix)}`;
    const cached = await this.deps.cache.get<OpenAlexAutocomplete[]>(key, this.settings.searchCacheTtlMs);
    if (cached) return cached.map(fromAutocomplete);
    const fetching = this.deps.client.autocompleteAuthors(prefix).then(async (results) => {
      await this.deps.cache.put(key, results);
      return results;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), request.deadlineMs ?? 1000)));
    // Late answers still land in the cache, for the next keystroke.
    const results = await Promise.race([fetching, deadline])
      .catch(() => [])
      .finally(() => clearTimeout(timer));
    fetching.catch(() => {});
    return results.map(fromAutocomplete);
  }

  async importFirstPage(sourceId: string): Promise<{ researcherId: number } | null> {
    const id = shortOpenAlexId(sourceId);
    // The first works page (one list request) and the author (free; cached when a search just
    // listed them) in parallel: one round trip. The cache is read while the works are on their way.
    const [author, page] = await translate(() =>
      Promise.all([
        this.deps.cache.get<OpenAlexAuthor>(`author:${id}`, AUTHOR_CACHE_TTL_MS).then((cached) => cached ?? this.deps.client.getAuthor(id)),
        this.deps.client.recentWorks(id, this.settings.firstPageSize),
      ]),
    );
    if (!author) return null;
    const researcherId = await this.writer.saveAuthorWithWorks(
      {
        person: toPerson(author),
        affiliations: currentAffiliations(author),
        topics: author.topics.map((t) => ({ topic: toTopic(t), weight: t.count ?? 1 })),
      },
      page.works.map(toWorkRecord),
      (tx, researcherId) =>
        tx.researcher.update({
          where: { id: researcherId },
          data: { fetchedAt: this.deps.clock.now(), sourceWorksCount: Math.max(author.works_count, page.total) },
        }),
    );
    return { researcherId };
  }

  async importRest(researcherId: number, onProgress?: ImportProgress): Promise<void> {
    const row = await this.deps.db.researcher.findUniqueOrThrow({ where: { id: researcherId }, select: { openalexId: true } });
    if (!row.openalexId || !/^A\d+$/i.test(row.openalexId)) return;
    const client = this.deps.backgroundClient ?? this.deps.client;
    const summary = await translate(() => new OpenAlexImporter(this.deps.db, client, this.deps.clock, onProgress).importAuthor(row.openalexId!));
    const now = this.deps.clock.now();
    await this.deps.db.researcher.update({
      where: { id: researcherId },
      data: { fetchedAt: now, worksImportedAt: now, sourceWorksCount: summary.works },
    });
  }

  usage() {
    return this.deps.usage.today();
  }

  async purgeExpired(): Promise<DirectoryPurged> {
    const now = this.deps.clock.now().getTime();
    // The per-user limit only reads the current hour's window.
    const windowsBefore = new Date(now - (now % 3_600_000) - 3_600_000);
    const [cacheEntries, usageDays, userSearchWindows] = await Promise.all([
      this.deps.cache.purge(Math.max(this.settings.searchCacheTtlMs, AUTHOR_CACHE_TTL_MS)),
      this.deps.usage.purge(),
      this.deps.db.openAlexUserSearch.deleteMany({ where: { windowStart: { lt: windowsBefore } } }).then((r) => r.count),
    ]);
    return { cacheEntries, usageDays, userSearchWindows };
  }

  /** Counts one uncached search for the user this hour, refusing once they are past the limit. */
  private async countUserSearch(requester: string): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const windowStart = new Date(now - (now % 3_600_000));
    const [row] = await this.deps.db.$queryRaw<{ count: number }[]>`
      INSERT INTO openalex_user_search (actor, window_start, count) VALUES (${requester}, ${windowStart}, 1)
      ON CONFLICT (actor, window_start) DO UPDATE SET count = openalex_user_search.count + 1
      RETURNING count`;
    if (row!.count > this.settings.userSearchesPerHour) {
      throw new ScholarlyDirectoryError("user_limit", `You have searched OpenAlex ${this.settings.userSearchesPerHour} times this hour.`);
    }
  }
}

function toRemoteAuthor(a: OpenAlexAuthor): RemoteAuthor {
  const topic = [...a.topics].sort((x, y) => (y.count ?? 0) - (x.count ?? 0))[0];
  return {
    sourceId: shortOpenAlexId(a.id),
    displayName: a.display_name,
    alternativeNames: a.display_name_alternatives,
    orcid: bareOrcid(a.orcid),
    institution: a.last_known_institutions[0]?.display_name ?? null,
    worksCount: a.works_count,
    citedByCount: a.cited_by_count,
    mainTopic: topic?.display_name ?? null,
  };
}

function toRemoteEntity(e: OpenAlexEntity): RemoteEntity {
  const hints = [e.field?.display_name ?? e.country_code, `${e.works_count.toLocaleString("en-US")} works`].filter((h): h is string => Boolean(h));
  return { sourceId: shortOpenAlexId(e.id), displayName: e.display_name, hints };
}

function fromAutocomplete(a: OpenAlexAutocomplete): RemoteAuthor {
  return {
    sourceId: shortOpenAlexId(a.id),
    displayName: a.display_name,
    alternativeNames: [],
    orcid: bareOrcid(a.external_id),
    institution: a.hint,
    worksCount: a.works_count,
    citedByCount: a.cited_by_count,
    mainTopic: null,
  };
}

/** OpenAlexErrors a person can do nothing about but wait become the core's directory errors. */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof OpenAlexError)) throw error;
    const { status, unreachable } = error.details;
    if (status === 403 || status === 429) throw new ScholarlyDirectoryError("busy", error.message, { cause: error });
    if (unreachable || (status !== undefined && status >= 500)) {
      throw new ScholarlyDirectoryError("unreachable", error.message, { cause: error });
    }
    throw error;
  }
}
