import { z } from "zod";
import { ephemeral } from "../reply.js";
import { type AnyCommand, defineCommand, offeredOn } from "./Command.js";

/** Help for the listed commands (a function, so the list can include help itself). */
export const helpCommand = (listed: () => readonly AnyCommand[]) =>
  defineCommand({
    name: "help",
    aliases: ["?"],
    usage: "/researcher help",
    summary: "List every command.",
    input: z.object({}),
    fromText: () => ({}),
    async run(_input, ctx) {
      return ephemeral({
        kind: "list",
        title: "Peerlink commands",
        intro: "Look up researchers, follow their new papers, claim your own profile and invite people to collaborate.",
        items: listed()
          .filter((c) => offeredOn(c, ctx.actor.platform))
          .map((c) => ({ title: c.usage, text: c.summary })),
        footer: "Names are typo-tolerant: “Jonathon Frankel” finds Jonathan Frankle.",
      });
    },
  });
