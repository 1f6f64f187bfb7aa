import { z } from "zod";
import { ephemeral } from "../reply.js";
import { defineCommand } from "./Command.js";

export const helpCommand = defineCommand({
  name: "help",
  aliases: ["?"],
  usage: "/researcher help",
  summary: "List every command.",
  input: z.object({}),
  fromText: () => ({}),
  async run(_input, _ctx, core) {
    return ephemeral({
      kind: "list",
      title: "Peerlink commands",
      intro: "Look up researchers, follow their new papers, claim your own profile and invite people to collaborate.",
      items: core.router.commands.map((c) => ({ title: c.usage, text: c.summary })),
      footer: "Names are typo-tolerant: “Jonathon Frankel” finds Jonathan Frankle.",
    });
  },
});
