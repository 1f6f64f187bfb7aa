import type { Db } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { AuditLog } from "../audit/AuditLog.js";
import type { Clock, CommandContext } from "../context.js";
import { notice } from "../reply.js";
import type { ClaimNotifier } from "./ClaimNotifier.js";
import type { ClaimSettings } from "./claimSettings.js";
import { ClaimVerifier, type DecideOutcome, type OrcidOutcome } from "./ClaimVerifier.js";
import { newNonce, orcidRedirectUri, signState } from "./oauthState.js";

// Defined beside their defaults, so that ClaimVerifier can use them without importing this file.
export type { ClaimSettings, ClaimVerificationMode } from "./claimSettings.js";

export type StartOutcome =
  | { kind: "not_found" }
  | { kind: "already_yours"; name: string }
  | { kind: "orcid"; claimId: number; name: string; url: string; expiresAt: Date }
  | { kind: "review"; claimId: number; name: string; posted: boolean }
  | { kind: "already_in_review"; claimId: number; name: string }
  | { kind: "disputed"; claimId: number; name: string; posted: boolean }
  | { kind: "unavailable"; name: string; reason: "orcid_not_configured" | "record_has_no_orcid" };

export type ReleaseOutcome =
  { kind: "released" | "revoked"; name: string; formerAccountId: number } | { kind: "not_yours" | "not_claimed" | "not_found" | "not_allowed" };

export type GrantOutcome = { kind: "granted"; name: string } | { kind: "not_found" | "not_claimed" | "not_allowed" | "already" };

export interface Claimant extends Identity {
  displayName: string;
  platform: CommandContext["actor"]["platform"];
  userId: string;
}

/**
 * Claims: a chat user proves an author record is theirs (ORCID sign-in or admin review) and becomes
 * its one verified claimant. Who may do what is decided here, so every adapter behaves the same.
 */
export class ClaimService {
  readonly verifier: ClaimVerifier;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly notifier: ClaimNotifier,
    readonly settings: ClaimSettings,
  ) {
    this.verifier = new ClaimVerifier(db, audit, clock, notifier, settings);
  }

  /** Completes ORCID sign-in from the OAuth redirect (see ClaimVerifier.verifyOrcid). */
  verifyOrcid(state: string, exchange: () => Promise<{ orcid: string }>): Promise<OrcidOutcome> {
    return this.verifier.verifyOrcid(state, exchange);
  }

  /**
   * A reviewer's Approve / Reject: only reviewers, never on their own claim. Once decided, every
   * posted copy of the review card shows the decision without its buttons.
   */
  async decide(
    reviewer: Identity & { displayName?: string },
    ctx: CommandContext,
    claimId: number,
    decision: "approve" | "reject",
  ): Promise<DecideOutcome> {
    const outcome = await this.verifier.decide(reviewer, this.isReviewer(ctx), claimId, decision);
    if (outcome.kind === "approved" || outcome.kind === "rejected") await this.notifier.closeReview(claimId);
    return outcome;
  }

  /** The review card as it reads once decided (null while the claim is open): for the message whose button was pressed. */
  decidedReviewCard(claimId: number) {
    return this.notifier.decidedReviewCard(claimId);
  }

  /** The account invitations for this researcher go to, or null while the record is unclaimed. */
  async claimantOf(researcherId: number): Promise<number | null> {
    const r = await this.db.researcher.findUnique({ where: { id: researcherId }, select: { claimedByAccountId: true } });
    return r?.claimedByAccountId ?? null;
  }

  /** Admins of the workspace hosting the review channel (any admin when no channel is configured). */
  isReviewer(ctx: CommandContext): boolean {
    const c = this.settings.reviewChannel;
    return ctx.permissions.isAdmin && (!c || (c.platform === ctx.actor.platform && c.tenantId === ctx.actor.tenantId));
  }

  async start(me: Claimant, researcherId: number): Promise<StartOutcome> {
    const r = await this.db.researcher.findUnique({
      where: { id: researcherId },
      select: {
        id: true,
        displayName: true,
        orcid: true,
        openalexId: true,
        verificationLevel: true,
        claimedByAccountId: true,
        claimedBy: { select: { displayName: true } },
      },
    });
    if (!r) return { kind: "not_found" };
    const name = r.displayName;
    if (r.claimedByAccountId === me.accountId) return { kind: "already_yours", name };
    const actor = { actorAccountId: me.accountId, actorIdentityId: me.identityId };

    const open = await this.db.claim.findFirst({
      where: { researcherId, accountId: me.accountId, status: { in: ["pending", "disputed"] } },
      orderBy: { id: "desc" },
    });
    if (open && open.method === "admin_review") return { kind: "already_in_review", claimId: open.id, name };

    const review = async (disputed: boolean) => {
      const claim = await this.db.$transaction(async (tx) => {
        const c = await tx.claim.create({
          data: {
            researcherId,
            accountId: me.accountId,
            method: "admin_review",
            status: disputed ? "disputed" : "pending",
            createdAt: this.clock.now(),
          },
        });
        await this.audit.record(
          {
            ...actor,
            action: disputed ? "claim.disputed" : "claim.started",
            subjectType: "claim",
            subjectId: c.id,
            details: { researcherId, method: "admin_review", holderAccountId: r.claimedByAccountId },
          },
          tx,
        );
        return c;
      });
      const holder = r.claimedBy?.displayName ?? null;
      const posted = await this.notifier.postReview(this.settings.reviewChannel, {
        claimId: claim.id,
        disputed,
        researcher: r,
        holder,
        claimant: { displayName: me.displayName, platform: me.platform, userId: me.userId },
      });
      await this.audit.record({
        ...actor,
        action: "claim.review_requested",
        subjectType: "claim",
        subjectId: claim.id,
        details: { posted, channel: this.settings.reviewChannel ?? null },
      });
      return { claimId: claim.id, posted };
    };

    // A claimed record is never taken over by a new claim: a second claimant goes to review.
    if (r.claimedByAccountId !== null) return { kind: "disputed", name, ...(await review(true)) };

    const mode = this.settings.verification;
    const wantsOrcid = mode === "orcid" || (mode === "both" && r.orcid !== null && this.orcidReady());
    if (!wantsOrcid) return { kind: "review", name, ...(await review(false)) };
    if (!this.orcidReady()) return { kind: "unavailable", name, reason: "orcid_not_configured" };
    if (r.orcid === null) return { kind: "unavailable", name, reason: "record_has_no_orcid" };

    const claimId = open?.id ?? (await this.createOrcidClaim(researcherId, me));
    const { url, expiresAt } = await this.authorizeUrl(claimId);
    return { kind: "orcid", claimId, name, url, expiresAt };
  }

  private orcidReady(): boolean {
    return Boolean(this.settings.orcid && this.settings.signingSecret);
  }

  private async createOrcidClaim(researcherId: number, me: Claimant): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const c = await tx.claim.create({ data: { researcherId, accountId: me.accountId, method: "orcid", createdAt: this.clock.now() } });
      await this.audit.record(
        {
          actorAccountId: me.accountId,
          actorIdentityId: me.identityId,
          action: "claim.started",
          subjectType: "claim",
          subjectId: c.id,
          details: { researcherId, method: "orcid" },
        },
        tx,
      );
      return c.id;
    });
  }

  /** A fresh single-use sign-in link for a pending ORCID claim. */
  private async authorizeUrl(claimId: number): Promise<{ url: string; expiresAt: Date }> {
    const { orcid, signingSecret, publicUrl, stateTtlMinutes } = this.settings;
    const nonce = newNonce();
    const expiresAt = new Date(this.clock.now().getTime() + stateTtlMinutes * 60_000);
    await this.db.oAuthState.create({ data: { nonce, claimId, expiresAt } });
    const query = new URLSearchParams({
      client_id: orcid!.clientId,
      response_type: "code",
      scope: "/authenticate",
      redirect_uri: orcidRedirectUri(publicUrl),
      state: signState({ nonce, claimId, expiresAt }, signingSecret!),
    });
    return { url: `${orcid!.baseUrl}/oauth/authorize?${query.toString()}`, expiresAt };
  }

  /** The claimant gives the record up; it returns to its pre-claim level. */
  async release(me: Identity, researcherId: number): Promise<ReleaseOutcome> {
    return this.unclaim(researcherId, me, { byAdmin: false });
  }

  /** A reviewer takes a claim away (e.g. to settle a dispute). */
  async revoke(reviewer: Identity, ctx: CommandContext, researcherId: number): Promise<ReleaseOutcome> {
    if (!this.isReviewer(ctx)) {
      await this.audit.record({
        actorAccountId: reviewer.accountId,
        actorIdentityId: reviewer.identityId,
        action: "claim.revoke_refused",
        subjectType: "researcher",
        subjectId: researcherId,
        details: { reason: "not_reviewer" },
      });
      return { kind: "not_allowed" };
    }
    return this.unclaim(researcherId, reviewer, { byAdmin: true });
  }

  private async unclaim(researcherId: number, actor: Identity, { byAdmin }: { byAdmin: boolean }): Promise<ReleaseOutcome> {
    const r = await this.db.researcher.findUnique({ where: { id: researcherId }, select: { displayName: true, claimedByAccountId: true } });
    if (!r) return { kind: "not_found" };
    if (r.claimedByAccountId === null) return { kind: "not_claimed" };
    const holder = r.claimedByAccountId;
    if (!byAdmin && holder !== actor.accountId) return { kind: "not_yours" };
    const status = byAdmin ? "revoked" : "released";
    const done = await this.db.$transaction(async (tx) => {
      const { count } = await tx.researcher.updateMany({
        where: { id: researcherId, claimedByAccountId: holder },
        data: { claimedByAccountId: null, claimedAt: null },
      });
      if (count === 0) return false;
      const claim = await tx.claim.findFirst({ where: { researcherId, accountId: holder, status: "verified" }, orderBy: { id: "desc" } });
      const level = await this.verifier.preClaimLevel(tx, researcherId, claim?.id);
      await tx.researcher.update({ where: { id: researcherId }, data: { verificationLevel: level } });
      if (claim)
        await tx.claim.update({ where: { id: claim.id }, data: { status, decidedAt: this.clock.now(), decidedByIdentityId: actor.identityId } });
      await this.audit.record(
        {
          actorAccountId: actor.accountId,
          actorIdentityId: actor.identityId,
          action: `claim.${status}`,
          subjectType: "claim",
          subjectId: claim?.id ?? `researcher:${researcherId}`,
          details: { researcherId, formerAccountId: holder, level },
        },
        tx,
      );
      return true;
    });
    if (!done) return { kind: "not_claimed" };
    if (byAdmin && holder !== actor.accountId) {
      await this.notifier.toAccount(
        holder,
        notice("warning", `An admin revoked your claim on ${r.displayName}. Ask them if you think this is a mistake.`),
      );
    }
    return { kind: status, name: r.displayName, formerAccountId: holder };
  }

  /** L3: a reviewer confirms, with the researcher's institution, that the claimant is this person. */
  async grantInstitution(reviewer: Identity, ctx: CommandContext, researcherId: number, note: string): Promise<GrantOutcome> {
    if (!this.isReviewer(ctx)) return { kind: "not_allowed" };
    const r = await this.db.researcher.findUnique({
      where: { id: researcherId },
      select: { displayName: true, claimedByAccountId: true, verificationLevel: true },
    });
    if (!r) return { kind: "not_found" };
    if (r.claimedByAccountId === null) return { kind: "not_claimed" };
    if (r.verificationLevel >= 3) return { kind: "already" };
    const granted = await this.db.$transaction(async (tx) => {
      const { count } = await tx.researcher.updateMany({
        where: { id: researcherId, claimedByAccountId: r.claimedByAccountId, verificationLevel: { lt: 3 } },
        data: { verificationLevel: 3 },
      });
      if (count === 0) return false;
      await this.audit.record(
        {
          actorAccountId: reviewer.accountId,
          actorIdentityId: reviewer.identityId,
          action: "verification.institution_granted",
          subjectType: "researcher",
          subjectId: researcherId,
          details: { claimantAccountId: r.claimedByAccountId, previousLevel: r.verificationLevel, note },
        },
        tx,
      );
      return true;
    });
    return granted ? { kind: "granted", name: r.displayName } : { kind: "not_claimed" };
  }
}
