import type { Db, Prisma } from "../../db/client.js";
import { LockSpace, lockForTransaction } from "../../db/locks.js";
import type { Identity } from "../accounts/AccountService.js";
import type { Actor, Clock, CommandContext } from "../context.js";
import type { ErrorLog, Messengers } from "../ports.js";
import { notice, type Notice } from "../reply.js";
import { auditInvitation } from "./auditInvitation.js";
import type { InvitationPolicy, InvitationQueue } from "./InvitationQueue.js";
import { declinedNotice, unclaimedNotice } from "./invitationReplies.js";
import { introDeclinedNotice, introWithdrawnNotice, type StoredPath } from "../intros/introReplies.js";
import type { Tenant } from "../intros/IntroMembers.js";
import { notifyIdentity } from "./notifyIdentity.js";

const PENDING = ["queued", "delivered"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SendOutcome =
  | { ok: true; invitationId: string; researcherName: string }
  | { ok: false; reason: "gone" | "unclaimed" | "self" | "unverified_sender" | "blocked" | "rate_limited" | "duplicate"; reply: Notice };

export type Answer = "accept" | "decline";

export type AnswerOutcome = { ok: true; invitation: AnsweredInvitation; recipient: Identity } | { ok: false; reply: Notice };

export interface AnsweredInvitation {
  id: string;
  message: string;
  senderAccountId: number;
  senderIdentityId: number;
  senderName: string;
  researcherName: string;
  /** Set when this is an intro request: whom the sender asked to be introduced to, and the path. */
  intro?: { targetId: number; targetName: string; path: StoredPath };
}

/**
 * An intro request (/researcher intro) travels as an invitation to the member asked to make the
 * introduction: the same row, queue, delivery, limits and blocks, plus whom to introduce and the path.
 */
export interface IntroRequest {
  targetId: number;
  targetName: string;
  path: StoredPath;
}

/** Sending, answering and listing invitations. Delivery itself is InvitationDeliverer's job. */
export class InvitationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: InvitationPolicy,
    private readonly queue: () => InvitationQueue,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
  ) {}

  get maxMessageLength() {
    return this.policy.maxMessageLength;
  }

  /** Stores the invitation as `queued` (Postgres decides what is owed), then asks the queue to deliver it. */
  async send(sender: Identity, ctx: CommandContext, researcherId: number, message: string, intro?: IntroRequest): Promise<SendOutcome> {
    const researcher = await this.db.researcher.findUnique({
      where: { id: researcherId },
      select: { displayName: true, claimedByAccountId: true },
    });
    if (!researcher) return refuse("gone", notice("warning", "That researcher no longer exists."));
    const name = researcher.displayName;
    const recipientAccountId = researcher.claimedByAccountId;
    const refusal = await this.refusal(sender, researcherId, name, recipientAccountId, intro);
    if (refusal) {
      await auditInvitation(
        this.db,
        {
          action: "invitation.refused",
          actorAccountId: sender.accountId,
          actorIdentityId: sender.identityId,
          subjectType: "researcher",
          subjectId: researcherId,
          details: { reason: refusal.reason },
        },
        this.clock.now(),
      );
      return refusal;
    }
    const now = this.clock.now();
    try {
      const invitationId = await this.db.$transaction(async (tx) => {
        // Serialises one sender's sends, so two at once cannot both slip under the daily limit.
        await lockForTransaction(tx, LockSpace.invitationSender, sender.accountId);
        const recent = await tx.invitation.count({
          where: { senderAccountId: sender.accountId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
        });
        if (recent >= this.policy.dailyLimit) return null;
        const created = await tx.invitation.create({
          data: {
            senderAccountId: sender.accountId,
            senderIdentityId: sender.identityId,
            researcherId,
            recipientAccountId: recipientAccountId!,
            message,
            introTargetId: intro?.targetId,
            introPath: intro ? ({ nodes: intro.path.nodes, ties: intro.path.ties } as unknown as Prisma.InputJsonValue) : undefined,
            status: "queued",
            originPlatform: ctx.actor.platform,
            originTenantId: ctx.actor.tenantId,
            originChannelId: ctx.channelId ?? "direct",
            createdAt: now,
            expiresAt: new Date(now.getTime() + this.policy.expiryHours * 60 * 60 * 1000),
          },
          select: { id: true },
        });
        await auditInvitation(
          tx,
          {
            action: "invitation.sent",
            actorAccountId: sender.accountId,
            actorIdentityId: sender.identityId,
            subjectType: "invitation",
            subjectId: created.id,
            details: { researcherId, recipientAccountId, channelId: ctx.channelId ?? null, ...(intro && { introTargetId: intro.targetId }) },
          },
          this.clock.now(),
        );
        return created.id;
      });
      if (invitationId === null) {
        const limit = this.policy.dailyLimit;
        return refuse(
          "rate_limited",
          notice(
            "warning",
            // Intro requests count against the same daily limit as invitations.
            `You've sent ${limit} invitation${limit === 1 ? "" : "s"}${intro ? " and intro requests" : ""} in the last 24 hours, the most allowed. Please try again tomorrow.`,
          ),
        );
      }
      await this.enqueue(invitationId);
      return { ok: true, invitationId, researcherName: name };
    } catch (error) {
      // The partial unique index: one pending invitation per sender and researcher.
      if ((error as { code?: string }).code !== "P2002") throw error;
      return refuse(
        "duplicate",
        intro
          ? notice(
              "info",
              `You already asked ${name} for an introduction to ${intro.targetName}. You'll hear back when they answer or when it expires.`,
            )
          : notice("info", `You already have a pending invitation to ${name}. You'll hear back when they answer or when it expires.`),
      );
    }
  }

  private async refusal(sender: Identity, researcherId: number, name: string, recipientAccountId: number | null, intro?: IntroRequest) {
    if (recipientAccountId === null) return refuse("unclaimed", unclaimedNotice(researcherId, name));
    if (recipientAccountId === sender.accountId) {
      return refuse(
        "self",
        notice(
          "info",
          intro
            ? `That's you, ${name}: you can write to ${intro.targetName} yourself.`
            : `That's your own profile, ${name} — you can't invite yourself.`,
        ),
      );
    }
    if (this.policy.requireVerifiedSender) {
      const own = await this.db.researcher.count({ where: { claimedByAccountId: sender.accountId } });
      if (own === 0) {
        return refuse(
          "unverified_sender",
          notice(
            "warning",
            "On this server only people who have claimed their own researcher profile can send invitations. Claim yours with /researcher claim <your name>.",
          ),
        );
      }
    }
    const blocked = await this.db.block.findUnique({
      where: { blockerAccountId_blockedAccountId: { blockerAccountId: recipientAccountId, blockedAccountId: sender.accountId } },
    });
    if (blocked) return refuse("blocked", notice("warning", `${name} isn't accepting ${intro ? "intro requests" : "invitations"} from you.`));
    return null;
  }

  /** A queue outage must not lose the invitation: it stays `queued` and the reconciler re-enqueues it. */
  private async enqueue(invitationId: string) {
    try {
      await this.queue().enqueueDelivery(invitationId);
    } catch (err) {
      this.log.error({ err, invitationId }, "invitation enqueue failed; the reconciler will retry");
    }
  }

  /** Accept or decline. Only the recipient may answer; anyone else is refused and nothing changes. */
  async answer(actor: Actor, me: Identity, invitationId: string, answer: Answer): Promise<AnswerOutcome> {
    if (!UUID.test(invitationId)) return { ok: false, reply: notice("warning", "That invitation no longer exists.") };
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      select: {
        id: true,
        status: true,
        message: true,
        expiresAt: true,
        senderAccountId: true,
        senderIdentityId: true,
        recipientAccountId: true,
        sender: { select: { displayName: true } },
        researcher: { select: { displayName: true } },
        introTargetId: true,
        introPath: true,
        introTarget: { select: { displayName: true } },
      },
    });
    if (!inv) return { ok: false, reply: notice("warning", "That invitation no longer exists.") };
    const recipient = await this.recipientIdentity(inv.recipientAccountId, me, actor);
    if (!recipient) {
      await auditInvitation(
        this.db,
        {
          action: "invitation.answer_refused",
          actorAccountId: me.accountId,
          actorIdentityId: me.identityId,
          subjectType: "invitation",
          subjectId: inv.id,
          details: { answer },
        },
        this.clock.now(),
      );
      return {
        ok: false,
        reply: notice("info", `Sorry, this invitation is addressed to ${inv.researcher.displayName}, so only they can answer it.`),
      };
    }
    const now = this.clock.now();
    const status = answer === "accept" ? "accepted" : "declined";
    const changed = await this.db.$transaction(async (tx) => {
      const { count } = await tx.invitation.updateMany({
        where: { id: inv.id, status: { in: [...PENDING] }, expiresAt: { gt: now } },
        data: { status, respondedAt: now },
      });
      if (count) {
        await auditInvitation(
          tx,
          {
            action: answer === "accept" ? "invitation.accepted" : "invitation.declined",
            actorAccountId: me.accountId,
            actorIdentityId: me.identityId,
            subjectType: "invitation",
            subjectId: inv.id,
          },
          this.clock.now(),
        );
      }
      return count === 1;
    });
    if (!changed) return { ok: false, reply: await this.alreadyAnswered(inv.id) };
    const senderName = await this.senderName(inv.senderIdentityId, inv.sender.displayName);
    return {
      ok: true,
      recipient,
      invitation: {
        id: inv.id,
        message: inv.message,
        senderAccountId: inv.senderAccountId,
        senderIdentityId: inv.senderIdentityId,
        senderName,
        researcherName: inv.researcher.displayName,
        ...(inv.introTargetId !== null &&
          inv.introTarget && {
            intro: { targetId: inv.introTargetId, targetName: inv.introTarget.displayName, path: inv.introPath as unknown as StoredPath },
          }),
      },
    };
  }

  /** Tells the sender, politely, that the invitation was declined. */
  async notifyDeclined(invitation: AnsweredInvitation): Promise<void> {
    const sender = await this.db.chatIdentity.findUnique({ where: { id: invitation.senderIdentityId } });
    if (!sender) return;
    const reply = invitation.intro
      ? introDeclinedNotice(invitation.researcherName, invitation.intro.targetName)
      : declinedNotice(invitation.researcherName);
    await notifyIdentity(this.messengers(), this.log, sender, reply);
  }

  /**
   * A member left the intro list here: their pending intro requests from this workspace are
   * withdrawn (no longer answerable, never delivered if still queued) and each asker is told.
   */
  async withdrawIntros(member: Identity, tenant: Tenant): Promise<number> {
    const now = this.clock.now();
    const withdrawn = await this.db.$transaction(async (tx) => {
      const rows = await tx.invitation.findMany({
        where: {
          recipientAccountId: member.accountId,
          pending: true,
          introTargetId: { not: null },
          originPlatform: tenant.platform,
          originTenantId: tenant.tenantId,
        },
        select: { id: true, senderIdentityId: true, researcher: { select: { displayName: true } }, introTarget: { select: { displayName: true } } },
      });
      const { count } = await tx.invitation.updateMany({
        where: { id: { in: rows.map((r) => r.id) }, pending: true },
        data: { status: "withdrawn", respondedAt: now },
      });
      for (const r of rows) {
        await auditInvitation(
          tx,
          {
            action: "invitation.withdrawn",
            actorAccountId: member.accountId,
            actorIdentityId: member.identityId,
            subjectType: "invitation",
            subjectId: r.id,
          },
          now,
        );
      }
      return count ? rows : [];
    });
    for (const r of withdrawn) {
      const sender = await this.db.chatIdentity.findUnique({ where: { id: r.senderIdentityId } });
      if (sender)
        await notifyIdentity(
          this.messengers(),
          this.log,
          sender,
          introWithdrawnNotice(r.researcher.displayName, r.introTarget?.displayName ?? "them"),
        );
    }
    return withdrawn.length;
  }

  private async alreadyAnswered(id: string): Promise<Notice> {
    const inv = await this.db.invitation.findUniqueOrThrow({ where: { id }, select: { status: true, expiresAt: true } });
    const text: Record<string, string> = {
      accepted: "You already accepted this invitation.",
      declined: "You already declined this invitation.",
      expired: "This invitation has expired.",
      failed: "This invitation could not be delivered and is closed.",
      withdrawn: "This intro request was withdrawn.",
    };
    return notice("info", text[inv.status] ?? `This invitation expired on ${inv.expiresAt.toISOString().slice(0, 10)}.`);
  }

  /**
   * The recipient's identity when the person pressing a button is the recipient, else null.
   * Discord user ids are global, but a button pressed in a DM arrives with tenant "dm", which
   * AccountService treats as a separate identity: the recipient's identity with the same Discord
   * user id is the same person.
   */
  async recipientIdentity(recipientAccountId: number, me: Identity, actor: Actor): Promise<Identity | null> {
    if (me.accountId === recipientAccountId) return me;
    if (actor.platform !== "discord") return null;
    const same = await this.db.chatIdentity.findFirst({
      where: { accountId: recipientAccountId, platform: "discord", userId: actor.userId },
      select: { id: true, accountId: true },
    });
    return same && { accountId: same.accountId, identityId: same.id };
  }

  /** Who sent an invitation and to whom, for the Block sender button. */
  async senderOf(invitationId: string) {
    if (!UUID.test(invitationId)) return null;
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      select: { senderAccountId: true, senderIdentityId: true, recipientAccountId: true, sender: { select: { displayName: true } } },
    });
    if (!inv) return null;
    const senderName = await this.senderName(inv.senderIdentityId, inv.sender.displayName);
    return { senderAccountId: inv.senderAccountId, recipientAccountId: inv.recipientAccountId, senderName };
  }

  async senderName(identityId: number, fallback: string): Promise<string> {
    const identity = await this.db.chatIdentity.findUnique({ where: { id: identityId }, select: { displayName: true } });
    return identity?.displayName ?? fallback;
  }

  /** Latest invitations sent and received by an account. */
  async list(accountId: number, take = 10) {
    const select = {
      id: true,
      status: true,
      message: true,
      createdAt: true,
      expiresAt: true,
      researcher: { select: { displayName: true } },
      sender: { select: { displayName: true } },
    } as const;
    const [sent, received] = await Promise.all([
      this.db.invitation.findMany({ where: { senderAccountId: accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select }),
      this.db.invitation.findMany({ where: { recipientAccountId: accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, select }),
    ]);
    return { sent, received };
  }

  /** "Tell me when this researcher claims their profile": a ClaimWatch row the claims flow acts on. */
  async watchClaim(me: Identity, researcherId: number): Promise<"watching" | "already_watching"> {
    const { count } = await this.db.claimWatch.createMany({
      data: [{ accountId: me.accountId, researcherId, createdAt: this.clock.now() }],
      skipDuplicates: true,
    });
    if (count) {
      await auditInvitation(
        this.db,
        {
          action: "claim_watch.created",
          actorAccountId: me.accountId,
          actorIdentityId: me.identityId,
          subjectType: "researcher",
          subjectId: researcherId,
        },
        this.clock.now(),
      );
    }
    return count ? "watching" : "already_watching";
  }
}

type Refusal = Extract<SendOutcome, { ok: false }>;

function refuse(reason: Refusal["reason"], reply: Notice): Refusal {
  return { ok: false, reason, reply };
}
