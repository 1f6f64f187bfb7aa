import { z } from "zod";
import { TEAM_PAGE_SIZE, teamList } from "../intros/TeamMap.js";
import { ephemeral, notice } from "../reply.js";
import { defineCommand, splitTrailingPage } from "./Command.js";

const WHERE = { slack: "workspace", discord: "server", console: "console" } as const;

export const teamCommand = defineCommand({
  name: "team",
  usage: "/researcher team [page]",
  summary: "Who works on what here: the claimed profiles of people who opted in, their main topics and co-author ties, as a picture and a list.",
  input: z.object({
    page: z.coerce.number({ error: "The page must be a number." }).int().min(1, "Pages start at 1.").max(10_000).default(1),
  }),
  fromText: (text) => (text.trim() ? { page: splitTrailingPage(`x ${text}`).page ?? text.trim() } : {}),
  async run({ page }, ctx, core) {
    const tenant = core.intros.tenantOf(ctx.actor);
    if (!tenant) return ephemeral(notice("info", "The team map is per server: run /researcher team in the server."));
    const team = await core.intros.team(tenant);
    const where = WHERE[tenant.platform];
    if (team.members.length === 0) {
      return ephemeral(notice("info", `Nobody in this ${where} has joined intros and the team map yet. Join with /researcher privacy on.`));
    }
    const pages = Math.ceil(team.members.length / TEAM_PAGE_SIZE);
    if (page > pages) return ephemeral(notice("warning", `The team map has ${pages} page${pages === 1 ? "" : "s"}; page ${page} is past the end.`));
    return ephemeral(teamList(team, page, where));
  },
});
