import { Prisma, type Db } from "../../db/client.js";
import { type AlertFilters, filtersJson, type Frequency } from "../alerts/filters.js";
import type { Clock } from "../context.js";

export type FollowOutcome = "followed" | "already_following" | "unfollowed" | "not_following";

/** Follows belong to an account, so a person who linked Slack and Discord has one list. */
export class FollowService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async follow(accountId: number, researcherId: number): Promise<FollowOutcome> {
    const { count } = await this.db.follow.createMany({ data: [{ accountId, researcherId, createdAt: this.clock.now() }], skipDuplicates: true });
    return count ? "followed" : "already_following";
  }

  async unfollow(accountId: number, researcherId: number): Promise<FollowOutcome> {
    const { count } = await this.db.follow.deleteMany({ where: { accountId, researcherId } });
    return count ? "unfollowed" : "not_following";
  }

  /** Changes a follow's filters or frequency in place (no need to unfollow and follow again). */
  async setOptions(
    accountId: number,
    researcherId: number,
    change: { filters?: AlertFilters; clear?: boolean; frequency?: Frequency },
  ): Promise<void> {
    if (!change.filters && !change.clear && !change.frequency) return;
    await this.db.follow.update({
      where: { accountId_researcherId: { accountId, researcherId } },
      data: {
        ...(change.filters && { filters: filtersJson(change.filters) }),
        ...(change.clear && { filters: Prisma.DbNull }),
        ...(change.frequency && { frequency: change.frequency }),
      },
    });
  }

  async isFollowing(accountId: number, researcherId: number): Promise<boolean> {
    return Boolean(await this.db.follow.findUnique({ where: { accountId_researcherId: { accountId, researcherId } } }));
  }

  async list(accountId: number, offset: number, limit: number) {
    const [total, rows] = await Promise.all([
      this.db.follow.count({ where: { accountId } }),
      this.db.follow.findMany({
        where: { accountId },
        orderBy: [{ createdAt: "desc" }, { researcherId: "desc" }],
        skip: offset,
        take: limit,
        select: { muted: true, createdAt: true, filters: true, frequency: true, researcher: { select: { id: true, displayName: true } } },
      }),
    ]);
    return { total, rows };
  }
}
