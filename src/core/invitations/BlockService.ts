import type { Db } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { Clock, Platform } from "../context.js";
import { auditInvitation } from "./auditInvitation.js";

export interface BlockCandidate {
  accountId: number;
  displayName: string;
}

/** A recipient blocks a sender: no further invitations from them, checked at send and at delivery. */
export class BlockService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async block(me: Identity, blockedAccountId: number): Promise<"blocked" | "already_blocked"> {
    const { count } = await this.db.block.createMany({
      data: [{ blockerAccountId: me.accountId, blockedAccountId, createdAt: this.clock.now() }],
      skipDuplicates: true,
    });
    if (count) {
      await auditInvitation(
        this.db,
        {
          action: "block.created",
          actorAccountId: me.accountId,
          actorIdentityId: me.identityId,
          subjectType: "account",
          subjectId: blockedAccountId,
        },
        this.clock.now(),
      );
    }
    return count ? "blocked" : "already_blocked";
  }

  async unblock(me: Identity, blockedAccountId: number): Promise<"unblocked" | "not_blocked"> {
    const { count } = await this.db.block.deleteMany({ where: { blockerAccountId: me.accountId, blockedAccountId } });
    if (count) {
      await auditInvitation(
        this.db,
        {
          action: "block.removed",
          actorAccountId: me.accountId,
          actorIdentityId: me.identityId,
          subjectType: "account",
          subjectId: blockedAccountId,
        },
        this.clock.now(),
      );
    }
    return count ? "unblocked" : "not_blocked";
  }

  /**
   * People matching `name` among those who have sent `accountId` invitations (or, with
   * `among: "blocked"`, those it has blocked). Limiting the search to them keeps blocking from
   * becoming a way to look up strangers.
   */
  async findByName(accountId: number, name: string, among: "senders" | "blocked"): Promise<BlockCandidate[]> {
    const wanted = name.trim().toLowerCase();
    const accountFilter =
      among === "senders"
        ? { sentInvitations: { some: { recipientAccountId: accountId } } }
        : { blocksReceived: { some: { blockerAccountId: accountId } } };
    const accounts = await this.db.account.findMany({
      where: accountFilter,
      select: { id: true, displayName: true, identities: { select: { displayName: true } } },
      take: 500,
    });
    return accounts
      .filter((a) => [a.displayName, ...a.identities.map((i) => i.displayName)].some((n) => n?.toLowerCase() === wanted))
      .map((a) => ({ accountId: a.id, displayName: a.identities.find((i) => i.displayName)?.displayName ?? a.displayName }));
  }

  /** The account behind a platform mention in the same workspace, if Peerlink knows it. */
  async findByMention(platform: Platform, tenantId: string, userId: string) {
    const identity = await this.db.chatIdentity.findUnique({
      where: { platform_tenantId_userId: { platform, tenantId, userId } },
      select: { accountId: true, displayName: true, account: { select: { displayName: true } } },
    });
    return identity && { accountId: identity.accountId, displayName: identity.displayName ?? identity.account.displayName };
  }
}
