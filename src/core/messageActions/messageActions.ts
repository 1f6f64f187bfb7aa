// Message actions: what Peerlink does with a message someone points it at (Slack's message
// shortcut, Discord's message context menu). The adapters hand over the message's text; the
// answer is a compact list of people with their buttons, through the same lookup as /researcher.
import { z } from "zod";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { type Action, ephemeral, type Item, notice, type Response } from "../reply.js";
import type { PickCandidate } from "../search/LiveLookup.js";
import { CONTROL_CHARS } from "../text.js";
import { MAX_REFS, type MessageRef, scanMessage, singlePaper } from "./scanMessage.js";

export type MessageActionId = "find_researchers" | "invite_authors";

export interface MessageAction {
  id: MessageActionId;
  /** What the platform shows in its menu (Discord: at most 32 characters). */
  label: string;
  description: string;
  run(text: string, ctx: CommandContext, core: CoreServices): Promise<Response>;
}

/** Slack messages run to 40,000 characters; what is worth scanning fits in far fewer. */
export const MAX_MESSAGE_TEXT = 8000;
const ALL_CONTROL_CHARS = new RegExp(CONTROL_CHARS.source, "g");
export const messageText = z
  .string()
  .max(200_000)
  // Someone else's message, not a command: its control characters (a NUL Postgres would refuse) become spaces.
  .transform((t) => t.slice(0, MAX_MESSAGE_TEXT).replace(ALL_CONTROL_CHARS, " "));

/** One person the message names, as Peerlink has them or as only the scholarly directory knows them. */
interface Person {
  value: string;
  name: string;
  meta: string;
  claimed?: boolean;
}

const fromLocal = async (core: CoreServices, ids: number[], meta: string): Promise<Person[]> => {
  const rows = await core.db.researcher.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, claimedByAccountId: true } });
  return ids.flatMap((id) => {
    const r = rows.find((x) => x.id === id);
    return r ? [{ value: String(r.id), name: r.displayName, meta, claimed: r.claimedByAccountId !== null }] : [];
  });
};

const fromCandidates = async (core: CoreServices, candidates: PickCandidate[], meta: string): Promise<Person[]> => {
  const people: Person[] = [];
  for (const c of candidates) {
    if (c.researcherId !== undefined) people.push(...(await fromLocal(core, [c.researcherId], meta)));
    else if (c.sourceId) people.push({ value: `oa:${c.sourceId}`, name: c.displayName, meta: `${meta} · ${c.hints.slice(0, 2).join(" · ")}` });
  }
  return people;
};

/** The people one identifier names: a person, or a paper's authors. Nothing when nobody is found. */
async function peopleOf(ref: MessageRef, ctx: CommandContext, core: CoreServices): Promise<Person[]> {
  if (ref.kind === "name") return fromLocal(core, [ref.researcherId], "named in the message");
  const openAlexWork = /openalex\.org\/(W\d+)$/i.exec(ref.query)?.[1];
  if (openAlexWork) {
    const work = await core.db.work.findUnique({
      where: { openalexId: openAlexWork.toUpperCase() },
      select: { title: true, authorships: { orderBy: { position: "asc" }, select: { researcherId: true } } },
    });
    return work
      ? fromLocal(
          core,
          work.authorships.map((a) => a.researcherId),
          `author of “${work.title}”`,
        )
      : [];
  }
  const what = ref.kind === "paper" ? `author of ${ref.query}` : ref.kind === "orcid" ? `ORCID ${ref.query}` : `OpenAlex ${ref.query}`;
  const local = await core.search.find(ref.query);
  if (local.kind === "found" && (local.exact || !core.live.enabled)) return fromLocal(core, [local.researcherId], what);
  if (!core.live.enabled)
    return local.kind === "ambiguous"
      ? fromLocal(
          core,
          local.candidates.map((c) => c.id),
          what,
        )
      : [];
  const requester = `${ctx.actor.platform}:${ctx.actor.tenantId}:${ctx.actor.userId}`;
  const live = await core.live.resolve(ref.query, local, requester);
  switch (live.kind) {
    case "found":
      return fromLocal(core, [live.researcherId], what);
    case "pick":
      return fromCandidates(core, live.candidates, live.workTitle ? `author of “${live.workTitle}”` : what);
    case "failed":
      return live.local.kind === "found" ? fromLocal(core, [live.local.researcherId], what) : [];
    case "none":
      return [];
  }
}

async function peopleIn(refs: MessageRef[], ctx: CommandContext, core: CoreServices): Promise<Person[]> {
  const seen = new Set<string>();
  const people: Person[] = [];
  for (const ref of refs) {
    for (const p of await peopleOf(ref, ctx, core)) {
      if (seen.has(p.value)) continue;
      seen.add(p.value);
      people.push(p);
    }
  }
  return people;
}

const follow = (p: Person): Action => ({ id: "follow", label: "Follow", value: p.value });
const invite = (p: Person): Action =>
  p.claimed === false
    ? { id: "watch_claim", label: "Tell me when they claim", value: p.value }
    : { id: "invite", label: "Invite", value: p.value, style: "primary" };

const NOTHING =
  "I found no researcher in that message: no DOI, arXiv id, ORCID iD or OpenAlex link, and no name of someone in Peerlink. Try /researcher <name>.";

export const findResearchers: MessageAction = {
  id: "find_researchers",
  label: "Find researchers in this message",
  description: "Every DOI, arXiv id, ORCID iD, OpenAlex link and researcher name in it, as cards with Follow and Invite",
  async run(text, ctx, core) {
    const refs = await scanMessage(core.db, text);
    if (refs.length === 0) return ephemeral(notice("info", NOTHING));
    const people = await peopleIn(refs, ctx, core);
    if (people.length === 0) return ephemeral(notice("info", `I looked up ${refs.map((r) => r.query).join(", ")} but found nobody.`));
    const shown = people.slice(0, MAX_REFS * 2);
    const items: Item[] = shown.map((p) => ({ title: p.name, meta: p.meta, actions: [follow(p), invite(p)] }));
    return ephemeral({
      kind: "list",
      title: `Researchers in this message (${people.length})`,
      intro: `From ${refs.length} mention${refs.length === 1 ? "" : "s"}: ${refs.map((r) => r.query).join(", ")}`.slice(0, 500),
      items,
      footer: people.length > shown.length ? `${people.length - shown.length} more not shown` : undefined,
    });
  },
};

export const inviteAuthors: MessageAction = {
  id: "invite_authors",
  label: "Invite the authors of this paper",
  description: "The authors of the one paper linked in the message, each with Invite",
  async run(text, ctx, core) {
    const paper = await singlePaper(core.db, text);
    if (paper.kind === "none") return ephemeral(notice("info", "That message holds no paper link (a DOI, an arXiv id or an OpenAlex work)."));
    if (paper.kind === "several") {
      return ephemeral(notice("info", "That message links several papers; use Find researchers in this message to see all their authors."));
    }
    const authors = await peopleOf({ kind: "paper", query: paper.query }, ctx, core);
    if (authors.length === 0) return ephemeral(notice("warning", `I couldn't find the authors of ${paper.query}.`));
    return ephemeral({
      kind: "list",
      title: `Invite the authors of ${paper.query}`,
      intro: "Authors who claimed their profile can be invited; for the others, Peerlink tells you when they claim it.",
      items: authors.map((p) => ({ title: p.name, meta: p.meta, actions: [invite(p)] })),
    });
  },
};

export const messageActions: Record<MessageActionId, MessageAction> = { find_researchers: findResearchers, invite_authors: inviteAuthors };
