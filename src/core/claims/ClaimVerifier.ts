import type { ClaimStatus, Db, Prisma } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { AuditLog } from "../audit/AuditLog.js";
import type { Clock } from "../context.js";
import { notice } from "../reply.js";
import type { ClaimNotifier } from "./ClaimNotifier.js";
import type { ClaimSettings } from "./claimSettings.js";
import { canonicalOrcid, verifyState } from "./oauthState.js";

export type OrcidOutcome =
  | { kind: "verified" | "mismatch" | "disputed"; claimId: number; name: string }
  | { kind: "refused"; reason: "forged" | "expired" | "replayed" | "not_pending" };

export type DecideOutcome =
  | { kind: "approved" | "rejected"; claimId: number; name: string; claimantAccountId: number }
  | { kind: "not_allowed" | "self" | "not_found" }
  | { kind: "already_decided"; status: ClaimStatus }
  | { kind: "still_claimed"; name: string; holder: string };

interface Verification {
  method: "orcid" | "admin_review";
  evidence: string;
  actor: { accountId: number; identityId: number | null };
  decidedByIdentityId: number | null;
}

type ClaimRow = { id: number; researcherId: number; accountId: number };

const OPEN: ClaimStatus[] = ["pending", "disputed"];

/** Turns a pending claim into a verified one (ORCID sign-in or a reviewer's decision), atomically. */
export class ClaimVerifier {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly notifier: ClaimNotifier,
    private readonly settings: ClaimSettings,
  ) {}

  /** Completes ORCID sign-in: `exchange` trades the authorization code for the signed-in ORCID iD. */
  async verifyOrcid(state: string, exchange: () => Promise<{ orcid: string }>): Promise<OrcidOutcome> {
    const payload = this.settings.signingSecret ? verifyState(state, this.settings.signingSecret) : null;
    const refuse = async (reason: "forged" | "expired" | "replayed" | "not_pending", subjectId: string | number) => {
      await this.audit.record({ action: "claim.oauth_state_refused", subjectType: "oauth_state", subjectId, details: { reason } });
      return { kind: "refused", reason } as const;
    };
    if (!payload) return refuse("forged", "unsigned");

    const now = this.clock.now();
    // Single use: of two requests carrying the same state, exactly one sets usedAt.
    const { count } = await this.db.oAuthState.updateMany({
      where: { nonce: payload.nonce, claimId: payload.claimId, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count === 0) {
      const row = await this.db.oAuthState.findUnique({ where: { nonce: payload.nonce } });
      return refuse(!row || row.claimId !== payload.claimId ? "forged" : row.usedAt ? "replayed" : "expired", payload.nonce);
    }
    const claim = await this.db.claim.findUnique({
      where: { id: payload.claimId },
      include: { researcher: { select: { displayName: true, orcid: true } } },
    });
    if (!claim || claim.status !== "pending" || claim.method !== "orcid") return refuse("not_pending", payload.nonce);
    const name = claim.researcher.displayName;

    let orcid: string;
    try {
      orcid = canonicalOrcid((await exchange()).orcid);
    } catch (err) {
      await this.audit.record({
        actorAccountId: claim.accountId,
        action: "claim.orcid_exchange_failed",
        subjectType: "claim",
        subjectId: claim.id,
        details: { error: String(err) },
      });
      throw err;
    }

    if (!claim.researcher.orcid || orcid !== canonicalOrcid(claim.researcher.orcid)) {
      await this.db.$transaction(async (tx) => {
        await tx.claim.updateMany({ where: { id: claim.id, status: "pending" }, data: { status: "rejected", evidence: orcid, decidedAt: now } });
        await this.audit.record(
          {
            actorAccountId: claim.accountId,
            action: "claim.orcid_mismatch",
            subjectType: "claim",
            subjectId: claim.id,
            details: { method: "orcid", expected: claim.researcher.orcid, authenticated: orcid },
          },
          tx,
        );
      });
      await this.notifier.toAccount(
        claim.accountId,
        notice(
          "error",
          `Your claim on ${name} was refused: you signed in to ORCID as ${orcid}, but this record belongs to ${claim.researcher.orcid ?? "no ORCID iD"}.`,
        ),
      );
      return { kind: "mismatch", claimId: claim.id, name };
    }
    const verification = {
      method: "orcid",
      evidence: orcid,
      actor: { accountId: claim.accountId, identityId: null },
      decidedByIdentityId: null,
    } as const;
    const outcome = await this.markVerified(claim, verification, ["pending"]);
    return { kind: outcome === "not_pending" ? "disputed" : outcome, claimId: claim.id, name };
  }

  /** A reviewer's Approve / Reject. `allowed` says whether the reviewer may decide claims here at all. */
  async decide(
    reviewer: Identity & { displayName?: string },
    allowed: boolean,
    claimId: number,
    decision: "approve" | "reject",
  ): Promise<DecideOutcome> {
    const actor = { actorAccountId: reviewer.accountId, actorIdentityId: reviewer.identityId };
    const refuse = (reason: string) =>
      this.audit.record({ ...actor, action: "claim.review_refused", subjectType: "claim", subjectId: claimId, details: { decision, reason } });
    if (!allowed) {
      await refuse("not_reviewer");
      return { kind: "not_allowed" };
    }
    const claim = await this.db.claim.findUnique({
      where: { id: claimId },
      include: { researcher: { select: { displayName: true, claimedByAccountId: true, claimedBy: { select: { displayName: true } } } } },
    });
    if (!claim) return { kind: "not_found" };
    if (claim.accountId === reviewer.accountId) {
      await refuse("self_approval");
      return { kind: "self" };
    }
    if (!OPEN.includes(claim.status)) return { kind: "already_decided", status: claim.status };
    const name = claim.researcher.displayName;
    const holder = claim.researcher.claimedBy?.displayName ?? "someone else";

    if (decision === "reject") {
      const rejected = await this.db.$transaction(async (tx) => {
        const { count } = await tx.claim.updateMany({
          where: { id: claimId, status: { in: OPEN } },
          data: {
            status: "rejected",
            evidence: `rejected by ${reviewer.displayName ?? `identity ${reviewer.identityId}`}`,
            decidedAt: this.clock.now(),
            decidedByIdentityId: reviewer.identityId,
          },
        });
        if (count)
          await this.audit.record(
            {
              ...actor,
              action: "claim.rejected",
              subjectType: "claim",
              subjectId: claimId,
              details: { method: "admin_review", researcherId: claim.researcherId },
            },
            tx,
          );
        return count > 0;
      });
      if (!rejected) return { kind: "already_decided", status: "rejected" };
      await this.notifier.toAccount(claim.accountId, notice("warning", `Your claim on ${name} was not approved by the reviewers.`));
      return { kind: "rejected", claimId, name, claimantAccountId: claim.accountId };
    }

    // Approving never moves a claimed record to someone else: the current claim is revoked first.
    if (claim.researcher.claimedByAccountId !== null) return { kind: "still_claimed", name, holder };
    const outcome = await this.markVerified(
      claim,
      {
        method: "admin_review",
        evidence: `approved by ${reviewer.displayName ?? `identity ${reviewer.identityId}`}`,
        actor: reviewer,
        decidedByIdentityId: reviewer.identityId,
      },
      OPEN,
    );
    if (outcome === "not_pending") return { kind: "already_decided", status: "verified" };
    if (outcome === "disputed") return { kind: "still_claimed", name, holder };
    return { kind: "approved", claimId, name, claimantAccountId: claim.accountId };
  }

  /**
   * Makes the claim's account the record's one verified claimant. The conditional update
   * (WHERE claimed_by_account_id IS NULL) decides races: the loser's claim becomes a dispute.
   */
  private async markVerified(claim: ClaimRow, v: Verification, from: ClaimStatus[]): Promise<"verified" | "disputed" | "not_pending"> {
    const now = this.clock.now();
    const actor = { actorAccountId: v.actor.accountId, actorIdentityId: v.actor.identityId };
    const result = await this.db.$transaction(async (tx) => {
      const moved = await tx.claim.updateMany({
        where: { id: claim.id, status: { in: from } },
        data: { status: "verified", method: v.method, evidence: v.evidence, decidedAt: now, decidedByIdentityId: v.decidedByIdentityId },
      });
      if (moved.count === 0) return "not_pending" as const;
      const before = await tx.researcher.findUniqueOrThrow({ where: { id: claim.researcherId }, select: { verificationLevel: true } });
      const won = await tx.researcher.updateMany({
        where: { id: claim.researcherId, claimedByAccountId: null },
        data: { claimedByAccountId: claim.accountId, claimedAt: now },
      });
      if (won.count === 0) {
        await tx.claim.update({ where: { id: claim.id }, data: { status: "disputed" } });
        await this.audit.record(
          {
            ...actor,
            action: "claim.disputed",
            subjectType: "claim",
            subjectId: claim.id,
            details: { researcherId: claim.researcherId, method: v.method, reason: "already_claimed" },
          },
          tx,
        );
        return "disputed" as const;
      }
      await tx.researcher.updateMany({ where: { id: claim.researcherId, verificationLevel: { lt: 2 } }, data: { verificationLevel: 2 } });
      await this.audit.record(
        {
          ...actor,
          action: "claim.verified",
          subjectType: "claim",
          subjectId: claim.id,
          details: {
            researcherId: claim.researcherId,
            claimantAccountId: claim.accountId,
            method: v.method,
            evidence: v.evidence,
            previousLevel: before.verificationLevel,
          },
        },
        tx,
      );
      return "verified" as const;
    });
    if (result === "verified") {
      const name =
        (await this.db.researcher.findUnique({ where: { id: claim.researcherId }, select: { displayName: true } }))?.displayName ?? "the record";
      await this.notifier.toAccount(
        claim.accountId,
        notice("success", `Your claim on ${name} is verified. Invitations to collaborate with ${name} now come to you.`),
      );
      await this.notifier.claimWatchers(claim.researcherId, name);
    }
    return result;
  }

  /** The level a record returns to when its claim ends: what it had before, never above L1. */
  async preClaimLevel(tx: Prisma.TransactionClient, researcherId: number, claimId: number | undefined): Promise<number> {
    const verified =
      claimId === undefined
        ? null
        : await tx.auditLog.findFirst({
            where: { action: "claim.verified", subjectType: "claim", subjectId: String(claimId) },
            orderBy: { id: "desc" },
          });
    const previous = (verified?.details as { previousLevel?: unknown } | null)?.previousLevel;
    if (typeof previous === "number") return Math.min(previous, 1);
    const r = await tx.researcher.findUniqueOrThrow({ where: { id: researcherId }, select: { orcid: true } });
    return r.orcid ? 1 : 0;
  }
}
