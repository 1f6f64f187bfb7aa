import type { Db } from "../../db/client.js";
import { utcTimestamp } from "../../db/timestamps.js";
import { claimSubject, type ReviewChannel, reviewCard } from "../claims/ClaimNotifier.js";
import type { Clock } from "../context.js";
import { invitationCard } from "../invitations/invitationReplies.js";
import { senderExpiredNotice } from "../intros/introReplies.js";
import type { ErrorLog, Messengers } from "../ports.js";
import type { Card, Reply } from "../reply.js";
import { type OwedReminder, ReminderLedger } from "./ReminderLedger.js";

const HOUR_MS = 60 * 60 * 1000;
/** A claim review is first brought up again after a day, then once every UTC day until decided. */
const CLAIM_REMINDER_AFTER_MS = 24 * HOUR_MS;

export interface ReminderPolicy {
  /** A delivered invitation still unanswered after this many hours reminds its recipient, once. */
  unansweredAfterHours: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { unansweredAfterHours: 48 };

/** What a nothing-to-send reminder is: its subject was decided, answered or closed meanwhile. */
type Outcome = "sent" | "skipped";

/**
 * Reminders: an unanswered invitation's recipient (once), an expired invitation's sender (once, see
 * InvitationDeliverer.expireDue) and the reviewers' channel about a claim still open (daily).
 * `tick` first writes the rows Postgres says are owed, then sends every owed row; run it as often as
 * you like, a second run sends nothing new.
 */
export class ReminderService {
  private readonly ledger: ReminderLedger;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
    private readonly policy: ReminderPolicy,
    private readonly reviewChannel: ReviewChannel | undefined,
  ) {
    this.ledger = new ReminderLedger(db, () => clock.now());
  }

  async tick(): Promise<{ recorded: number; sent: number }> {
    const recorded = (await this.recordUnanswered()) + (await this.recordClaimReviews());
    return { recorded, sent: await this.sendOwed() };
  }

  // One statement each, skipping subjects already on record, so a tick over thousands of open
  // invitations neither reads them into memory nor rewrites their rows.

  private async recordUnanswered(): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.policy.unansweredAfterHours * HOUR_MS);
    // `pending` puts the scan on the expiry index. Intro requests are asked of a member on someone
    // else's behalf: they are not nudged.
    return this.db.$executeRaw`
      INSERT INTO reminder (kind, subject, occurrence, created_at)
      SELECT 'invitation_unanswered', i.id::text, '', ${utcTimestamp(now)}::timestamp
      FROM invitation i
      WHERE i.pending AND i.status = 'delivered' AND i.intro_target_id IS NULL
        AND i.expires_at > ${utcTimestamp(now)}::timestamp AND i.delivered_at <= ${utcTimestamp(before)}::timestamp
        AND NOT EXISTS (SELECT 1 FROM reminder r WHERE r.kind = 'invitation_unanswered' AND r.subject = i.id::text AND r.occurrence = '')
      ON CONFLICT (kind, subject, occurrence) DO NOTHING`;
  }

  private async recordClaimReviews(): Promise<number> {
    if (!this.reviewChannel) return 0;
    const now = this.clock.now();
    const before = new Date(now.getTime() - CLAIM_REMINDER_AFTER_MS);
    const day = now.toISOString().slice(0, 10);
    return this.db.$executeRaw`
      INSERT INTO reminder (kind, subject, occurrence, created_at)
      SELECT 'claim_review', c.id::text, ${day}, ${utcTimestamp(now)}::timestamp
      FROM claim c
      WHERE c.method = 'admin_review' AND c.status IN ('pending', 'disputed') AND c.created_at <= ${utcTimestamp(before)}::timestamp
        AND NOT EXISTS (SELECT 1 FROM reminder r WHERE r.kind = 'claim_review' AND r.subject = c.id::text AND r.occurrence = ${day})
      ON CONFLICT (kind, subject, occurrence) DO NOTHING`;
  }

  /** Sends every owed reminder this worker can take. Returns how many went out. */
  async sendOwed(): Promise<number> {
    let sent = 0;
    for (;;) {
      const owed = await this.ledger.owed();
      let taken = 0;
      for (const row of owed) {
        if (!(await this.ledger.take(row.id))) continue;
        taken++;
        try {
          const outcome = await this.send(row);
          await this.ledger.finish(row.id, outcome);
          if (outcome === "sent") sent++;
        } catch (err) {
          this.log.error({ err, reminder: String(row.id), kind: row.kind }, "reminder not delivered; the next sweep retries");
          await this.ledger.fail(row.id, row.attempts + 1, err);
        }
      }
      if (taken === 0 || owed.length < 200) return sent;
    }
  }

  private send(row: OwedReminder): Promise<Outcome> {
    if (row.kind === "invitation_unanswered") return this.remindRecipient(row.subject);
    if (row.kind === "invitation_expired") return this.tellExpired(row.subject);
    return this.remindReviewers(Number(row.subject));
  }

  /** Reminds the recipient where the invitation reached them, Accept and Decline included. */
  private async remindRecipient(invitationId: string): Promise<Outcome> {
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      include: {
        sender: { select: { displayName: true } },
        researcher: { select: { displayName: true } },
        deliveries: { select: { identityId: true }, orderBy: { sentAt: "asc" }, take: 1 },
      },
    });
    const now = this.clock.now();
    // Answered, withdrawn, failed or expired since the row was written: nothing to remind of.
    if (!inv || inv.status !== "delivered" || inv.expiresAt <= now || inv.introTargetId !== null) return "skipped";
    const first = inv.deliveries[0];
    const to = first && (await this.db.chatIdentity.findUnique({ where: { id: first.identityId } }));
    if (!to) return "skipped";
    const senderIdentity = await this.db.chatIdentity.findUnique({ where: { id: inv.senderIdentityId }, select: { displayName: true } });
    const card = invitationCard({
      id: inv.id,
      senderName: senderIdentity?.displayName ?? inv.sender.displayName,
      researcherName: inv.researcher.displayName,
      message: inv.message,
      originPlatform: inv.originPlatform,
      originTenantId: inv.originTenantId,
      originChannelId: inv.originChannelId,
      expiresAt: inv.expiresAt,
    });
    const reminder: Card = {
      ...card,
      title: `Reminder: ${card.title}`,
      context:
        `This invitation is still waiting for your answer and expires on ${inv.expiresAt.toISOString().slice(0, 10)}. ${card.context ?? ""}`.trim(),
    };
    await this.deliver({ platform: to.platform, tenantId: to.tenantId, userId: to.userId, channelId: to.dmChannelId ?? undefined }, reminder);
    return "sent";
  }

  /** The expiry notice left unsent by a worker that died after closing the invitation. */
  private async tellExpired(invitationId: string): Promise<Outcome> {
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      select: { status: true, senderIdentityId: true, researcher: { select: { displayName: true } }, introTarget: { select: { displayName: true } } },
    });
    if (!inv || inv.status !== "expired") return "skipped";
    const sender = await this.db.chatIdentity.findUnique({ where: { id: inv.senderIdentityId } });
    if (!sender) return "skipped";
    await this.deliver(sender, senderExpiredNotice(inv.researcher.displayName, inv.introTarget?.displayName ?? null));
    return "sent";
  }

  /** Posts the review card again, with its buttons, while the claim is still open. */
  private async remindReviewers(claimId: number): Promise<Outcome> {
    const channel = this.reviewChannel;
    const claim = await this.db.claim.findUnique({
      where: { id: claimId },
      include: {
        researcher: { include: { claimedBy: { select: { displayName: true } } } },
        account: { include: { identities: { orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }], take: 1 } } },
      },
    });
    if (!channel || !claim || (claim.status !== "pending" && claim.status !== "disputed")) return "skipped";
    const who = claim.account.identities[0];
    const days = Math.floor((this.clock.now().getTime() - claim.createdAt.getTime()) / CLAIM_REMINDER_AFTER_MS);
    const card = reviewCard({
      claimId,
      disputed: claim.status === "disputed",
      researcher: claim.researcher,
      claimant: { displayName: claim.account.displayName, platform: who?.platform ?? channel.platform, userId: who?.userId ?? "unknown" },
      holder: claim.status === "disputed" ? (claim.researcher.claimedBy?.displayName ?? null) : null,
    });
    const reminder: Card = {
      ...card,
      title: `Reminder: ${card.title}`,
      context:
        `Waiting for a decision for ${days} day${days === 1 ? "" : "s"}; I'll remind this channel daily until someone decides. ${card.context ?? ""}`.trim(),
    };
    const { messageRef } = await this.deliver(channel, reminder);
    // Kept like the first card, so the decision replaces this copy's buttons too.
    await this.db.postedMessage.createMany({
      data: [{ subject: claimSubject(claimId), platform: channel.platform, tenantId: channel.tenantId, messageRef, createdAt: this.clock.now() }],
      skipDuplicates: true,
    });
    return "sent";
  }

  private async deliver(to: { platform: keyof Messengers; tenantId: string; userId?: string; channelId?: string }, reply: Reply) {
    const messenger = this.messengers()[to.platform];
    if (!messenger) throw new Error(`no messenger for ${to.platform}`);
    return messenger.send(to, reply);
  }
}
