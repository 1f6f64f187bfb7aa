// The port new-paper ingest needs from a scholarly database (OpenAlex today). The core stores what
// it returns; the adapter in src/sources/<source> speaks the source's API.

/** An author as a work names them. */
export interface SourceAuthor {
  /** the source's author id, e.g. "A5023888391"; stored as researcher.openalex_id */
  sourceId: string;
  displayName: string;
  orcid: string | null;
  /** 1-based author position */
  position: number;
}

/** A work as the source lists it, already mapped to Peerlink's fields. */
export interface SourceWork {
  /** the source's work id, e.g. "W4390000001"; stored as work.openalex_id */
  sourceId: string;
  doi: string | null;
  arxivId: string | null;
  type: string;
  title: string;
  abstract: string | null;
  publicationYear: number | null;
  publicationDate: Date | null;
  venue: string | null;
  /** when the source first listed the work */
  sourceCreatedAt: Date | null;
  authors: SourceAuthor[];
  /** the source's topics of the work, e.g. { sourceId: "T10203", name: "Neural Network Pruning" } */
  topics: { sourceId: string; name: string }[];
  /** the source's ids of its authors' institutions ("I63966007") */
  institutionIds: string[];
  /** the source's ids of the works it cites ("W2741809807") */
  referencedWorkIds: string[];
}

/** What a follow asks the source about: works by authors, on topics, from institutions, citing works, or matching searches. */
export type WorksMatchKind = "author" | "topic" | "institution" | "cites" | "search";

export type RequestPrice = "singleton" | "list" | "search";

export interface ScholarlySource {
  /** How many values one request can ask about (OpenAlex: 100 OR-ed ids, 100 works a page). */
  readonly valuesPerRequest: number;
  /**
   * Works matching any of `values` (author, topic or institution ids, ids of cited works, or search
   * words) published on or after `fromPublicationDay` (YYYY-MM-DD), page by page, each work once.
   * `onRequest` hears of every request sent, with its price.
   */
  worksMatching(
    kind: WorksMatchKind,
    values: string[],
    fromPublicationDay: string,
    onRequest?: (price: RequestPrice) => void,
  ): AsyncIterable<SourceWork[]>;
}
