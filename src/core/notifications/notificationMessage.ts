// What a new-paper notification says, as reply-model data: one Card per work when sent at once,
// one List of works for a digest. Platform renderers do the rest.
import { plainTex } from "../plainTex.js";
import { workUrl } from "../profiles/profileCard.js";
import { type Action, type Card, type Item, type List, truncate } from "../reply.js";

export const NOTIFICATION_ABSTRACT = 300;
export const DIGEST_ABSTRACT = 160;
/** authors named before "et al." */
const MAX_AUTHORS = 8;

export interface NotifiedWork {
  id: number;
  title: string;
  type: string;
  abstract: string | null;
  venue: string | null;
  year: number | null;
  doi: string | null;
  arxivId: string | null;
  openalexId: string | null;
  /** in author order */
  authors: { researcherId: number; name: string }[];
}

/** Followed (or subscribed) authors are marked with ★ and named first; the rest keep their order. */
export function authorLine(work: NotifiedWork, highlighted: ReadonlySet<number>): string {
  const first = work.authors.filter((a) => highlighted.has(a.researcherId)).map((a) => `★ ${a.name}`);
  const rest = work.authors.filter((a) => !highlighted.has(a.researcherId)).map((a) => a.name);
  const names = [...first, ...rest];
  const shown = names.slice(0, Math.max(MAX_AUTHORS, first.length));
  const more = names.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more` : "") || "Authors not listed";
}

export function workLinks(work: NotifiedWork): string {
  const links = [
    work.doi && `https://doi.org/${work.doi}`,
    work.arxivId && `https://arxiv.org/abs/${work.arxivId}`,
    work.openalexId && `https://openalex.org/${work.openalexId}`,
  ].filter(Boolean);
  return links.join("\n");
}

function highlightedNames(work: NotifiedWork, highlighted: ReadonlySet<number>): string[] {
  return work.authors.filter((a) => highlighted.has(a.researcherId)).map((a) => a.name);
}

/**
 * The message for one new work. `highlighted` holds the researchers the recipient follows (or the
 * channel subscribes to); `forChannel` changes the wording and the buttons.
 */
export function newWorkCard(work: NotifiedWork, highlighted: ReadonlySet<number>, forChannel = false): Card {
  const who = highlightedNames(work, highlighted);
  const subtitle = who.length ? `New ${work.type === "preprint" ? "preprint" : "paper"} by ${who.join(", ")}` : "New paper";
  const fields = [
    { label: "Authors", value: authorLine(work, highlighted) },
    { label: "Venue", value: work.venue ?? "Not yet known", inline: true },
    { label: "Year", value: work.year ? String(work.year) : "Not yet known", inline: true },
  ];
  if (work.abstract) fields.push({ label: "Abstract", value: truncate(plainTex(work.abstract), NOTIFICATION_ABSTRACT) });
  const links = workLinks(work);
  if (links) fields.push({ label: "Links", value: links });
  const first = work.authors.find((a) => highlighted.has(a.researcherId));
  const actions: Action[] = first ? [{ id: "lookup", label: `View ${first.name}`, value: String(first.researcherId) }] : [];
  const context = forChannel
    ? "Posted because this channel subscribes to ★ authors · /researcher subscriptions"
    : `You follow ${who.join(", ") || "an author"} · /researcher mute <name> or /researcher snooze 1d for fewer messages`;
  return { kind: "card", title: work.title, subtitle, url: workUrl(work), fields, items: [], context, actions };
}

export function digestItem(work: NotifiedWork, highlighted: ReadonlySet<number>): Item {
  const meta = [authorLine(work, highlighted), work.venue, work.year].filter(Boolean).join(" · ");
  return {
    title: work.title,
    meta,
    text: work.abstract ? truncate(plainTex(work.abstract), DIGEST_ABSTRACT) : undefined,
    url: workUrl(work),
  };
}

/** One digest message listing several new works. */
export function digestList(items: Item[], mode: "daily" | "weekly" | "instant", part?: { index: number; of: number }): List {
  const period = mode === "weekly" ? "this week" : mode === "daily" ? "today" : "since your last message";
  const n = items.length;
  return {
    kind: "list",
    title: `${n} new paper${n === 1 ? "" : "s"} ${period} from researchers you follow`,
    intro: part && part.of > 1 ? `Part ${part.index} of ${part.of}` : undefined,
    items,
    footer: "★ marks researchers you follow · /researcher digest instant for one message per paper",
  };
}
