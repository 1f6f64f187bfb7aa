import { z } from "zod";
import type { StartOutcome } from "../claims/ClaimService.js";
import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { ephemeral, notice, type Response } from "../reply.js";
import { defineCommand } from "./Command.js";
import { query } from "./lookup.js";
import { resolveResearcher } from "./resolveResearcher.js";

/** A button's value as a record id, or null when it was tampered with or is stale. */
export const idFromValue = (value: string): number | null => (/^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null);

export const staleButton = () => ephemeral(notice("error", "That button is no longer valid. Run the command again."));

function claimReply(o: StartOutcome, ttlMinutes: number): Response {
  switch (o.kind) {
    case "not_found":
      return ephemeral(notice("warning", "That researcher no longer exists."));
    case "already_yours":
      return ephemeral(notice("info", `You have already claimed ${o.name}.`));
    case "orcid":
      return ephemeral({
        kind: "list",
        title: `Claim ${o.name}`,
        intro: `Sign in with ORCID to prove this record is yours. The link works once and expires in ${ttlMinutes} minutes.`,
        items: [{ title: "Sign in with ORCID", url: o.url, text: "Peerlink only learns your ORCID iD; nothing is written to your ORCID record." }],
      });
    case "review":
      return ephemeral(
        o.posted
          ? notice("success", `Your claim on ${o.name} was sent to the reviewers (claim #${o.claimId}). You'll get a message when they decide.`)
          : notice(
              "info",
              `Your claim on ${o.name} is recorded (claim #${o.claimId}), but no review channel is set up here: ask an admin to run /researcher approve ${o.claimId}.`,
            ),
      );
    case "already_in_review":
      return ephemeral(notice("info", `Your claim on ${o.name} (claim #${o.claimId}) is waiting for review.`));
    case "disputed":
      return ephemeral(
        notice(
          "warning",
          `${o.name} is already claimed by someone else. Your claim is recorded as a dispute (claim #${o.claimId})` +
            (o.posted ? " and sent to the reviewers; nothing changes until they decide." : "; ask an admin to review it."),
        ),
      );
    case "unavailable":
      return ephemeral(
        o.reason === "orcid_not_configured"
          ? notice("error", "Claims here are verified with ORCID sign-in, which this deployment hasn't set up yet. Ask an admin.")
          : notice("warning", `${o.name}'s record has no ORCID iD, and claims here are verified only by ORCID sign-in. Ask an admin for help.`),
      );
  }
}

async function startClaim(researcherId: number, ctx: CommandContext, core: CoreServices): Promise<Response> {
  const me = await core.accounts.resolve(ctx.actor);
  const outcome = await core.claims.start(
    { ...me, displayName: ctx.actor.displayName ?? ctx.actor.userId, platform: ctx.actor.platform, userId: ctx.actor.userId },
    researcherId,
  );
  return claimReply(outcome, core.claims.settings.stateTtlMinutes);
}

export const claimCommand = defineCommand({
  name: "claim",
  usage: "/researcher claim <name | ORCID iD | OpenAlex id>",
  summary: "Claim your own author record (proven by ORCID sign-in or an admin's review) so invitations reach you.",
  input: z.object({ query }),
  fromText: (text) => ({ query: text }),
  async run({ query }, ctx, core) {
    const r = await resolveResearcher(core, query, (id) => ({ id: "claim", label: "Claim", value: String(id) }));
    return r.ok ? startClaim(r.researcherId, ctx, core) : r.response;
  },
  actions: {
    claim: (value, ctx, core) => {
      const id = idFromValue(value);
      return id === null ? Promise.resolve(staleButton()) : startClaim(id, ctx, core);
    },
  },
});
