import type { Db } from "../../db/client.js";
import { computeTrust, type Trust } from "../trust/trust.js";

/** Co-authors sharing at least this many works are "close collaborators" (docs/trust.md); the researcher_counts migration counts with the same number. */
export const CLOSE_COLLABORATOR_MIN_SHARED_WORKS = 2;

export interface WorkSummary {
  id: number;
  type: string;
  year: number | null;
  venue: string | null;
  title: string;
  abstract: string | null;
  doi: string | null;
  arxivId: string | null;
  openalexId: string | null;
}

export interface ProfileCounts {
  works: number;
  followers: number;
  topics: number;
  /** Everyone the researcher has written with… */
  coauthors: number;
  /** …and those with at least CLOSE_COLLABORATOR_MIN_SHARED_WORKS works together. */
  closeCollaborators: number;
}

export interface Profile {
  id: number;
  displayName: string;
  summary: string | null;
  openalexId: string | null;
  orcid: string | null;
  affiliation: string | null;
  openToCollaborate: boolean;
  verificationLevel: number;
  claimedBy: string | null;
  counts: ProfileCounts;
  trust: Trust;
  recentWorks: WorkSummary[];
  /** Whether the viewer follows this researcher (null when not asked). */
  viewerFollows: boolean | null;
  /** Whether the viewer is the one who claimed this researcher: their own card (null when not asked). */
  viewerIsClaimant: boolean | null;
  /**
   * Set while an import is still storing works, co-authors and topics: the counts are true for what
   * is stored so far, and `expectedWorks` is how many works the source says there are.
   */
  arriving: { expectedWorks: number | null } | null;
}

const WORK_ORDER = [
  { publicationDate: { sort: "desc", nulls: "last" } },
  { publicationYear: { sort: "desc", nulls: "last" } },
  { id: "desc" },
] as const;

const workSelect = {
  id: true,
  type: true,
  publicationYear: true,
  venue: true,
  title: true,
  abstract: true,
  doi: true,
  arxivId: true,
  openalexId: true,
} as const;

type WorkRow = {
  id: number;
  type: string;
  publicationYear: number | null;
  venue: string | null;
  title: string;
  abstract: string | null;
  doi: string | null;
  arxivId: string | null;
  openalexId: string | null;
};
const toSummary = ({ publicationYear, ...w }: WorkRow): WorkSummary => ({ ...w, year: publicationYear });

/** What `ProfileService.row` reads: the researcher and what the card shows beside them. */
interface CardRow extends ProfileCounts {
  id: number;
  displayName: string;
  summary: string | null;
  openalexId: string | null;
  orcid: string | null;
  openToCollaborate: boolean;
  verificationLevel: number;
  claimedByAccountId: number | null;
  claimedBy: string | null;
  fetchedAt: Date | null;
  worksImportedAt: Date | null;
  sourceWorksCount: number | null;
  affiliation: string | null;
  viewerFollows: boolean;
}

/** Everything a profile card shows; the counts are kept by triggers, never recounted here. */
export class ProfileService {
  constructor(private readonly db: Db) {}

  /** The card's counts, as the researcher_counts triggers keep them (migration researcher_counts). */
  async counts(researcherId: number): Promise<ProfileCounts> {
    const row = await this.db.researcherCounts.findUnique({ where: { researcherId } });
    return {
      works: row?.works ?? 0,
      followers: row?.followers ?? 0,
      topics: row?.topics ?? 0,
      coauthors: row?.coauthors ?? 0,
      closeCollaborators: row?.closeCollaborators ?? 0,
    };
  }

  /**
   * The researcher's row with what the card says beside it (latest affiliation, claimant, kept counts,
   * whether the viewer follows) in one statement: the first step of a card. Null when gone.
   */
  async row(researcherId: number, viewerAccountId?: number): Promise<CardRow | null> {
    const [r] = await this.db.$queryRaw<CardRow[]>`
      SELECT r.id, r.display_name AS "displayName", r.summary, r.openalex_id AS "openalexId", r.orcid,
             r.open_to_collaborate AS "openToCollaborate", r.verification_level AS "verificationLevel",
             r.claimed_by_account_id AS "claimedByAccountId", claimant.display_name AS "claimedBy",
             r.fetched_at AS "fetchedAt", r.works_imported_at AS "worksImportedAt", r.source_works_count AS "sourceWorksCount",
             (SELECT i.name FROM affiliation a JOIN institution i ON i.id = a.institution_id
               WHERE a.researcher_id = r.id ORDER BY a.last_year DESC NULLS LAST, a.institution_id LIMIT 1) AS affiliation,
             coalesce(c.works, 0) AS works, coalesce(c.followers, 0) AS followers, coalesce(c.topics, 0) AS topics,
             coalesce(c.coauthors, 0) AS coauthors, coalesce(c.close_collaborators, 0) AS "closeCollaborators",
             EXISTS (SELECT 1 FROM follow f WHERE f.account_id = ${viewerAccountId ?? 0} AND f.researcher_id = r.id) AS "viewerFollows"
      FROM researcher r
      LEFT JOIN account claimant ON claimant.id = r.claimed_by_account_id
      LEFT JOIN researcher_counts c ON c.researcher_id = r.id
      WHERE r.id = ${researcherId}`;
    return r ?? null;
  }

  async load(researcherId: number, options: { viewerAccountId?: number; recentWorks?: number } = {}): Promise<Profile | null> {
    const viewer = options.viewerAccountId;
    const [r, works] = await Promise.all([this.row(researcherId, viewer), this.works(researcherId, 0, options.recentWorks ?? 3)]);
    if (!r) return null;
    const counts: ProfileCounts = {
      works: r.works,
      followers: r.followers,
      topics: r.topics,
      coauthors: r.coauthors,
      closeCollaborators: r.closeCollaborators,
    };
    return {
      id: r.id,
      displayName: r.displayName,
      summary: r.summary,
      openalexId: r.openalexId,
      orcid: r.orcid,
      affiliation: r.affiliation,
      openToCollaborate: r.openToCollaborate,
      verificationLevel: r.verificationLevel,
      claimedBy: r.claimedBy,
      counts,
      trust: computeTrust({
        verificationLevel: r.verificationLevel,
        claimed: r.claimedByAccountId !== null,
        works: counts.works,
        closeCollaborators: counts.closeCollaborators,
        followers: counts.followers,
      }),
      recentWorks: works,
      viewerFollows: viewer === undefined ? null : r.viewerFollows,
      viewerIsClaimant: viewer === undefined ? null : r.claimedByAccountId === viewer,
      arriving: r.fetchedAt && (!r.worksImportedAt || r.worksImportedAt < r.fetchedAt) ? { expectedWorks: r.sourceWorksCount } : null,
    };
  }

  /** A page of a researcher's works, most recent first. */
  async works(researcherId: number, offset: number, limit: number): Promise<WorkSummary[]> {
    const rows = await this.db.work.findMany({
      where: { authorships: { some: { researcherId } } },
      orderBy: [...WORK_ORDER],
      skip: offset,
      take: limit,
      select: workSelect,
    });
    return rows.map(toSummary);
  }

  /** Name and whether someone claimed the record (only claimed researchers can be invited); null when gone. */
  async claimState(researcherId: number): Promise<{ name: string; claimed: boolean } | null> {
    const r = await this.db.researcher.findUnique({ where: { id: researcherId }, select: { displayName: true, claimedByAccountId: true } });
    return r && { name: r.displayName, claimed: r.claimedByAccountId !== null };
  }

  async name(researcherId: number): Promise<string | null> {
    const r = await this.db.researcher.findUnique({ where: { id: researcherId }, select: { displayName: true } });
    return r?.displayName ?? null;
  }

  /** The researchers an account has claimed: the viewer themselves, in lists of other people. */
  async claimedBy(accountId: number): Promise<Set<number>> {
    const rows = await this.db.researcher.findMany({ where: { claimedByAccountId: accountId }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }
}
