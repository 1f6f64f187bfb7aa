import type { Db } from "../../db/client.js";
import type { Clock, Platform } from "../context.js";
import { editMessage } from "../messages/editMessage.js";
import type { ErrorLog, Messengers } from "../ports.js";
import { type Card, notice, type Reply } from "../reply.js";
import { verificationLabel } from "../trust/trust.js";

export interface ReviewChannel {
  platform: Platform;
  tenantId: string;
  channelId: string;
}

export interface ReviewRequest {
  claimId: number;
  disputed: boolean;
  researcher: { id: number; displayName: string; orcid: string | null; openalexId: string | null; verificationLevel: number };
  claimant: { displayName: string; platform: Platform; userId: string };
  holder: string | null;
}

/**
 * Messages about claims that go outside the command's own reply: review requests to the review
 * channel, outcomes to claimants, "they claimed their profile" to watchers. Delivery problems are
 * logged, never thrown: the claim itself is already decided and committed.
 */
export class ClaimNotifier {
  constructor(
    private readonly db: Db,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Posts a review card with Approve / Reject; false when there is no channel or messenger for it.
   * Where it was posted is kept (posted_message), so the card can show the decision once made.
   */
  async postReview(channel: ReviewChannel | undefined, request: ReviewRequest): Promise<boolean> {
    const messenger = channel && this.messengers()[channel.platform];
    if (!channel || !messenger) return false;
    try {
      const { messageRef } = await messenger.send(channel, reviewCard(request));
      await this.db.postedMessage.createMany({
        data: [
          { subject: claimSubject(request.claimId), platform: channel.platform, tenantId: channel.tenantId, messageRef, createdAt: this.clock.now() },
        ],
        skipDuplicates: true,
      });
      return true;
    } catch (err) {
      this.log.error({ err, claimId: request.claimId }, "claim review request not delivered");
      return false;
    }
  }

  /**
   * A decided claim's review card: what it asked, who decided what and when, and no buttons. Null
   * while the claim is still open (or gone).
   */
  async decidedReviewCard(claimId: number): Promise<Card | null> {
    const claim = await this.db.claim.findUnique({
      where: { id: claimId },
      select: {
        status: true,
        decidedAt: true,
        decidedByIdentityId: true,
        account: { select: { displayName: true } },
        researcher: { select: { displayName: true } },
      },
    });
    if (!claim || claim.status === "pending" || claim.status === "disputed") return null;
    const reviewer = claim.decidedByIdentityId
      ? await this.db.chatIdentity.findUnique({ where: { id: claim.decidedByIdentityId }, select: { displayName: true, userId: true } })
      : null;
    const by = reviewer ? ` by ${reviewer.displayName ?? reviewer.userId}` : "";
    const on = claim.decidedAt ? ` on ${claim.decidedAt.toISOString().slice(0, 10)}` : "";
    const decision = DECISIONS[claim.status] ?? claim.status;
    return {
      kind: "card",
      title: `Claim #${claimId}: ${claim.researcher.displayName} — ${decision}`,
      subtitle: `${claim.account.displayName} asked to be confirmed as ${claim.researcher.displayName}.`,
      fields: [
        { label: "Claimant", value: claim.account.displayName, inline: true },
        { label: "Decision", value: `${decision}${by}${on}`, inline: true },
      ],
      items: [],
      context: "This claim has been decided; nothing is left to do here.",
      actions: [],
    };
  }

  /**
   * Every posted copy of the claim's review card now shows the decision, buttons gone. Returns the
   * decided card (for the message whose button was pressed, which may be a copy not on record).
   */
  async closeReview(claimId: number): Promise<Card | null> {
    const card = await this.decidedReviewCard(claimId);
    if (!card) return null;
    const copies = await this.db.postedMessage.findMany({ where: { subject: claimSubject(claimId) } });
    for (const copy of copies) await editMessage(this.messengers(), this.log, copy, card);
    return card;
  }

  /** DMs an account on its notification identity (or the one it used most recently). */
  async toAccount(accountId: number, reply: Reply): Promise<boolean> {
    const account = await this.db.account.findUnique({ where: { id: accountId }, select: { notifyIdentityId: true } });
    if (!account) return false;
    const identity =
      (account.notifyIdentityId !== null && (await this.db.chatIdentity.findFirst({ where: { id: account.notifyIdentityId, accountId } }))) ||
      (await this.db.chatIdentity.findFirst({ where: { accountId }, orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }] }));
    const messenger = identity && this.messengers()[identity.platform];
    if (!identity || !messenger) return false;
    try {
      await messenger.send({ platform: identity.platform, tenantId: identity.tenantId, userId: identity.userId }, reply);
      return true;
    } catch (err) {
      this.log.error({ err, accountId }, "claim message not delivered");
      return false;
    }
  }

  /**
   * Tells everyone watching the researcher that the record is now claimed. Deleting the watch rows
   * and reading them are one statement, so two verifications can never notify anyone twice.
   */
  async claimWatchers(researcherId: number, name: string): Promise<number> {
    const rows = await this.db.$queryRaw<Array<{ account_id: number }>>`
      DELETE FROM claim_watch WHERE researcher_id = ${researcherId} RETURNING account_id`;
    const id = String(researcherId);
    for (const { account_id } of rows) {
      await this.toAccount(
        account_id,
        notice("info", `${name} has claimed their Peerlink profile: you can now invite them to collaborate.`, {
          actions: [
            { id: "invite", label: "Invite to collaborate", value: id, style: "primary" },
            { id: "lookup", label: "View profile", value: id },
          ],
        }),
      );
    }
    return rows.length;
  }
}

const DECISIONS: Record<string, string> = {
  verified: "approved",
  rejected: "rejected",
  released: "approved, since released",
  revoked: "approved, since revoked",
};

export const claimSubject = (claimId: number) => `claim:${claimId}`;

export function reviewCard(r: ReviewRequest): Card {
  const record = [r.researcher.orcid && `ORCID ${r.researcher.orcid}`, r.researcher.openalexId && `OpenAlex ${r.researcher.openalexId}`]
    .filter(Boolean)
    .join(" · ");
  return {
    kind: "card",
    title: `${r.disputed ? "Disputed claim" : "Claim request"} #${r.claimId}: ${r.researcher.displayName}`,
    subtitle: r.disputed
      ? `${r.claimant.displayName} says this record is theirs, but it is already claimed by ${r.holder}.`
      : `${r.claimant.displayName} asks to be confirmed as ${r.researcher.displayName}.`,
    fields: [
      { label: "Claimant", value: `${r.claimant.displayName} (${r.claimant.platform} user ${r.claimant.userId})`, inline: true },
      { label: "Record", value: record || "no persistent id", inline: true },
      { label: "Verification", value: verificationLabel(r.researcher.verificationLevel), inline: true },
      { label: "Claim", value: r.holder ? `Claimed by ${r.holder}` : "Unclaimed author", inline: true },
    ],
    items: [],
    context: r.disputed
      ? "Approving a dispute needs the current claim revoked first (/researcher revoke <name>). Only admins here can decide."
      : "Approving makes the claimant the verified owner of this record (L2). Only admins here can decide.",
    actions: [
      { id: "approve_claim", label: "Approve", value: String(r.claimId), style: "primary" },
      { id: "reject_claim", label: "Reject", value: String(r.claimId), style: "danger" },
    ],
  };
}
