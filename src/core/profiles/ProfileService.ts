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

  /** The researcher's own row with their latest affiliation and claimant: the first step of a card. */
  row(researcherId: number) {
    return this.db.researcher.findUnique({
      where: { id: researcherId },
      include: {
        affiliations: { include: { institution: true }, orderBy: [{ lastYear: { sort: "desc", nulls: "last" } }], take: 1 },
        claimedBy: { select: { displayName: true } },
      },
    });
  }

  async load(researcherId: number, options: { viewerAccountId?: number; recentWorks?: number } = {}): Promise<Profile | null> {
    const r = await this.row(researcherId);
    if (!r) return null;
    const [counts, works, follow] = await Promise.all([
      this.counts(researcherId),
      this.works(researcherId, 0, options.recentWorks ?? 3),
      options.viewerAccountId === undefined
        ? Promise.resolve(undefined)
        : this.db.follow.findUnique({ where: { accountId_researcherId: { accountId: options.viewerAccountId, researcherId } } }),
    ]);
    return {
      id: r.id,
      displayName: r.displayName,
      summary: r.summary,
      openalexId: r.openalexId,
      orcid: r.orcid,
      affiliation: r.affiliations[0]?.institution.name ?? null,
      openToCollaborate: r.openToCollaborate,
      verificationLevel: r.verificationLevel,
      claimedBy: r.claimedBy?.displayName ?? null,
      counts,
      trust: computeTrust({
        verificationLevel: r.verificationLevel,
        claimed: r.claimedByAccountId !== null,
        works: counts.works,
        closeCollaborators: counts.closeCollaborators,
        followers: counts.followers,
      }),
      recentWorks: works,
      viewerFollows: options.viewerAccountId === undefined ? null : Boolean(follow),
      viewerIsClaimant: options.viewerAccountId === undefined ? null : r.claimedByAccountId === options.viewerAccountId,
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
