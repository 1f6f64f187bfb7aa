// Recognises persistent researcher identifiers typed or pasted by users.

const ORCID = /(?:^|orcid\.org\/)(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const OPENALEX_AUTHOR = /^(?:https?:\/\/(?:api\.)?openalex\.org\/(?:authors\/)?)?(A\d{4,12})$/i;

export type ResearcherRef =
  | { kind: "orcid"; orcid: string }
  | { kind: "openalex"; openalexId: string }
  | { kind: "id"; id: number }
  | { kind: "name"; name: string };

/** Classifies a lookup argument: ORCID iD, OpenAlex author id, internal `#id`, or a name. */
export function parseResearcherRef(input: string): ResearcherRef {
  const text = input.trim().replace(/^<|>$/g, "");
  const orcid = ORCID.exec(text.replace(/^https?:\/\//i, ""));
  if (orcid?.[1]) return { kind: "orcid", orcid: orcid[1].toUpperCase() };
  const openalex = OPENALEX_AUTHOR.exec(text);
  if (openalex?.[1]) return { kind: "openalex", openalexId: openalex[1].toUpperCase() };
  const id = /^#(\d{1,9})$/.exec(text);
  if (id?.[1]) return { kind: "id", id: Number(id[1]) };
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
