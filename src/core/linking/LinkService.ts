import type { Db } from "../../db/client.js";
import { LockSpace, lockForTransaction } from "../../db/locks.js";
import type { Identity } from "../accounts/AccountService.js";
import type { AuditLog } from "../audit/AuditLog.js";
import type { Clock } from "../context.js";
import { hashLinkCode, newLinkCode, normaliseLinkCode } from "./linkCode.js";
import { mergeAccounts } from "./mergeAccounts.js";

export interface LinkSettings {
  /** Keys the stored code hashes (SIGNING_SECRET). */
  secret: string;
  codeTtlMinutes: number;
  /** Codes one account may create per hour. */
  maxCodesPerHour: number;
  /** Wrong, expired or used codes one identity may try per hour before redemption is locked. */
  maxFailedRedemptionsPerHour: number;
}

export const DEFAULT_LINK_SETTINGS: Omit<LinkSettings, "secret"> = {
  codeTtlMinutes: 10,
  maxCodesPerHour: 5,
  maxFailedRedemptionsPerHour: 5,
};

export type IssueOutcome = { kind: "issued"; code: string; expiresAt: Date } | { kind: "rate_limited"; retryAt: Date };

export type RedeemOutcome =
  { kind: "linked"; accountId: number; mergedAccountId: number } | { kind: "already_linked" } | { kind: "invalid" } | { kind: "too_many_attempts" };

const HOUR = 3_600_000;

const actorOf = (me: Identity) => ({ actorAccountId: me.accountId, actorIdentityId: me.identityId });

/** Joins chat identities on different platforms into one account with one-time codes. */
export class LinkService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly settings: LinkSettings,
  ) {}

  /** Creates a short-lived single-use code for the identity's account. */
  async issue(me: Identity): Promise<IssueOutcome> {
    const now = this.clock.now();
    const code = newLinkCode();
    const expiresAt = new Date(now.getTime() + this.settings.codeTtlMinutes * 60_000);
    return this.db.$transaction(async (tx): Promise<IssueOutcome> => {
      // One issue per account at a time: two simultaneous requests cannot both pass the limit.
      await lockForTransaction(tx, LockSpace.linkCodeIssuer, me.accountId);
      const recent = await tx.linkCode.findMany({
        where: { accountId: me.accountId, createdAt: { gt: new Date(now.getTime() - HOUR) } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true },
      });
      if (recent.length >= this.settings.maxCodesPerHour) {
        const details = { reason: "rate_limited" };
        await this.audit.record({ ...actorOf(me), action: "link.code_refused", subjectType: "account", subjectId: me.accountId, details }, tx);
        return { kind: "rate_limited", retryAt: new Date(recent[0]!.createdAt.getTime() + HOUR) };
      }
      const row = await tx.linkCode.create({
        data: { accountId: me.accountId, codeHash: this.hash(code), expiresAt, createdAt: now },
        select: { id: true },
      });
      const details = { linkCodeId: row.id, expiresAt: expiresAt.toISOString() };
      await this.audit.record({ ...actorOf(me), action: "link.code_issued", subjectType: "account", subjectId: me.accountId, details }, tx);
      return { kind: "issued", code, expiresAt };
    });
  }

  /** Redeems a code from another identity: that identity's account is merged into the code's account. */
  async redeem(me: Identity, input: string): Promise<RedeemOutcome> {
    const now = this.clock.now();
    const failures = await this.audit.countByIdentity(me.identityId, "link.redeem_failed", new Date(now.getTime() - HOUR));
    if (failures >= this.settings.maxFailedRedemptionsPerHour) return { kind: "too_many_attempts" };

    const code = normaliseLinkCode(input);
    const row = code && (await this.db.linkCode.findUnique({ where: { codeHash: this.hash(code) } }));
    if (row && row.accountId === me.accountId) return { kind: "already_linked" };

    const outcome = row
      ? await this.db.$transaction(async (tx): Promise<RedeemOutcome> => {
          // The conditional update is the single-use guarantee: of two redemptions, one sets usedAt.
          const { count } = await tx.linkCode.updateMany({
            where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
            data: { usedAt: now },
          });
          if (count === 0) return { kind: "invalid" };
          await mergeAccounts(tx, me.accountId, row.accountId);
          const details = { linkCodeId: row.id, mergedAccountId: me.accountId };
          await this.audit.record(
            {
              actorAccountId: row.accountId,
              actorIdentityId: me.identityId,
              action: "link.accounts_merged",
              subjectType: "account",
              subjectId: row.accountId,
              details,
            },
            tx,
          );
          return { kind: "linked", accountId: row.accountId, mergedAccountId: me.accountId };
        })
      : ({ kind: "invalid" } as const);

    if (outcome.kind === "invalid") {
      const details = { reason: row ? "expired_or_used" : "unknown_code" };
      await this.audit.record({ ...actorOf(me), action: "link.redeem_failed", subjectType: "account", subjectId: me.accountId, details });
    }
    return outcome;
  }

  private hash(normalised: string): string {
    return hashLinkCode(normaliseLinkCode(normalised) ?? normalised, this.settings.secret);
  }
}
