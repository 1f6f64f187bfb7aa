// The port live lookup needs from the open scholarly graph (OpenAlex today), like ScholarlySource
// for ingest: the core asks for people and imports; src/sources/openalex speaks the API, keeps the
// budget and caches searches.

/** A person as the directory knows them, with the hints someone needs to pick the right one. */
export interface RemoteAuthor {
  /** the source's author id, e.g. "A5100000013"; stored as researcher.openalex_id */
  sourceId: string;
  displayName: string;
  alternativeNames: string[];
  orcid: string | null;
  institution: string | null;
  worksCount: number;
  citedByCount: number;
  /** the topic most of their works carry */
  mainTopic: string | null;
}

/** A work found by DOI or arXiv id, with its authors in order. */
export interface RemoteWork {
  title: string;
  authors: { sourceId: string; displayName: string; orcid: string | null; institution: string | null }[];
}

/** A topic or institution the directory knows, for following it. */
export interface RemoteEntity {
  /** e.g. "T10203", "I63966007" */
  sourceId: string;
  displayName: string;
  /** field of a topic, country of an institution, works count */
  hints: string[];
}

export type AuthorKey = { openalexId: string } | { orcid: string };
export type WorkKey = { doi: string } | { arxivId: string };

export interface DirectoryRequest {
  /** who is asking, e.g. "slack:T1:U1", for the per-user limit on uncached searches */
  requester?: string;
  /** give up and answer with nothing after this many ms (autocomplete) */
  deadlineMs?: number;
}

export interface ImportProgress {
  (done: number, total: number): void;
}

export interface ScholarlyDirectory {
  /** Name search, most relevant first. Costs a search request unless the same query was cached. */
  searchAuthors(name: string, request?: DirectoryRequest): Promise<RemoteAuthor[]>;
  /** One author by id or ORCID (free); null when the source has none. */
  getAuthor(key: AuthorKey): Promise<RemoteAuthor | null>;
  /** A work by DOI or arXiv id (free), for its authors; null when the source has none. */
  getWork(key: WorkKey): Promise<RemoteWork | null>;
  /** Topics or institutions matching `query`, most relevant first (cached like author searches). */
  searchEntities?(kind: "topic" | "institution", query: string, request?: DirectoryRequest): Promise<RemoteEntity[]>;
  /** One topic or institution by id (free); null when the source has none. */
  getEntity?(kind: "topic" | "institution", sourceId: string): Promise<RemoteEntity | null>;
  /** Type-ahead suggestions (cached); an empty list rather than an error when slow or failing. */
  suggestAuthors(prefix: string, request?: DirectoryRequest): Promise<RemoteAuthor[]>;
  /**
   * Stores the author (with institutions and topics) and their most recent works, in about one
   * round trip; returns the researcher's id, or null when the source has no such author. The rest
   * comes with importRest.
   */
  importFirstPage(sourceId: string): Promise<{ researcherId: number } | null>;
  /** Every work with its co-authors and topics; marks the researcher complete at the end. */
  importRest(researcherId: number, onProgress?: ImportProgress): Promise<void>;
  /** Today's (UTC, by the injected clock) requests and spend. */
  usage(): Promise<DirectoryUsage>;
  /** Housekeeping: drops cached answers past their TTL and usage counts no longer needed. */
  purgeExpired(): Promise<DirectoryPurged>;
}

export interface DirectoryPurged {
  cacheEntries: number;
  usageDays: number;
  userSearchWindows: number;
}

export interface DirectoryUsage {
  day: string;
  requests: Record<string, number>;
  /** dollars spent on each kind of request (price class) */
  spentUsdByKind: Record<string, number>;
  spentUsd: number;
  budgetUsd: number;
  /** whether requests carry an API key */
  keyed: boolean;
  /** what the directory itself last reported of the key's allowance (OpenAlex's rate-limit headers) */
  upstream?: { limitUsd: number; remainingUsd: number; seenAt: Date };
}

export type DirectoryFailure = "busy" | "unreachable" | "budget" | "user_limit";

/** Errors a user can act on ("try again in a minute"); the core turns them into notices. */
export class ScholarlyDirectoryError extends Error {
  override name = "ScholarlyDirectoryError";
  constructor(
    readonly reason: DirectoryFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where the rest of an import runs: a BullMQ job in production, inline in the console and tests. */
export interface ImportQueue {
  enqueueImport(researcherId: number): Promise<void>;
}
