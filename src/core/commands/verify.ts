import { z } from "zod";
import { ephemeral, notice } from "../reply.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { lookupPick, resolveResearcher } from "./resolveResearcher.js";

/** L3 is granted by a person, not computed: a reviewer who has confirmed the claimant with their institution. */
export const verifyCommand = defineCommand({
  name: "verify",
  usage: "/researcher verify <name | ORCID iD | OpenAlex id>",
  summary: "Admins: mark a claimed record as verified by the researcher's institution (L3).",
  input: z.object({ query }),
  fromText: (text) => ({ query: text }),
  async run({ query }, ctx, core) {
    const r = await resolveResearcher(core, query, lookupPick);
    if (!r.ok) return r.response;
    const me = await core.accounts.resolve(ctx.actor);
    const note = `granted with /researcher verify by ${ctx.actor.displayName ?? ctx.actor.userId} (${ctx.actor.platform})`;
    const o = await core.claims.grantInstitution(me, ctx, r.researcherId, note);
    switch (o.kind) {
      case "granted":
        return ephemeral(notice("success", `${o.name} is now verified by institution (L3).`));
      case "already":
        return ephemeral(notice("info", "That record is already verified by institution (L3)."));
      case "not_claimed":
        return ephemeral(notice("warning", "Only a claimed record can be verified by institution: the claim says who the person is."));
      case "not_found":
        return ephemeral(notice("warning", "That researcher no longer exists."));
      case "not_allowed":
        return ephemeral(notice("error", "Only admins of the workspace that reviews claims can grant institution verification."));
    }
  },
});
