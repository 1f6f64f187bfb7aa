import type { CoreServices } from "../CoreServices.js";
import { type Action, ephemeral, notice, type Response } from "../reply.js";

export type Resolved = { ok: true; researcherId: number } | { ok: false; response: Response };

/**
 * Resolves what the user typed to one researcher, or the reply to show instead: a pick list when
 * several people match, a friendly "not found" with suggestions when nobody does. `pick` builds the
 * button each pick-list entry carries, so choosing one continues the original command.
 */
export async function resolveResearcher(core: CoreServices, query: string, pick: (id: number) => Action): Promise<Resolved> {
  const result = await core.search.find(query);
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
  return {
    ok: false,
    response: ephemeral(
      notice(
        "warning",
        `No researcher found for “${query}”.${hint} Check the spelling, or try their ORCID iD (0000-0002-1825-0097) or OpenAlex id (A5023888391).`,
      ),
    ),
  };
}

export const lookupPick = (id: number): Action => ({ id: "lookup", label: "View profile", value: String(id) });
