import type { Db } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { ErrorLog, Messengers } from "../ports.js";
import { notice, type Notice } from "../reply.js";
import type { AnsweredInvitation } from "./InvitationService.js";
import { acceptedNotice, contactNotice, conversationIntro, type PersonRef } from "./invitationReplies.js";
import { notifyIdentity } from "./notifyIdentity.js";

/**
 * After an accept, puts the two people in touch: one shared conversation when the platform can open
 * one and both are in the same workspace (a Slack group DM), otherwise a DM to each with the other's
 * contact (Discord, or two different platforms).
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
