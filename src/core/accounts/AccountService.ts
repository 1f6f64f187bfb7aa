import type { Db } from "../../db/client.js";
import type { Actor, Clock, Platform } from "../context.js";

export interface Identity {
  accountId: number;
  identityId: number;
}

/** Maps a platform user to Peerlink's account model: one account, many chat identities. */
export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Finds or creates the identity (and its account) for an actor. Safe under concurrent first use. */
  async resolve(actor: Actor): Promise<Identity> {
    const key = { platform: actor.platform, tenantId: actor.tenantId, userId: actor.userId };
    const existing = await this.db.chatIdentity.findUnique({
      where: { platform_tenantId_userId: key },
      select: { id: true, accountId: true, displayName: true },
    });
    if (existing) {
      if (actor.displayName && actor.displayName !== existing.displayName) {
        await this.db.chatIdentity.update({ where: { id: existing.id }, data: { displayName: actor.displayName } });
      }
      return { accountId: existing.accountId, identityId: existing.id };
    }
    const name = actor.displayName ?? actor.userId;
    const now = this.clock.now();
    try {
      const created = await this.db.chatIdentity.create({
        data: { ...key, displayName: actor.displayName, createdAt: now, lastSeenAt: now, account: { create: { displayName: name, createdAt: now } } },
        select: { id: true, accountId: true },
      });
      return { accountId: created.accountId, identityId: created.id };
    } catch (error) {
      // Two first commands at once: the unique key decided; use the winner's identity.
      if ((error as { code?: string }).code !== "P2002") throw error;
      const winner = await this.db.chatIdentity.findUniqueOrThrow({
        where: { platform_tenantId_userId: key },
        select: { id: true, accountId: true },
      });
      return { accountId: winner.accountId, identityId: winner.id };
    }
  }

  /**
   * The tenant a user's direct message acts in (a DM has no guild or workspace): the identity the
   * DM channel was opened for, else the user's most recently seen identity; null for a first-time user.
   */
  async dmTenant(platform: Platform, userId: string, dmChannelId?: string): Promise<string | null> {
    const user = { platform, userId };
    const identity =
      (dmChannelId && (await this.db.chatIdentity.findFirst({ where: { ...user, dmChannelId }, select: { tenantId: true } }))) ||
      (await this.db.chatIdentity.findFirst({ where: user, orderBy: { lastSeenAt: "desc" }, select: { tenantId: true } }));
    return identity?.tenantId ?? null;
  }

  /** Finds an identity without creating one. */
  async find(actor: Actor): Promise<Identity | null> {
    const row = await this.db.chatIdentity.findUnique({
      where: { platform_tenantId_userId: { platform: actor.platform, tenantId: actor.tenantId, userId: actor.userId } },
      select: { id: true, accountId: true },
    });
    return row && { accountId: row.accountId, identityId: row.id };
  }
}
