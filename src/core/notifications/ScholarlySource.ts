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
}

export interface ScholarlySource {
  /**
   * Works by any of `authorIds` that the source first listed on or after `sinceDay` (YYYY-MM-DD),
   * page by page. A work shared by several of the authors is yielded once.
   */
  worksOfAuthorsSince(authorIds: string[], sinceDay: string): AsyncIterable<SourceWork[]>;
}
