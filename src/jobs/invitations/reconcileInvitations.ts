// Postgres alone decides what is owed: every `queued` invitation must have a live job. After a Redis
// restart without persistence (or a lost enqueue) the jobs are gone, so they are enqueued again.
import type { Db } from "../../db/client.js";
import type { InvitationProducer } from "./producer.js";

const PAGE = 500;

/** Re-enqueues queued, unexpired invitations whose job is missing or finished. Returns how many. */
export async function reconcileInvitations(db: Db, producer: InvitationProducer, now: Date): Promise<number> {
  let requeued = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await db.invitation.findMany({
      // pending puts the scan on the expiry index, which holds only open invitations.
      where: { pending: true, status: "queued", expiresAt: { gt: now }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    const missing: string[] = [];
    for (const { id } of rows) {
      const job = await producer.queue.getJob(id);
      if (job) {
        const state = await job.getState();
        // A finished job for a still-queued invitation means a worker died between the two.
        if (state !== "completed" && state !== "failed") continue;
        await job.remove();
      }
      missing.push(id);
    }
    await producer.enqueueDeliveries(missing);
    requeued += missing.length;
    if (rows.length < PAGE) return requeued;
    after = rows.at(-1)!.id;
  }
}
