import { recordWhileLeased } from "../recordWhileLeased.js";
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import { type ErrorLog, type Messengers, PermanentDeliveryError } from "../ports.js";
import { auditInvitation } from "./auditInvitation.js";
import { invitationCard } from "./invitationReplies.js";
import { introRequestCard, senderExpiredNotice, senderFailedNotice, type StoredPath } from "../intros/introReplies.js";
import { DeliveryLedger, type DeliveryTarget } from "./DeliveryLedger.js";
import { notifyIdentity } from "./notifyIdentity.js";
import { ReminderLedger } from "../reminders/ReminderLedger.js";

export type DeliveryOutcome = "delivered" | "already_delivered" | "not_pending" | "expired" | "blocked" | "gone";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Another attempt is sending this invitation right now, or was when its worker died: come back at
 * `retryAt`, when its lease runs out. Not a failure: it must not use up a retry.
 */
export class DeliveryBusyError extends Error {
  override name = "DeliveryBusyError";
  constructor(readonly retryAt: Date) {
    super(`another attempt is delivering this invitation; retry at ${retryAt.toISOString()}`);
  }
}

/**
 * Delivers invitations to the recipient's chat identities and settles their ends (failed, expired).
 * Called by the invitation workers; every step re-reads Postgres, the source of truth.
 */
export class InvitationDeliverer {
  private readonly ledger: DeliveryLedger;
  /** The expiry notice's once-only row (see expireDue). */
  private readonly notices: ReminderLedger;
  /** Records of sent DMs still being written (see deliver). */
  private readonly unrecorded = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
    leaseMs?: number,
  ) {
    this.ledger = new DeliveryLedger(db, () => clock.now(), leaseMs);
    this.notices = new ReminderLedger(db, () => clock.now());
  }

  /**
   * Sends the invitation DM once per target identity. Throws PermanentDeliveryError when nobody can
   * be reached (retrying cannot help) and any other error when a retry might.
   *
   * Claim, send, stamp: the lease is taken before the platform calls, so a second attempt finds it
   * and stays away, and no transaction stays open during the calls. Each DM is recorded after the
   * platform accepted it, in a row whose primary key refuses a second one. A failed send gives the
   * lease back; a worker that dies mid-send leaves it to run out, after which the DMs not recorded
   * are sent. The only at-least-once window is a crash between the platform's answer and the record.
   *
   * The records are written behind: this resolves once the DMs are sent, and `settled()` once their
   * records are in Postgres. A record that cannot be written is retried for as long as the lease
   * keeps other attempts away, so a brief database error does not make the DM go out twice.
   */
  async deliver(invitationId: string): Promise<DeliveryOutcome> {
    if (!UUID.test(invitationId)) return "gone";
    const claim = await this.ledger.claim(invitationId);
    if (claim.kind === "busy") throw new DeliveryBusyError(claim.retryAt);
    if (claim.kind !== "claimed") return claim.kind;
    const { invitation: inv, lease } = claim;
    if (inv.blocked) {
      await this.close(invitationId, "failed", "recipient blocked the sender");
      return "blocked";
    }
    // An intro request concerns one workspace: it reaches the member there, nowhere else.
    const reachable =
      inv.introTargetName === null
        ? inv.identities
        : inv.identities.filter((i) => i.platform === inv.originPlatform && i.tenantId === inv.originTenantId);
    const targets = this.targets(reachable, inv.notifyIdentityId);
    const owed = targets.filter((t) => !t.sent);
    if (owed.length === 0) {
      await this.ledger.release(invitationId, lease);
      if (targets.length) return "already_delivered";
      throw new PermanentDeliveryError("the recipient has no chat identity on a running platform");
    }

    const view = {
      id: inv.id,
      senderName: inv.senderName,
      researcherName: inv.researcherName,
      message: inv.message,
      originPlatform: inv.originPlatform,
      originTenantId: inv.originTenantId,
      originChannelId: inv.originChannelId,
      expiresAt: inv.expiresAt,
    };
    const card =
      inv.introTargetName === null
        ? invitationCard(view)
        : introRequestCard({ ...view, targetName: inv.introTargetName, path: inv.introPath as StoredPath });

    let sent = 0;
    let retryable: unknown;
    let permanent: unknown;
    const records: Array<Promise<void>> = [];
    for (const [i, target] of owed.entries()) {
      try {
        const { messageRef } = await this.messengers()[target.platform]!.send(
          { platform: target.platform, tenantId: target.tenantId, userId: target.userId, channelId: target.dmChannelId ?? undefined },
          card,
        );
        // The attempt's last record gives the lease back, unless an earlier send failed (below).
        const last = i === owed.length - 1 && sent === i;
        records.push(this.record({ invitationId, identityId: target.id, platform: target.platform, messageRef, lease, last }));
        sent++;
      } catch (error) {
        if (error instanceof PermanentDeliveryError) permanent = error;
        else retryable ??= error;
      }
    }
    if (sent < owed.length) {
      // Only once the sent DMs are on record: a retry that took the lease earlier would send them again.
      await Promise.all(records);
      await this.ledger
        .release(invitationId, lease)
        .catch((releaseError: unknown) =>
          this.log.error({ err: releaseError, invitationId }, "could not release an invitation delivery lease; it runs out by itself"),
        );
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a caught error, rethrown as it came
    if (retryable) throw retryable;
    if (sent) return "delivered";
    throw permanent;
  }

  /** Resolves when every DM sent so far is on record (see deliver). Call it before shutting down. */
  async settled(): Promise<void> {
    while (this.unrecorded.size) await Promise.all(this.unrecorded);
  }

  /**
   * Writes a sent DM's record, retrying with backoff while the lease still keeps other attempts
   * away. Never rejects: a record given up on is logged, and the reconciler re-enqueues the
   * invitation, which then goes out again once the lease has run out.
   */
  private record(request: Parameters<DeliveryLedger["markSent"]>[0]): Promise<void> {
    const written = recordWhileLeased(() => this.ledger.markSent(request), request.lease, this.clock, {
      failed: (error, final) =>
        this.log.error(
          { err: error, invitationId: request.invitationId },
          final ? "could not record a sent invitation DM; it may be sent again" : "could not record a sent invitation DM yet; retrying",
        ),
    }).then(() => undefined);
    this.unrecorded.add(written);
    void written.finally(() => this.unrecorded.delete(written));
    return written;
  }

  /** One DM on the platforms the recipient uses: the chosen notification identity, or the latest per platform. */
  private targets(identities: DeliveryTarget[], notifyIdentityId: number | null): DeliveryTarget[] {
    const messengers = this.messengers();
    const reachable = identities.filter((i) => messengers[i.platform]);
    const chosen = reachable.find((i) => i.id === notifyIdentityId);
    if (chosen) return [chosen];
    const seen = new Set<string>();
    return reachable.filter((i) => !seen.has(i.platform) && seen.add(i.platform));
  }

  /** Notes a failed attempt that will be retried. */
  async recordAttempt(invitationId: string, error: unknown): Promise<void> {
    await this.db.invitation.updateMany({
      where: { id: invitationId },
      data: { attempts: { increment: 1 }, lastError: describe(error) },
    });
  }

  /** After the last attempt: the invitation is `failed` and the sender is told. */
  async markFailed(invitationId: string, error: unknown): Promise<boolean> {
    const closed = await this.close(invitationId, "failed", describe(error));
    if (closed) await this.tellSender(invitationId, senderFailedNotice);
    return closed;
  }

  /**
   * Expires every pending invitation past its time and tells each sender. Returns how many expired.
   * The notice's reminder row is written with the status change: a worker that dies before telling
   * leaves it owed, and the reminder sweep (ReminderService) sends it; once sent it is never sent again.
   */
  async expireDue(batch = 200): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.db.invitation.findMany({
        // pending (queued or delivered) puts the query on the expiry index, which holds only those.
        where: { pending: true, expiresAt: { lte: this.clock.now() } },
        select: { id: true },
        orderBy: { expiresAt: "asc" },
        take: batch,
      });
      for (const { id } of due) {
        if (await this.close(id, "expired", null)) {
          expired++;
          await this.tellExpired(id);
        }
      }
      if (due.length < batch) return expired;
    }
  }

  /** Conditional status change plus its audit row; false when someone else settled it first. */
  private async close(invitationId: string, status: "failed" | "expired", reason: string | null): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.invitation.updateMany({
        where: { id: invitationId, status: status === "failed" ? "queued" : { in: ["queued", "delivered"] } },
        data: { status, lastError: reason ?? undefined },
      });
      if (count && status === "expired") await this.notices.record([{ kind: "invitation_expired", subject: invitationId }], tx);
      if (count) {
        await auditInvitation(
          tx,
          {
            action: status === "failed" ? "invitation.failed" : "invitation.expired",
            subjectType: "invitation",
            subjectId: invitationId,
            details: reason ? { reason } : undefined,
          },
          this.clock.now(),
        );
      }
      return count === 1;
    });
  }

  private async tellExpired(invitationId: string) {
    const id = await this.notices.takeByKey("invitation_expired", invitationId);
    if (id === null) return;
    const told = await this.tellSender(invitationId, senderExpiredNotice);
    if (told) await this.notices.finish(id, "sent");
    else await this.notices.fail(id, 1, new Error("expiry notice not delivered"));
  }

  private async tellSender(
    invitationId: string,
    reply: (researcherName: string, introTarget: string | null) => Parameters<typeof notifyIdentity>[3],
  ) {
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      select: { senderIdentityId: true, researcher: { select: { displayName: true } }, introTarget: { select: { displayName: true } } },
    });
    if (!inv) return false;
    const sender = await this.db.chatIdentity.findUnique({ where: { id: inv.senderIdentityId } });
    return sender
      ? notifyIdentity(this.messengers(), this.log, sender, reply(inv.researcher.displayName, inv.introTarget?.displayName ?? null))
      : false;
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
