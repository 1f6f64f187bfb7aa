// Feedback on a notification. "Not relevant" quiets, for each reason the paper came with, the papers
// like it: the same venue, or the same co-authors (the followed researcher aside); fan-out reads
// feedback_mute before it writes a delivery. "Save" keeps the paper on a personal reading list.
import type { Db } from "../../db/client.js";
import type { Clock } from "../context.js";
import type { Reason } from "../notifications/notificationMessage.js";

/** co-authors muted per press, at most: a hundred-author paper should not mute a field */
const MAX_COAUTHORS = 20;

export type NotRelevantOutcome =
  { kind: "muted"; reasons: Reason[]; venue: string | null; coauthors: string[] } | { kind: "not_yours" } | { kind: "no_reasons" };

export class FeedbackService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async notRelevant(accountId: number, deliveryId: bigint): Promise<NotRelevantOutcome> {
    const recipientKey = `account:${accountId}`;
    const delivery = await this.db.notificationDelivery.findUnique({
      where: { id: deliveryId },
      select: {
        recipientKey: true,
        reasons: true,
        work: {
          select: {
            venue: true,
            authorships: { orderBy: { position: "asc" }, select: { researcherId: true, researcher: { select: { displayName: true } } } },
          },
        },
      },
    });
    if (!delivery || delivery.recipientKey !== recipientKey) return { kind: "not_yours" };
    const reasons = (delivery.reasons as Reason[] | null) ?? [];
    if (reasons.length === 0) return { kind: "no_reasons" };
    const now = this.clock.now();
    const rows: { recipientKey: string; reasonKey: string; venue: string | null; researcherId: number | null; createdAt: Date }[] = [];
    const named = new Set<string>();
    for (const reason of reasons) {
      const reasonKey = `${reason.kind === "researcher" ? "researcher" : "alert"}:${reason.id}`;
      if (delivery.work.venue) rows.push({ recipientKey, reasonKey, venue: delivery.work.venue, researcherId: null, createdAt: now });
      const others = delivery.work.authorships.filter((a) => !(reason.kind === "researcher" && a.researcherId === reason.id)).slice(0, MAX_COAUTHORS);
      for (const a of others) {
        rows.push({ recipientKey, reasonKey, venue: null, researcherId: a.researcherId, createdAt: now });
        named.add(a.researcher.displayName);
      }
    }
    await this.db.feedbackMute.createMany({ data: rows });
    return { kind: "muted", reasons, venue: delivery.work.venue, coauthors: [...named] };
  }

  async save(accountId: number, workId: number): Promise<"saved" | "already" | "gone"> {
    const work = await this.db.work.findUnique({ where: { id: workId }, select: { id: true } });
    if (!work) return "gone";
    const { count } = await this.db.savedWork.createMany({ data: [{ accountId, workId, savedAt: this.clock.now() }], skipDuplicates: true });
    return count ? "saved" : "already";
  }

  async unsave(accountId: number, workId: number): Promise<boolean> {
    return (await this.db.savedWork.deleteMany({ where: { accountId, workId } })).count > 0;
  }

  async saved(accountId: number, offset: number, limit: number) {
    const [total, rows] = await Promise.all([
      this.db.savedWork.count({ where: { accountId } }),
      this.db.savedWork.findMany({
        where: { accountId },
        orderBy: [{ savedAt: "desc" }, { workId: "desc" }],
        skip: offset,
        take: limit,
        select: {
          savedAt: true,
          work: { select: { id: true, title: true, type: true, venue: true, publicationYear: true, doi: true, arxivId: true, openalexId: true } },
        },
      }),
    ]);
    return { total, rows };
  }
}
