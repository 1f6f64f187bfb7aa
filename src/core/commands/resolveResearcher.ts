import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { type Action, ephemeral, type Item, notice, type Response } from "../reply.js";
import { parseResearcherRef } from "../search/identifiers.js";
import type { LiveResult, PickCandidate } from "../search/LiveLookup.js";
import type { SearchResult } from "../search/ResearcherSearch.js";
import type { DirectoryFailure } from "../search/ScholarlyDirectory.js";

export type Resolved = { ok: true; researcherId: number } | { ok: false; response: Response };

/**
 * Resolves what the user typed to one researcher, or the reply to show instead: a pick list when
 * several people match, a friendly "not found" saying what was searched when nobody does. Local data
 * answers first; what it cannot answer exactly goes to the scholarly directory (when configured).
 * `pick` builds the button each stored pick-list entry carries, so choosing one continues the
 * original command; someone only the directory knows gets "View profile", which imports them.
 */
export async function resolveResearcher(core: CoreServices, query: string, pick: (id: number) => Action, ctx?: CommandContext): Promise<Resolved> {
  const local = await core.search.find(query);
  if (local.kind === "found" && (local.exact || !core.live.enabled)) {
    await core.live.ensureWhole(local.researcherId);
    return { ok: true, researcherId: local.researcherId };
  }
  if (!core.live.enabled) return localOnly(core, query, local, pick);

  await ctx?.progress?.(`Looking up “${query}” in OpenAlex…`).catch(() => {});
  const requester = ctx ? `${ctx.actor.platform}:${ctx.actor.tenantId}:${ctx.actor.userId}` : undefined;
  const live = await core.live.resolve(query, local, requester);
  return fromLive(core, query, live, pick);
}

async function fromLive(core: CoreServices, query: string, live: LiveResult, pick: (id: number) => Action): Promise<Resolved> {
  switch (live.kind) {
    case "found":
      return { ok: true, researcherId: live.researcherId };
    case "pick":
      return {
        ok: false,
        response: pickList(live.workTitle ? `Authors of “${live.workTitle}”` : `Several researchers match “${query}”`, live.candidates, pick),
      };
    case "none":
      return { ok: false, response: ephemeral(notice("warning", notFound(query, live.searched, true))) };
    case "failed": {
      // Whatever Peerlink already has still answers.
      const { local } = live;
      if (local.kind === "found") return { ok: true, researcherId: local.researcherId };
      const note = failureText(live.reason);
      if (local.kind === "ambiguous") {
        const list = pickList(`Several researchers match “${query}”`, await core.live.localCandidates(local.candidates, query), pick);
        if (list.reply.kind === "list") list.reply.footer = `${note} These are the matches already in Peerlink.`;
        return { ok: false, response: list };
      }
      return { ok: false, response: ephemeral(notice(live.reason === "unreachable" ? "error" : "warning", `${note} ${noneLocally(query)}`)) };
    }
  }
}

function pickList(title: string, candidates: PickCandidate[], pick: (id: number) => Action): Response {
  const items: Item[] = candidates.map((c) => ({
    title: c.displayName,
    meta: c.hints.join(" · "),
    actions: [c.researcherId !== undefined ? pick(c.researcherId) : remotePick(c.sourceId!)],
  }));
  return ephemeral({ kind: "list", title, intro: "Pick the one you mean:", items });
}

/** The reply when only local data may answer (no directory configured). */
function localOnly(core: CoreServices, query: string, result: SearchResult, pick: (id: number) => Action): Resolved {
  if (result.kind === "found") return { ok: true, researcherId: result.researcherId };
  if (result.kind === "ambiguous") {
    return {
      ok: false,
      response: ephemeral({
        kind: "list",
        title: `Several researchers match “${query}”`,
        intro: "Pick the one you mean:",
        items: result.candidates.map((c) => ({
          title: c.displayName,
          meta: `${Math.round(c.score * 100)}% name match · ${c.citedByCount.toLocaleString("en-US")} citations`,
          actions: [pick(c.id)],
        })),
      }),
    };
  }
  const suggestions = result.suggestions.map((s) => s.displayName);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `“${s}”`).join(", ")}?` : "";
  return { ok: false, response: ephemeral(notice("warning", `${noneLocally(query)}${hint}`)) };
}

/** What was searched for, and what to try that differs from what was typed (so it cannot loop). */
function notFound(query: string, searched: string, inOpenAlex: boolean): string {
  const where = inOpenAlex ? "in Peerlink or OpenAlex" : "in Peerlink";
  const ref = parseResearcherRef(query);
  const tryInstead =
    ref.kind === "name"
      ? "Check the spelling or try their full name; or paste their ORCID iD or OpenAlex profile link (openalex.org/A…)."
      : ref.kind === "orcid"
        ? "Check the iD against their orcid.org page, or try their name."
        : ref.kind === "openalex"
          ? "Check the id on their openalex.org page, or try their name or ORCID iD."
          : "Try the researcher's name or ORCID iD instead.";
  return `No researcher found for ${searched} ${where}. ${tryInstead}`;
}

function noneLocally(query: string): string {
  const ref = parseResearcherRef(query);
  const searched = ref.kind === "name" ? `“${ref.name}”` : `“${query.trim()}”`;
  return `No researcher found for ${searched} among the researchers in Peerlink. Check the spelling or try their full name; an admin can add anyone from OpenAlex with npm run import -- author <name | ORCID iD | OpenAlex id>.`;
}

function failureText(reason: DirectoryFailure): string {
  switch (reason) {
    case "busy":
      return "The scholarly database (OpenAlex) is busy, try again in a minute.";
    case "unreachable":
      return "The scholarly database (OpenAlex) cannot be reached right now, so only researchers already in Peerlink can be looked up.";
    case "budget":
      return "Peerlink has used today's OpenAlex allowance, so new people can be looked up again after midnight UTC; researchers already in Peerlink still can.";
    case "user_limit":
      return "You have started many new OpenAlex searches this hour; please try again later. Researchers already in Peerlink can still be looked up.";
  }
}

export const lookupPick = (id: number): Action => ({ id: "lookup", label: "View profile", value: String(id) });
/** A person only the directory knows: the lookup action imports them by source id. */
export const remotePick = (sourceId: string): Action => ({ id: "lookup", label: "View profile", value: `oa:${sourceId}` });
