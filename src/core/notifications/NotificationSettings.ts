// A person's quiet controls: digest mode, snooze, muted follows, and where notifications go.
// Follows and settings belong to the account, so they hold across linked Slack and Discord identities.
import type { Db } from "../../db/client.js";
import type { Platform } from "../context.js";

export type DigestMode = "instant" | "daily" | "weekly";

export interface DigestSetting {
  mode: DigestMode;
  hour: number;
  timezone: string;
}

export class NotificationSettings {
  constructor(private readonly db: Db) {}

  async digest(accountId: number): Promise<DigestSetting & { snoozedUntil: Date | null; missedSummary: boolean }> {
    const a = await this.db.account.findUniqueOrThrow({ where: { id: accountId } });
    return { mode: a.digestMode, hour: a.digestHour, timezone: a.timezone, snoozedUntil: a.snoozedUntil, missedSummary: a.missedSummary };
  }

  /** Whether the weekly "what you missed" summary is sent (MissedSummaryService). */
  async setMissedSummary(accountId: number, on: boolean): Promise<void> {
    await this.db.account.update({ where: { id: accountId }, data: { missedSummary: on } });
  }

  /**
   * Changes the digest mode. Deliveries still waiting keep going the way they were written; the digest
   * job sends held ones at once when the account is back on instant.
   */
  async setDigest(accountId: number, setting: Partial<DigestSetting> & { mode: DigestMode }): Promise<void> {
    await this.db.account.update({
      where: { id: accountId },
      data: {
        digestMode: setting.mode,
        ...(setting.hour !== undefined && { digestHour: setting.hour }),
        ...(setting.timezone !== undefined && { timezone: setting.timezone }),
      },
    });
  }

  /** `until` null ends a snooze. */
  async snooze(accountId: number, until: Date | null): Promise<void> {
    await this.db.account.update({ where: { id: accountId }, data: { snoozedUntil: until } });
  }

  /** Mutes or unmutes a follow; null when the account does not follow the researcher. */
  async setMuted(accountId: number, researcherId: number, muted: boolean): Promise<"changed" | "unchanged" | null> {
    const follow = await this.db.follow.findUnique({ where: { accountId_researcherId: { accountId, researcherId } } });
    if (!follow) return null;
    if (follow.muted === muted) return "unchanged";
    await this.db.follow.update({ where: { accountId_researcherId: { accountId, researcherId } }, data: { muted } });
    return "changed";
  }

  /** Whether channel posts about papers of the record this account claimed @-mention its identities there. */
  async setMentions(accountId: number, on: boolean): Promise<void> {
    await this.db.account.update({ where: { id: accountId }, data: { mentionInChannels: on } });
  }

  /** Whether news in a paper's thread also shows in the channel (Slack reply_broadcast; see ThreadOf). */
  async setThreadRepliesInChannel(channel: { platform: Platform; tenantId: string; channelId: string }, on: boolean, now: Date): Promise<void> {
    await this.db.channelSetting.upsert({
      where: { platform_tenantId_channelId: channel },
      create: { ...channel, threadRepliesInChannel: on, updatedAt: now },
      update: { threadRepliesInChannel: on, updatedAt: now },
    });
  }

  /** Sends this account's notifications to the given identity (which must be one of its own). */
  async notifyVia(accountId: number, identityId: number): Promise<void> {
    await this.db.account.update({ where: { id: accountId }, data: { notifyIdentityId: identityId } });
  }
}
