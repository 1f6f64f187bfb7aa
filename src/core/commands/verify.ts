import { ephemeral, notice } from "../reply.js";
import { researcherCommand } from "./researcherCommand.js";

/** L3 is granted by a person, not computed: a reviewer who has confirmed the claimant with their institution. */
export const verifyCommand = researcherCommand({
  name: "verify",
  summary: "Admins: mark a claimed record as verified by the researcher's institution (L3).",
  async run(researcherId, ctx, core) {
    const me = await core.accounts.resolve(ctx.actor);
    const note = `granted with /researcher verify by ${ctx.actor.displayName ?? ctx.actor.userId} (${ctx.actor.platform})`;
    const o = await core.claims.grantInstitution(me, ctx, researcherId, note);
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
