// The port the paper-news check needs from a scholarly database (OpenAlex today): what may have
// changed about works Peerlink already posted. The adapter in src/sources/<source> speaks its API.

export interface WorkStatus {
  /** the source's work id, as stored in work.openalex_id */
  sourceId: string;
  /** e.g. "preprint", "article" */
  type: string;
  /** where the source's best copy is published (OpenAlex primary_location.source) */
  venue: string | null;
  /** the best copy is the version of record (OpenAlex primary_location.version "publishedVersion") */
  published: boolean;
  isRetracted: boolean;
  citedByCount: number;
}

export interface WorkStatusSource {
  /** The works the source still has, among `sourceIds`. */
  statusOf(sourceIds: string[]): Promise<WorkStatus[]>;
}
