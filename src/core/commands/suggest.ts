import { z } from "zod";
import { findTopics, STRONG_TOPIC_MATCH, topicName, topicsOfWorksTitled } from "../graph/findTopics.js";
import { type Suggestion, suggestForResearcher, suggestForTopic } from "../graph/suggestCollaborators.js";
import { type Action, ephemeral, type List, notice, type Response } from "../reply.js";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { defineCommand } from "./Command.js";
import { resolveResearcher } from "./resolveResearcher.js";
import { looksLikeName } from "./unknownCommand.js";

const suggestPick = (id: number): Action => ({ id: "suggest", label: "Suggest for this researcher", value: `r:${id}` });

function suggestionList(title: string, intro: string, suggestions: Suggestion[]): List {
  return {
    kind: "list",
    title,
    intro,
    items: suggestions.map((s) => ({
      title: s.name,
      meta: s.reason,
      actions: [
        // Only a claimed researcher can receive an invitation: for the others, offer what can be done.
        s.claimed
          ? { id: "invite", label: "Invite", value: String(s.researcherId), style: "primary" as const }
          : { id: "watch_claim", label: "Tell me when they claim", value: String(s.researcherId) },
        { id: "lookup", label: "View profile", value: String(s.researcherId) },
      ],
    })),
    footer: "Only researchers who claimed their profile can receive an invitation.",
  };
}

/** Suggestions are people to contact: never the viewer themselves (a researcher they claimed). */
async function notMe(suggestions: Suggestion[], ctx: CommandContext, core: CoreServices): Promise<Suggestion[]> {
  const mine = await core.profiles.claimedBy((await core.accounts.resolve(ctx.actor)).accountId);
  return suggestions.filter((s) => !mine.has(s.researcherId));
}

async function forResearcher(researcherId: number, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const name = await core.profiles.name(researcherId);
  if (name === null) return ephemeral(notice("warning", "That researcher no longer exists."));
  const suggestions = await notMe(await suggestForResearcher(core.db, researcherId, name), ctx, core);
  if (!suggestions.length) {
    return ephemeral(
      notice("info", `No suggestions for ${name} yet: nobody near them in the co-author and topic graph is outside their co-authors.`),
    );
  }
  return ephemeral(
    suggestionList(
      `People ${name} could talk to`,
      "Near in the co-author and topic graph, not yet co-authors. Claimed profiles first among equals.",
      suggestions,
    ),
  );
}

/** `via`: why this topic, when the user typed a word that is not its name. */
async function forTopic(topicId: number, ctx: CommandContext, core: CoreServices, via?: string): Promise<Response> {
  const name = await topicName(core.db, topicId);
  if (name === null) return ephemeral(notice("warning", "That topic no longer exists."));
  const suggestions = await notMe(await suggestForTopic(core.db, topicId, name), ctx, core);
  if (!suggestions.length) return ephemeral(notice("info", `Nobody else works on ${name} yet in the imported data.`));
  const intro = "Most works on the topic and most co-authors who share it.";
  return ephemeral(suggestionList(`Central researchers in ${name}`, via ? `${via} ${intro}` : intro, suggestions));
}

const TOPIC_PREFIX = /^topic\s*:\s*/i;

export const suggestCommand = defineCommand({
  name: "suggest",
  aliases: ["suggestions"],
  usage: "/researcher suggest <name | topic>   (or: suggest topic: <topic>)",
  summary: "Who to talk to: people near a researcher who have not written with them yet, or the central people of a topic.",
  input: z.object({
    query: z
      .string({ error: "Tell me a researcher or a topic, e.g. /researcher suggest Jonathan Frankle." })
      .trim()
      .min(1, "Tell me a researcher or a topic, e.g. /researcher suggest Jonathan Frankle.")
      .max(200, "That is too long (200 characters at most)."),
  }),
  fromText: (text) => ({ query: text.trim() }),
  async run({ query }, ctx, core) {
    const topicOnly = TOPIC_PREFIX.test(query);
    const text = query.replace(TOPIC_PREFIX, "").trim();
    if (!text) return ephemeral(notice("error", "Which topic? e.g. /researcher suggest topic: sparse neural networks"));
    const topics = await findTopics(core.db, text);
    const best = topics[0];
    if (best && (topicOnly || best.score >= STRONG_TOPIC_MATCH)) return forTopic(best.id, ctx, core);
    // A subject no topic is named after ("pruning"): the topic its works are filed under.
    const filed = best || looksLikeName(text) ? undefined : (await topicsOfWorksTitled(core.db, text))[0];
    const filedUnder =
      filed &&
      `No topic is named “${text}”; ${filed.name} is the topic of ${filed.works} work${filed.works === 1 ? "" : "s"} with “${text}” in the title.`;
    if (filed) return forTopic(filed.id, ctx, core, filedUnder);
    if (topicOnly) return ephemeral(notice("warning", `No topic matches “${text}”. Try fewer or different words.`));
    const resolved = await resolveResearcher(core, text, suggestPick);
    if (resolved.ok) return forResearcher(resolved.researcherId, ctx, core);
    // Nobody by that name: a weaker topic match is a better answer than "not found".
    if (best) return forTopic(best.id, ctx, core);
    return resolved.response;
  },
  actions: {
    async suggest(value, ctx, core) {
      const m = /^([rt]):(\d{1,10})$/.exec(value);
      if (!m) return ephemeral(notice("error", "That button is no longer valid."));
      return m[1] === "t" ? forTopic(Number(m[2]), ctx, core) : forResearcher(Number(m[2]), ctx, core);
    },
  },
});
