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
  /** every follow that brought it (deliveries written since reasons were recorded) */
  reasons?: Reason[];
  /** the delivery row, for the "Not relevant" button */
  deliveryId?: string;
}

/** Why a work reached a recipient: a followed researcher, or a followed topic, institution, search or citations. */
export interface Reason {
  kind: "researcher" | "topic" | "institution" | "search" | "citations";
  /** the researcher's id, or the alert's */
  id: number;
  label: string;
  /** citations of the recipient's own claimed profile */
  own?: boolean;
}

function reasonPhrase(r: Reason): string {
  switch (r.kind) {
    case "researcher":
      return r.label;
    case "topic":
      return `the topic ${r.label}`;
    case "institution":
      return `${r.label} (institution)`;
    case "search":
      return `the search “${r.label}”`;
    case "citations":
      return r.own ? "citations of your papers" : `citations of ${r.label}'s papers`;
  }
}

/** "Jonathan Frankle and the topic Neural Network Pruning" (people first). */
export function reasonsSentence(reasons: readonly Reason[]): string {
  const phrases = [...reasons].sort((a, b) => Number(a.kind !== "researcher") - Number(b.kind !== "researcher")).map(reasonPhrase);
  return phrases.length <= 1 ? (phrases[0] ?? "") : `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}`;
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
  const reasons = work.reasons ?? [];
  const own = reasons.find((r) => r.kind === "citations" && r.own);
  const kindOf = work.type === "preprint" ? "preprint" : "paper";
  const subtitle = own
    ? `Your paper was cited by ${work.authors[0]?.name ?? "a new work"}`
    : who.length
      ? `New ${kindOf} by ${who.join(", ")}`
      : reasons.some((r) => r.kind === "citations")
        ? `New ${kindOf} citing ${reasons.find((r) => r.kind === "citations")!.label}`
        : "New paper";
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
  const because = reasons.length ? reasonsSentence(reasons) : who.join(", ");
  const context = forChannel
    ? reasons.length
      ? `Posted because this channel subscribes to ${because} · /researcher subscriptions`
      : "Posted because this channel subscribes to ★ authors · /researcher subscriptions"
    : `You follow ${because || "an author"} · /researcher mute <name> or /researcher snooze 1d for fewer messages`;
  if (work.deliveryId && !forChannel) {
    // Feedback on this paper: "Not relevant" quiets its venue and co-authors for these reasons; "Save" keeps it.
    actions.push({ id: "not_relevant", label: "Not relevant", value: work.deliveryId }, { id: "save_work", label: "Save", value: String(work.id) });
  }
  return { kind: "card", title: work.title, subtitle, url: workUrl(work), fields, items: [], context, actions };
}

export function digestItem(work: NotifiedWork, highlighted: ReadonlySet<number>, reasons: readonly Reason[] = []): Item {
  const meta = [authorLine(work, highlighted), work.venue, work.year].filter(Boolean).join(" · ");
  const beyondPeople = reasons.filter((r) => r.kind !== "researcher");
  return {
    title: work.title,
    meta: beyondPeople.length ? `${meta}\nBecause you follow ${reasonsSentence(reasons)}` : meta,
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
