import { Prisma, type Db } from "../../db/client.js";
import { type AlertFilters, filtersJson } from "../alerts/filters.js";
import type { Clock, Platform } from "../context.js";

export interface ChannelRef {
  platform: Platform;
  tenantId: string;
  channelId: string;
}

export type SubscriptionOutcome = "subscribed" | "already_subscribed" | "unsubscribed" | "not_subscribed";

/** A channel's subscriptions: a researcher's new papers are posted there. Who may change them is the command's call. */
export class SubscriptionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async subscribe(channel: ChannelRef, researcherId: number, createdByIdentityId: number): Promise<SubscriptionOutcome> {
    const { count } = await this.db.channelSubscription.createMany({
      data: [{ ...channel, researcherId, createdByIdentityId, createdAt: this.clock.now() }],
      skipDuplicates: true,
    });
    return count ? "subscribed" : "already_subscribed";
  }

  /** Changes a subscription's filters in place. */
  async setFilters(channel: ChannelRef, researcherId: number, change: { filters?: AlertFilters; clear?: boolean }): Promise<void> {
    if (!change.filters && !change.clear) return;
    await this.db.channelSubscription.updateMany({
      where: { ...channel, researcherId },
      data: { filters: change.clear ? Prisma.DbNull : filtersJson(change.filters!) },
    });
  }

  async unsubscribe(channel: ChannelRef, researcherId: number): Promise<SubscriptionOutcome> {
    const { count } = await this.db.channelSubscription.deleteMany({ where: { ...channel, researcherId } });
    return count ? "unsubscribed" : "not_subscribed";
  }

  async list(channel: ChannelRef, offset: number, limit: number) {
    const where = { platform: channel.platform, tenantId: channel.tenantId, channelId: channel.channelId };
    const [total, rows] = await Promise.all([
      this.db.channelSubscription.count({ where }),
      this.db.channelSubscription.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: offset,
        take: limit,
        select: { filters: true, researcher: { select: { id: true, displayName: true } } },
      }),
    ]);
    return { total, rows };
  }
}
