// `/researcher home`: the dashboard Slack shows in its Home tab, as a reply anywhere (Discord has no
// home tab, the console no tabs at all). Its "More" and "Previous" buttons turn one section's page and
// redraw the dashboard in place; the value carries every section's page, so nothing needs keeping.
import { z } from "zod";
import { parseHomePages } from "../home/HomeService.js";
import { ephemeral } from "../reply.js";
import { defineCommand } from "./Command.js";

export const homeCommand = defineCommand({
  name: "home",
  usage: "/researcher home",
  summary: "Your dashboard: your claim, invitations waiting for you, what you follow with their latest papers, this week's notifications.",
  input: z.object({}),
  fromText: () => ({}),
  async run(_input, ctx, core) {
    return ephemeral(await core.home.load(ctx.actor, core.clock.now()));
  },
  actions: {
    // A forged or outdated value shows every section from its first page.
    async home_page(value, ctx, core) {
      const home = await core.home.load(ctx.actor, core.clock.now(), parseHomePages(value) ?? {});
      return { ...ephemeral(home), inPlace: true };
    },
  },
});
