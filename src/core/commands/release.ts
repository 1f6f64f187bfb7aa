import type { ReleaseOutcome } from "../claims/ClaimService.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { researcherCommand } from "./researcherCommand.js";

function releaseReply(o: ReleaseOutcome): Response {
  switch (o.kind) {
    case "released":
      return ephemeral(
        notice("success", `You released your claim on ${o.name}. Invitations for ${o.name} are paused until someone verifies it again.`),
      );
    case "revoked":
      return ephemeral(notice("success", `Revoked the claim on ${o.name}. The former claimant has been told.`));
    case "not_yours":
      return ephemeral(notice("warning", "That record is claimed by someone else, so there is nothing for you to release."));
    case "not_claimed":
      return ephemeral(notice("info", "That record is not claimed."));
    case "not_found":
      return ephemeral(notice("warning", "That researcher no longer exists."));
    case "not_allowed":
      return ephemeral(notice("error", "Only admins of the workspace that reviews claims can revoke them."));
  }
}

export const releaseCommand = researcherCommand({
  name: "release",
  summary: "Give up your claim on an author record.",
  run: async (id, ctx, core) => releaseReply(await core.claims.release(await core.accounts.resolve(ctx.actor), id)),
});

export const revokeCommand = researcherCommand({
  name: "revoke",
  summary: "Admins: take a verified claim away from its claimant (e.g. to settle a dispute).",
  run: async (id, ctx, core) => releaseReply(await core.claims.revoke(await core.accounts.resolve(ctx.actor), ctx, id)),
});
