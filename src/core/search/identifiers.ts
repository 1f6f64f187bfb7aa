// Recognises persistent researcher identifiers typed or pasted by users.

const ORCID = /(?:^|orcid\.org\/)(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const OPENALEX_AUTHOR = /^(?:https?:\/\/(?:api\.)?openalex\.org\/(?:authors\/)?)?(A\d{4,12})$/i;
const DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)?(10\.\d{4,9}\/\S+)$/i;
const ARXIV =
  /^(?:arxiv:\s*|https?:\/\/(?:www\.)?arxiv\.org\/(?:abs|pdf)\/)?((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?(?:\.pdf)?$/i;
/** arXiv's DOIs (10.48550/arXiv.<id>) name the same paper as the arXiv id. */
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+?)(?:v\d+)?$/i;

export type ResearcherRef =
  | { kind: "orcid"; orcid: string }
  | { kind: "openalex"; openalexId: string }
  | { kind: "id"; id: number }
  | { kind: "doi"; doi: string }
  | { kind: "arxiv"; arxivId: string }
  | { kind: "name"; name: string };

/** Classifies a lookup argument: ORCID iD, OpenAlex author id, internal `#id`, DOI, arXiv id, or a name. */
export function parseResearcherRef(input: string): ResearcherRef {
  const text = input.trim().replace(/^<|>$/g, "");
  const orcid = ORCID.exec(text.replace(/^https?:\/\//i, ""));
  if (orcid?.[1]) return { kind: "orcid", orcid: orcid[1].toUpperCase() };
  const openalex = OPENALEX_AUTHOR.exec(text);
  if (openalex?.[1]) return { kind: "openalex", openalexId: openalex[1].toUpperCase() };
  const id = /^#(\d{1,9})$/.exec(text);
  if (id?.[1]) return { kind: "id", id: Number(id[1]) };
  const doi = DOI.exec(text);
  if (doi?.[1]) {
    const bare = doi[1].toLowerCase();
    const arxiv = ARXIV_DOI.exec(bare);
    return arxiv?.[1] ? { kind: "arxiv", arxivId: arxiv[1] } : { kind: "doi", doi: bare };
  }
  const arxiv = ARXIV.exec(text);
  if (arxiv?.[1] && (/\d{4}\.\d{4,5}/.test(arxiv[1]) || /arxiv/i.test(text))) return { kind: "arxiv", arxivId: arxiv[1].toLowerCase() };
  return { kind: "name", name: text };
}

/** Checks an ORCID iD's ISO 7064 11,2 check digit. */
export function isValidOrcid(orcid: string): boolean {
  const digits = orcid.replaceAll("-", "");
  if (!/^\d{15}[\dX]$/i.test(digits)) return false;
  let total = 0;
  for (const c of digits.slice(0, 15)) total = (total + Number(c)) * 2;
  const check = (12 - (total % 11)) % 11;
  return digits.at(-1)!.toUpperCase() === (check === 10 ? "X" : String(check));
}
