// OpenAlex records -> the plain records Peerlink stores. Pure functions; no database here.
import { arxivIdOf, bareDoi, bareOrcid, shortOpenAlexId } from "./ids.js";
import type { OpenAlexAuthor, OpenAlexInstitution, OpenAlexTopic, OpenAlexWork } from "./schemas.js";

export interface PersonRecord {
  openalexId: string;
  displayName: string;
  orcid: string | null;
  /** only known for authors fetched whole, not for co-authors named on a work */
  citedByCount?: number;
}

export interface TopicRecord {
  openalexId: string;
  name: string;
}

export interface InstitutionRecord {
  openalexId: string;
  ror: string | null;
  name: string;
  countryCode: string | null;
}

export interface AuthorshipRecord {
  person: PersonRecord;
  /** 1-based, in OpenAlex's order */
  position: number;
}

export interface WorkRecord {
  openalexId: string;
  doi: string | null;
  arxivId: string | null;
  type: string;
  title: string;
  abstract: string | null;
  publicationYear: number | null;
  publicationDate: Date | null;
  venue: string | null;
  sourceCreatedAt: Date | null;
  authorships: AuthorshipRecord[];
  topics: TopicRecord[];
}

export function toPerson(author: OpenAlexAuthor): PersonRecord {
  return {
    openalexId: shortOpenAlexId(author.id),
    displayName: author.display_name,
    orcid: bareOrcid(author.orcid),
    citedByCount: author.cited_by_count,
  };
}

export const toTopic = (t: OpenAlexTopic): TopicRecord => ({ openalexId: shortOpenAlexId(t.id), name: t.display_name });

export function toInstitution(i: OpenAlexInstitution): InstitutionRecord {
  return {
    openalexId: shortOpenAlexId(i.id),
    ror: i.ror ? i.ror.replace(/^https?:\/\/ror\.org\//i, "").toLowerCase() : null,
    name: i.display_name,
    countryCode: i.country_code,
  };
}

/** The author's last known institutions, each with the latest year OpenAlex places them there. */
export function currentAffiliations(author: OpenAlexAuthor): { institution: InstitutionRecord; lastYear: number | null }[] {
  return author.last_known_institutions.map((i) => {
    const years = author.affiliations.filter((a) => a.institution.id === i.id).flatMap((a) => a.years);
    return { institution: toInstitution(i), lastYear: years.length ? Math.max(...years) : null };
  });
}

export function toWorkRecord(work: OpenAlexWork): WorkRecord {
  const authorships: AuthorshipRecord[] = [];
  const seen = new Set<string>();
  work.authorships.forEach((a, index) => {
    // Without an id there is nothing stable to upsert on; such authors are skipped, not guessed.
    if (!a.author.id) return;
    const openalexId = shortOpenAlexId(a.author.id);
    if (seen.has(openalexId)) return;
    seen.add(openalexId);
    const displayName = a.author.display_name ?? a.raw_author_name ?? "Unknown author";
    authorships.push({ person: { openalexId, displayName, orcid: bareOrcid(a.author.orcid) }, position: index + 1 });
  });
  return {
    openalexId: shortOpenAlexId(work.id),
    doi: bareDoi(work.doi),
    arxivId: arxivIdOf(work),
    type: work.type ?? "other",
    title: work.title ?? work.display_name ?? "Untitled",
    abstract: work.abstract,
    publicationYear: work.publication_year ?? null,
    publicationDate: parseDay(work.publication_date),
    venue: work.primary_location?.source?.display_name ?? null,
    sourceCreatedAt: parseDay(work.created_date),
    authorships,
    topics: work.topics.map(toTopic),
  };
}

/** OpenAlex dates are "YYYY-MM-DD" (or a zone-less timestamp), meant as UTC. */
export function parseDay(value: string | null): Date | null {
  if (!value) return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
