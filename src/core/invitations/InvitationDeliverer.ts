import type { Db } from "../../db/client.js";
import type { ErrorLog } from "../commands/CommandRouter.js";
import type { Clock } from "../context.js";
import { type Messengers, PermanentDeliveryError } from "../ports.js";
import { auditInvitation } from "./auditInvitation.js";
import { expiredNotice, failedNotice, invitationCard } from "./invitationReplies.js";
import { type DeliveryTarget, loadForDelivery } from "./loadForDelivery.js";
import { notifyIdentity } from "./notifyIdentity.js";

export type DeliveryOutcome = "delivered" | "already_delivered" | "not_pending" | "expired" | "blocked" | "gone";

type Target = DeliveryTarget;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long one delivery transaction may stay open around the platform call. */
const DELIVERY_TX_TIMEOUT_MS = 60_000;

/**
 * Delivers invitations to the recipient's chat identities and settles their ends (failed, expired).
 * Called by the invitation workers; every step re-reads Postgres, the source of truth.
 */
export class InvitationDeliverer {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly messengers: () => Messengers,
    private readonly log: ErrorLog,
  ) {}

  /**
   * Sends the invitation DM once per target identity. Throws PermanentDeliveryError when nobody can
   * be reached (retrying cannot help) and any other error when a retry might.
   */
  async deliver(invitationId: string): Promise<DeliveryOutcome> {
    if (!UUID.test(invitationId)) return "gone";
    const inv = await loadForDelivery(this.db, invitationId);
    if (!inv) return "gone";
    if (inv.status !== "queued" && inv.status !== "delivered") return "not_pending";
    if (inv.expiresAt <= this.clock.now()) return "expired";
    if (inv.blocked) {
      await this.close(invitationId, "failed", "recipient blocked the sender");
      return "blocked";
    }
    const targets = this.targets(inv.identities, inv.notifyIdentityId);
    if (targets.length === 0) throw new PermanentDeliveryError("the recipient has no chat identity on a running platform");

    const card = invitationCard({
      id: inv.id,
      senderName: inv.senderName,
      researcherName: inv.researcherName,
      message: inv.message,
      originPlatform: inv.originPlatform,
      originTenantId: inv.originTenantId,
      originChannelId: inv.originChannelId,
      expiresAt: inv.expiresAt,
    });

    let sent = 0;
    let alreadySent = 0;
    let retryable: unknown;
    let permanent: unknown;
    for (const target of targets) {
      try {
        if (await this.deliverTo(invitationId, target, card)) sent++;
        else alreadySent++;
      } catch (error) {
        if (error instanceof PermanentDeliveryError) permanent = error;
        else retryable ??= error;
      }
    }
    if (retryable) throw retryable;
    if (sent + alreadySent === 0) throw permanent;
    return sent ? "delivered" : "already_delivered";
  }

  /** One DM on the platforms the recipient uses: the chosen notification identity, or the latest per platform. */
  private targets(identities: Target[], notifyIdentityId: number | null): Target[] {
    const messengers = this.messengers();
    const reachable = identities.filter((i) => messengers[i.platform]);
    const chosen = reachable.find((i) => i.id === notifyIdentityId);
    if (chosen) return [chosen];
    const seen = new Set<string>();
    return reachable.filter((i) => !seen.has(i.platform) && seen.add(i.platform));
  }

  /**
   * The delivery row is inserted, the message sent and the invitation marked delivered in one
   * transaction. A second worker's insert waits on the first one's row lock and then finds the row:
   * the unique key, not an if-statement, makes a second DM impossible. If sending fails, the
   * transaction rolls back and nothing says the DM was sent.
   */
  private async deliverTo(invitationId: string, target: Target, card: ReturnType<typeof invitationCard>): Promise<boolean> {
    const messenger = this.messengers()[target.platform]!;
    return this.db.$transaction(
      async (tx) => {
        const inserted = await tx.$executeRaw`
          INSERT INTO invitation_delivery (invitation_id, identity_id)
          VALUES (${invitationId}::uuid, ${target.id})
          ON CONFLICT DO NOTHING`;
        if (inserted === 0) return false;
        const { messageRef } = await messenger.send(
          { platform: target.platform, tenantId: target.tenantId, userId: target.userId, channelId: target.dmChannelId ?? undefined },
          card,
        );
        const now = this.clock.now();
        await tx.$executeRaw`
          WITH d AS (
            UPDATE invitation_delivery SET message_ref = ${messageRef}, sent_at = ${now}
            WHERE invitation_id = ${invitationId}::uuid AND identity_id = ${target.id}
          ), i AS (
            UPDATE invitation SET status = 'delivered', delivered_at = ${now}, attempts = attempts + 1
            WHERE id = ${invitationId}::uuid AND status = 'queued'
          )
          INSERT INTO audit_log (at, action, subject_type, subject_id, details)
          VALUES (${now}, 'invitation.delivered', 'invitation', ${invitationId},
                  jsonb_build_object('identityId', ${target.id}::int, 'platform', ${target.platform}::text))`;
        return true;
      },
      { timeout: DELIVERY_TX_TIMEOUT_MS, maxWait: DELIVERY_TX_TIMEOUT_MS },
    );
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
    if (closed) await this.tellSender(invitationId, (name) => failedNotice(name));
    return closed;
  }

  /** Expires every pending invitation past its time and tells each sender. Returns how many expired. */
  async expireDue(batch = 200): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.db.invitation.findMany({
        where: { status: { in: ["queued", "delivered"] }, expiresAt: { lte: this.clock.now() } },
        select: { id: true },
        orderBy: { expiresAt: "asc" },
        take: batch,
      });
      for (const { id } of due) {
        if (await this.close(id, "expired", null)) {
          expired++;
          await this.tellSender(id, (name) => expiredNotice(name));
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
      if (count) {
        await auditInvitation(tx, {
          action: status === "failed" ? "invitation.failed" : "invitation.expired",
          subjectType: "invitation",
          subjectId: invitationId,
          details: reason ? { reason } : undefined,
        });
      }
      return count === 1;
    });
  }

  private async tellSender(invitationId: string, reply: (researcherName: string) => Parameters<typeof notifyIdentity>[3]) {
    const inv = await this.db.invitation.findUnique({
      where: { id: invitationId },
      select: { senderIdentityId: true, researcher: { select: { displayName: true } } },
    });
    if (!inv) return;
    const sender = await this.db.chatIdentity.findUnique({ where: { id: inv.senderIdentityId } });
    if (sender) await notifyIdentity(this.messengers(), this.log, sender, reply(inv.researcher.displayName));
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
