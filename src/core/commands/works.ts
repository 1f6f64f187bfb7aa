import { z } from "zod";
import { workItem } from "../profiles/profileCard.js";
import { type Action, ephemeral, notice } from "../reply.js";
import type { CoreServices } from "../CoreServices.js";
import { defineCommand, splitTrailingPage } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

export const WORKS_PAGE_SIZE = 5;

const worksAction = (researcherId: number, page: number, label = "View works"): Action => ({
  id: "works",
  label,
  value: `${researcherId}:${page}`,
});

async function worksPage(researcherId: number, page: number, core: CoreServices) {
  const [name, counts] = await Promise.all([core.profiles.name(researcherId), core.profiles.counts(researcherId)]);
  if (name === null) return ephemeral(notice("warning", "That researcher no longer exists."));
  const pages = Math.max(1, Math.ceil(counts.works / WORKS_PAGE_SIZE));
  if (page > pages) {
    return ephemeral(notice("warning", `${name} has ${pages} page${pages === 1 ? "" : "s"} of works; page ${page} is past the end.`));
  }
  const works = await core.profiles.works(researcherId, (page - 1) * WORKS_PAGE_SIZE, WORKS_PAGE_SIZE);
  const actions: Action[] = [];
  if (page > 1) actions.push(worksAction(researcherId, page - 1, "Previous page"));
  if (page < pages) actions.push(worksAction(researcherId, page + 1, "Next page"));
  return ephemeral({
    kind: "list",
    title: `Works by ${name}`,
    intro: `${counts.works} published item${counts.works === 1 ? "" : "s"}, most recent first.`,
    items: works.map((w) => workItem(w, 500)),
    footer: `Page ${page} of ${pages}`,
    actions,
  });
}

export const worksCommand = defineCommand({
  name: "works",
  aliases: ["papers"],
  usage: "/researcher works <name | ORCID iD | OpenAlex id> [page]",
  summary: "Page through a researcher's works, most recent first.",
  input: z.object({
    query,
    page: z.coerce
      .number({ error: "The page must be a number." })
      .int("The page must be a whole number.")
      .min(1, "Pages start at 1.")
      .max(10_000, "That page number is too large.")
      .default(1),
  }),
  fromText: splitTrailingPage,
  async run({ query, page }, _ctx, core) {
    const resolved = await resolveResearcher(core, query, (id) => worksAction(id, page));
    if (!resolved.ok) return resolved.response;
    return worksPage(resolved.researcherId, page, core);
  },
  actions: {
    async works(value, _ctx, core) {
      // "<researcher id>:<page>"; anything else is a stale or forged button, not a query for Prisma to refuse.
      const match = /^(\d{1,9}):(\d{1,5})$/.exec(value) ?? /^(\d{1,9})$/.exec(value);
      const id = Number(match?.[1]);
      if (!match || id <= 0) return ephemeral(notice("error", "That button is no longer supported."));
      return worksPage(id, Number(match[2] ?? 1) || 1, core);
    },
  },
});
