import { z } from "zod";
import type { DecideOutcome } from "../claims/ClaimVerifier.js";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { idFromValue, staleButton } from "./claim.js";
import { defineCommand } from "./Command.js";

function decisionReply(o: DecideOutcome, claimId: number): Response {
  switch (o.kind) {
    case "approved":
      return ephemeral(notice("success", `Approved claim #${claimId}: ${o.name} is now claimed and verified (L2). The claimant has been told.`));
    case "rejected":
      return ephemeral(notice("info", `Rejected claim #${claimId} on ${o.name}. The claimant has been told.`));
    case "not_allowed":
      return ephemeral(notice("error", "Only admins of the workspace that reviews claims can approve or reject them."));
    case "self":
      return ephemeral(notice("error", "You can't decide your own claim: another admin has to review it."));
    case "not_found":
      return ephemeral(notice("warning", `There is no claim #${claimId}.`));
    case "already_decided":
      return ephemeral(notice("info", `Claim #${claimId} was already decided (${o.status}).`));
    case "still_claimed":
      return ephemeral(
        notice(
          "warning",
          `${o.name} is still claimed by ${o.holder}. Revoke that claim first with /researcher revoke ${o.name}, then approve this one.`,
        ),
      );
  }
}

async function decide(claimId: number, decision: "approve" | "reject", ctx: CommandContext, core: CoreServices): Promise<Response> {
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await core.claims.decide({ ...me, displayName: ctx.actor.displayName }, ctx, claimId, decision);
  return decisionReply(outcome, claimId);
}

/** A press on a review card: the card shows the decision from now on, whoever made it and wherever. */
async function decideByButton(claimId: number, decision: "approve" | "reject", ctx: CommandContext, core: CoreServices): Promise<Response> {
  const response = await decide(claimId, decision, ctx, core);
  const decided = await core.claims.decidedReviewCard(claimId);
  return decided ? { ...response, source: decided } : response;
}

const claimId = z.coerce
  .number({ error: "Give the claim number, e.g. 12." })
  .int("Give the claim number, e.g. 12.")
  .min(1, "Give the claim number, e.g. 12.")
  .max(999_999_999, "That claim number is too large.");

const button = (decision: "approve" | "reject") => (value: string, ctx: CommandContext, core: CoreServices) => {
  const id = idFromValue(value);
  return id === null ? Promise.resolve(staleButton()) : decideByButton(id, decision, ctx, core);
};

export const approveCommand = defineCommand({
  name: "approve",
  usage: "/researcher approve <claim number>",
  summary: "Admins: approve a claim sent for review.",
  input: z.object({ claimId }),
  fromText: (text) => ({ claimId: text.trim().replace(/^#/, "") }),
  run: ({ claimId }, ctx, core) => decide(claimId, "approve", ctx, core),
  actions: { approve_claim: button("approve") },
});

export const rejectCommand = defineCommand({
  name: "reject",
  usage: "/researcher reject <claim number>",
  summary: "Admins: reject a claim sent for review.",
  input: z.object({ claimId }),
  fromText: (text) => ({ claimId: text.trim().replace(/^#/, "") }),
  run: ({ claimId }, ctx, core) => decide(claimId, "reject", ctx, core),
  actions: { reject_claim: button("reject") },
});
