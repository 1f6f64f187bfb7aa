// External identifiers as OpenAlex writes them (full URLs) and as Peerlink stores them (bare).

const OPENALEX_ID = /^(?:https?:\/\/(?:www\.)?openalex\.org\/(?:[a-z]+\/)?)?([AWIST]\d+)$/i;
const ORCID = /^(?:(?:https?:\/\/(?:www\.)?orcid\.org\/)|orcid:)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;

/** "https://openalex.org/A5023888391" -> "A5023888391". Throws on anything that is not an OpenAlex id. */
export function shortOpenAlexId(id: string): string {
  const m = OPENALEX_ID.exec(id.trim());
  if (!m?.[1]) throw new Error(`Not an OpenAlex id: ${id}`);
  return m[1].toUpperCase();
}

/** "https://orcid.org/0000-0002-1825-0097" -> "0000-0002-1825-0097"; null when absent or malformed. */
export function bareOrcid(orcid: string | null | undefined): string | null {
  const m = orcid ? ORCID.exec(orcid.trim()) : null;
  return m?.[1] ? m[1].toUpperCase() : null;
}

/** ORCID's last character is an ISO 7064 MOD 11-2 check digit over the other fifteen. */
export function orcidChecksumValid(orcid: string): boolean {
  const digits = orcid.replaceAll("-", "");
  let total = 0;
  for (const c of digits.slice(0, 15)) total = (total + Number(c)) * 2;
  const check = (12 - (total % 11)) % 11;
  return digits.at(-1)?.toUpperCase() === (check === 10 ? "X" : String(check));
}

/** DOIs are case-insensitive; stored lower-case without the resolver prefix. */
export function bareDoi(doi: string | null | undefined): string | null {
  if (!doi) return null;
  const bare = doi
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, "")
    .toLowerCase();
  return bare.startsWith("10.") ? bare : null;
}

const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?(?:\.pdf)?(?:[?#]|$)/i;
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

/** The arXiv id (without version) of a work, from its arXiv DOI or any arXiv location. */
export function arxivIdOf(work: {
  doi: string | null;
  locations: { landing_page_url: string | null; pdf_url: string | null }[];
  ids?: Record<string, unknown> | null;
}): string | null {
  const fromDoi = ARXIV_DOI.exec(bareDoi(work.doi) ?? "")?.[1];
  if (fromDoi) return fromDoi.replace(/v\d+$/, "");
  const urls = work.locations.flatMap((l) => [l.landing_page_url, l.pdf_url]);
  for (const value of Object.values(work.ids ?? {})) if (typeof value === "string") urls.push(value);
  for (const url of urls) {
    const m = url ? ARXIV_URL.exec(url) : null;
    if (m?.[1]) return m[1];
  }
  return null;
}

export type AuthorRef = { kind: "openalex"; id: string } | { kind: "orcid"; orcid: string } | { kind: "name"; name: string };

/** How a person typed an author: an OpenAlex id or URL, an ORCID iD or URL, or else a name. */
export function parseAuthorRef(ref: string): AuthorRef {
  const trimmed = ref.trim();
  const openalex = OPENALEX_ID.exec(trimmed);
  if (openalex?.[1]?.toUpperCase().startsWith("A")) return { kind: "openalex", id: openalex[1].toUpperCase() };
  const orcid = bareOrcid(trimmed);
  if (orcid) return { kind: "orcid", orcid };
  return { kind: "name", name: trimmed.replace(/\s+/g, " ") };
}
