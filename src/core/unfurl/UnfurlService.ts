// Turns a pasted scholarly link (OpenAlex, ORCID, arXiv, DOI) into a compact card when Peerlink
// knows the researcher or work, so chat adapters can unfurl it. Null when the link is unknown.
import type { Db } from "../../db/client.js";
import { profileCard, workItem, workUrl } from "../profiles/profileCard.js";
import type { ProfileService } from "../profiles/ProfileService.js";
import { plainTex } from "../plainTex.js";
import { type Card, truncate } from "../reply.js";

export type ScholarlyLink =
  | { kind: "researcher"; openalexId: string }
  | { kind: "researcher"; orcid: string }
  | { kind: "work"; openalexId: string }
  | { kind: "work"; arxivId: string }
  | { kind: "work"; doi: string };

/** Hosts whose links Peerlink can unfurl (the app manifest lists the same domains). */
export const UNFURL_DOMAINS = ["openalex.org", "orcid.org", "arxiv.org", "doi.org"];

/** Recognises the link forms people paste; anything else is null. */
export function parseScholarlyLink(raw: string): ScholarlyLink | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase().replace(/^(www|api|dx)\./, "");
  const path = decodeURIComponent(url.pathname);
  if (host === "openalex.org") {
    const m = /^\/(?:(?:authors|works)\/)?([AW]\d{4,12})\/?$/i.exec(path);
    if (!m) return null;
    const id = m[1]!.toUpperCase();
    return id.startsWith("A") ? { kind: "researcher", openalexId: id } : { kind: "work", openalexId: id };
  }
  if (host === "orcid.org") {
    const m = /^\/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\/?$/i.exec(path);
    return m ? { kind: "researcher", orcid: m[1]!.toUpperCase() } : null;
  }
  if (host === "arxiv.org") {
    const m = /^\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?(?:\.pdf)?\/?$/i.exec(path);
    return m ? { kind: "work", arxivId: m[1]! } : null;
  }
  if (host === "doi.org") {
    const doi = path.replace(/^\//, "").trim().toLowerCase();
    return /^10\.\d{4,9}\/\S+$/.test(doi) ? { kind: "work", doi } : null;
  }
  return null;
}

export const UNFURL_WORK_AUTHORS = 3;

export class UnfurlService {
  constructor(
    private readonly db: Db,
    private readonly profiles: ProfileService,
  ) {}

  async unfurl(url: string): Promise<Card | null> {
    const link = parseScholarlyLink(url);
    if (!link) return null;
    return link.kind === "researcher" ? this.researcher(link) : this.work(link);
  }

  private async researcher(link: Extract<ScholarlyLink, { kind: "researcher" }>): Promise<Card | null> {
    const where = "orcid" in link ? { orcid: link.orcid } : { openalexId: link.openalexId };
    const row = await this.db.researcher.findUnique({ where, select: { id: true } });
    if (!row) return null;
    const profile = await this.profiles.load(row.id, { recentWorks: 1 });
    if (!profile) return null;
    const full = profileCard(profile);
    const keep = new Set(["Affiliation", "Trust", "Verification", "Counts"]);
    return {
      ...full,
      subtitle: full.subtitle ? truncate(full.subtitle, 200) : undefined,
      fields: full.fields.filter((f) => keep.has(f.label)),
      itemsTitle: profile.recentWorks.length ? "Latest work" : undefined,
      items: full.items.map((i) => ({ ...i, text: i.text ? truncate(i.text, 160) : undefined })),
      context: "Peerlink researcher profile",
      actions: [
        { id: "lookup", label: "Open profile", value: String(profile.id) },
        { id: "follow", label: "Follow", value: String(profile.id) },
      ],
    };
  }

  private async work(link: Extract<ScholarlyLink, { kind: "work" }>): Promise<Card | null> {
    const where = "doi" in link ? { doi: link.doi } : "arxivId" in link ? { arxivId: link.arxivId } : { openalexId: link.openalexId };
    const w = await this.db.work.findUnique({
      where,
      select: {
        id: true,
        type: true,
        title: true,
        abstract: true,
        publicationYear: true,
        venue: true,
        doi: true,
        arxivId: true,
        openalexId: true,
        authorships: {
          orderBy: { position: "asc" },
          take: UNFURL_WORK_AUTHORS,
          select: { researcher: { select: { id: true, displayName: true } } },
        },
        _count: { select: { authorships: true } },
      },
    });
    if (!w) return null;
    const summary = { ...w, year: w.publicationYear };
    const meta = workItem(summary).meta;
    const authors = w.authorships.map((a) => a.researcher);
    const others = w._count.authorships - authors.length;
    return {
      kind: "card",
      title: w.title,
      subtitle: w.abstract ? truncate(plainTex(w.abstract), 280) : undefined,
      url: workUrl(w),
      fields: [
        { label: "Published", value: meta ?? "undated", inline: true },
        {
          label: "Authors",
          value: authors.map((a) => a.displayName).join(", ") + (others > 0 ? ` and ${others} more` : ""),
          inline: true,
        },
      ],
      items: [],
      context: "Peerlink work",
      actions: authors.map((a) => ({ id: "lookup", label: truncate(a.displayName, 60), value: String(a.id) })),
    };
  }
}
