// Finds what in a chat message names researchers or papers: DOIs, arXiv ids, ORCID iDs, OpenAlex
// links, and names of researchers Peerlink knows. Plain text in, identifiers out, in message order.
import type { Db } from "../../db/client.js";
import { searchName } from "../text.js";

export type MessageRef =
  | { kind: "orcid"; query: string }
  | { kind: "openalex_author"; query: string }
  | { kind: "paper"; query: string }
  | { kind: "name"; researcherId: number; query: string };

/** A message yields at most this many identifiers: the reply is a compact list, not a crawl. */
export const MAX_REFS = 10;

const PATTERNS: Array<[MessageRef["kind"], RegExp]> = [
  ["orcid", /\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b/gi],
  ["openalex_author", /\bopenalex\.org\/(?:authors\/)?(A\d{4,12})\b/gi],
  ["paper", /\bopenalex\.org\/(?:works\/)?(W\d{4,12})\b/gi],
  ["paper", /\b(10\.\d{4,9}\/[^\s<>"|]+)/gi],
  ["paper", /\barxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5})/gi],
  ["paper", /\barxiv:\s*(\d{4}\.\d{4,5})/gi],
];

/** Capitalised runs of two or three words: what a name in running text looks like. */
const NAME_RUN = /\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}\.?(?:[\p{L}'’-]+)?){1,2}/gu;

const trimTail = (s: string) => s.replace(/[.,;:!?)\]}>]+$/, "");

export async function scanMessage(db: Db, text: string): Promise<MessageRef[]> {
  const found: Array<{ at: number; ref: MessageRef }> = [];
  const seen = new Set<string>();
  for (const [kind, pattern] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      let query = trimTail(m[1]!);
      // A DOI that is arXiv's, or an OpenAlex work id, is looked up as the paper it names.
      if (kind === "paper" && /^W\d+$/i.test(query)) query = `https://openalex.org/${query.toUpperCase()}`;
      if (kind === "openalex_author") query = query.toUpperCase();
      const key = `${kind}:${query.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ at: m.index, ref: { kind, query } as MessageRef });
    }
  }
  const runs = [...text.matchAll(NAME_RUN)].map((m) => ({ at: m.index, name: m[0] }));
  if (runs.length) {
    const names = [...new Set(runs.map((r) => searchName(r.name)))];
    const known = await db.researcher.findMany({
      where: { searchName: { in: names } },
      select: { id: true, searchName: true, displayName: true },
      orderBy: [{ citedByCount: "desc" }, { id: "asc" }],
    });
    const byName = new Map<string, { id: number; displayName: string }>();
    for (const k of known) if (!byName.has(k.searchName)) byName.set(k.searchName, k);
    for (const run of runs) {
      const k = byName.get(searchName(run.name));
      if (!k || seen.has(`name:${k.id}`)) continue;
      seen.add(`name:${k.id}`);
      found.push({ at: run.at, ref: { kind: "name", researcherId: k.id, query: k.displayName } });
    }
  }
  return found
    .sort((a, b) => a.at - b.at)
    .slice(0, MAX_REFS)
    .map((f) => f.ref);
}

/** The one paper link a message holds; with several, which one would be meant? */
export async function singlePaper(db: Db, text: string): Promise<{ kind: "none" } | { kind: "several" } | { kind: "one"; query: string }> {
  const papers = (await scanMessage(db, text)).filter((r) => r.kind === "paper");
  if (papers.length === 0) return { kind: "none" };
  return papers.length === 1 ? { kind: "one", query: papers[0]!.query } : { kind: "several" };
}
