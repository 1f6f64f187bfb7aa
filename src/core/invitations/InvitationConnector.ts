import type { Db } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import { introConversation } from "../intros/introReplies.js";
import type { ErrorLog, Messengers } from "../ports.js";
import { notice, type Notice } from "../reply.js";
import type { AnsweredInvitation } from "./InvitationService.js";
import { acceptedNotice, contactLine, contactNotice, conversationIntro, type PersonRef } from "./invitationReplies.js";
import { notifyIdentity } from "./notifyIdentity.js";

/**
 * After an accept, puts the two people in touch: one shared conversation when the platform can open
 * one and both are in the same workspace (a Slack group DM), otherwise a DM to each with the other's
 * contact (Discord, or two different platforms). An intro request accepted ("I'll introduce you") is
 * put in touch the same way, with the researcher to be introduced in the conversation too when they
 * are listed for intros in that workspace.
 */
export class InvitationConnector {
  constructor(
    private readonly db: Db,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
  ) {}

  /** Returns what the person who accepted should see. */
  async connect(invitation: AnsweredInvitation, recipient: Identity): Promise<Notice> {
    const [senderRow, recipientRow] = await Promise.all([
      this.db.chatIdentity.findUnique({ where: { id: invitation.senderIdentityId }, include: { account: true } }),
      this.db.chatIdentity.findUnique({ where: { id: recipient.identityId }, include: { account: true } }),
    ]);
    if (!senderRow || !recipientRow) {
      return notice("success", "Accepted. The sender no longer uses Peerlink, so we couldn't introduce you.");
    }
    const sender = person(senderRow);
    const me: PersonRef = { ...person(recipientRow), displayName: invitation.researcherName };
    if (invitation.intro) return this.introduce(invitation, invitation.intro, sender, me);
    const messenger = this.messengers()[sender.platform];
    const together = sender.platform === me.platform && sender.tenantId === me.tenantId;

    if (together && messenger?.openConversation) {
      try {
        const { channelId } = await messenger.openConversation(sender.platform, sender.tenantId, [sender.userId, me.userId]);
        await messenger.send(
          { platform: sender.platform, tenantId: sender.tenantId, channelId },
          conversationIntro(invitation.researcherName, invitation.senderName, invitation.message),
        );
        return notice("success", `Accepted. I've opened a conversation with ${invitation.senderName} and you.`);
      } catch (err) {
        this.log.error({ err, invitationId: invitation.id }, "could not open a shared conversation; sending contacts instead");
      }
    }
    await notifyIdentity(this.messengers(), this.log, sender, acceptedNotice(invitation.researcherName, me));
    await notifyIdentity(this.messengers(), this.log, me, contactNotice(invitation.senderName, sender));
    return notice("success", `Accepted. I've sent you and ${invitation.senderName} each other's contact details.`);
  }

  /** The member offered to introduce the sender: a conversation of the three (or two), or contacts both ways. */
  private async introduce(
    invitation: AnsweredInvitation,
    intro: NonNullable<AnsweredInvitation["intro"]>,
    sender: PersonRef,
    me: PersonRef,
  ): Promise<Notice> {
    const { targetName } = intro;
    const messenger = this.messengers()[me.platform];
    if (sender.platform === me.platform && sender.tenantId === me.tenantId && messenger?.openConversation) {
      const target = await this.targetHere(intro.targetId, me);
      try {
        const users = [sender.userId, me.userId, ...(target ? [target.userId] : [])];
        const { channelId } = await messenger.openConversation(me.platform, me.tenantId, users);
        await messenger.send(
          { platform: me.platform, tenantId: me.tenantId, channelId },
          introConversation(me.displayName, invitation.senderName, targetName, invitation.message, target !== null),
        );
        const others = target ? `${invitation.senderName} and ${targetName}` : invitation.senderName;
        return notice("success", `Thank you! I've opened a conversation with ${others} and you, so you can make the introduction.`);
      } catch (err) {
        this.log.error({ err, invitationId: invitation.id }, "could not open an intro conversation; sending contacts instead");
      }
    }
    await notifyIdentity(
      this.messengers(),
      this.log,
      sender,
      notice("success", `${me.displayName} offered to introduce you to ${targetName}. You can reach them as ${contactLine(me)}.`),
    );
    await notifyIdentity(
      this.messengers(),
      this.log,
      me,
      notice("success", `You offered to introduce ${invitation.senderName} to ${targetName}. You can reach them as ${contactLine(sender)}.`),
    );
    return notice("success", `Thank you! I've sent you and ${invitation.senderName} each other's contact details, so you can make the introduction.`);
  }

  /** The target, when they opted in to intros in the member's own workspace: then they join the conversation. */
  private async targetHere(targetId: number, me: PersonRef): Promise<{ userId: string } | null> {
    const target = await this.db.researcher.findUnique({ where: { id: targetId }, select: { claimedByAccountId: true } });
    if (target?.claimedByAccountId == null) return null;
    return this.db.chatIdentity.findFirst({
      where: { accountId: target.claimedByAccountId, platform: me.platform, tenantId: me.tenantId, introMember: { isNot: null } },
      select: { userId: true },
    });
  }
}

function person(row: {
  platform: PersonRef["platform"];
  tenantId: string;
  userId: string;
  displayName: string | null;
  account: { displayName: string };
}): PersonRef {
  return { platform: row.platform, tenantId: row.tenantId, userId: row.userId, displayName: row.displayName ?? row.account.displayName };
}
