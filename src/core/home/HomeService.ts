// What a person's home screen shows (Slack's App Home tab, or any platform's equivalent): the
// researchers they follow, their claims and their invitations, sent and received. Plain reply data.
import type { Db } from "../../db/client.js";
import type { AccountService } from "../accounts/AccountService.js";
import type { Actor } from "../context.js";
import type { IntroService } from "../intros/IntroService.js";
import { teamHomeSection } from "../intros/TeamMap.js";
import type { Action, Item, List } from "../reply.js";

/** Rows per section: a home screen is a summary; the commands page through the rest. */
export const HOME_SECTION_SIZE = 10;

export interface Home {
  title: string;
  intro: string;
  sections: List[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const more = (total: number, shown: number, hint: string) => (total > shown ? `${total - shown} more — ${hint}` : undefined);

const CLAIM_STATUS: Record<string, string> = {
  pending: "waiting for review",
  verified: "verified",
  rejected: "not accepted",
  disputed: "disputed",
  released: "released",
  revoked: "revoked",
};

export class HomeService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountService,
    /** With it, the home screen ends with the people here who joined intros (the team map, briefly). */
    private readonly intros?: IntroService,
  ) {}

  async load(actor: Actor, now: Date): Promise<Home> {
    const me = await this.accounts.resolve(actor);
    const [following, claims, received, sent] = await Promise.all([
      this.following(me.accountId),
      this.claims(me.accountId),
      this.receivedInvitations(me.accountId, now),
      this.sentInvitations(me.accountId),
    ]);
    return {
      title: "Peerlink",
      intro: "Follow researchers, claim your author profile and invite people to collaborate. Type /researcher help for every command.",
      sections: [following, claims, received, sent, ...(await this.team(actor))],
    };
  }

  private async team(actor: Actor): Promise<List[]> {
    const tenant = this.intros?.tenantOf(actor);
    if (!this.intros || !tenant) return [];
    return [teamHomeSection(await this.intros.team(tenant), HOME_SECTION_SIZE)];
  }

  private async following(accountId: number): Promise<List> {
    const where = { accountId };
    const [total, rows] = await Promise.all([
      this.db.follow.count({ where }),
      this.db.follow.findMany({
        where,
        orderBy: { createdAt: "desc" },
        take: HOME_SECTION_SIZE,
        select: { muted: true, createdAt: true, researcher: { select: { id: true, displayName: true } } },
      }),
    ]);
    return {
      kind: "list",
      title: `Researchers you follow (${total})`,
      intro: total === 0 ? "You don't follow anyone yet. Try /researcher follow <name>." : undefined,
      items: rows.map((f) => ({
        title: f.researcher.displayName,
        meta: [`since ${day(f.createdAt)}`, f.muted ? "muted" : null].filter(Boolean).join(" · "),
        actions: [{ id: "unfollow", label: "Unfollow", value: String(f.researcher.id) }],
      })),
      footer: more(total, rows.length, "/researcher following 2"),
    };
  }

  private async claims(accountId: number): Promise<List> {
    const rows = await this.db.claim.findMany({
      where: { accountId, status: { in: ["pending", "verified", "disputed"] } },
      orderBy: { createdAt: "desc" },
      take: HOME_SECTION_SIZE,
      select: { status: true, createdAt: true, researcher: { select: { id: true, displayName: true } } },
    });
    return {
      kind: "list",
      title: "Your claims",
      intro: rows.length === 0 ? "You haven't claimed an author profile. Find yours with /researcher <your name>, then press Claim." : undefined,
      items: rows.map((c) => ({
        title: c.researcher.displayName,
        meta: `${CLAIM_STATUS[c.status] ?? c.status} · claimed ${day(c.createdAt)}`,
        actions: [{ id: "lookup", label: "Profile", value: String(c.researcher.id) }],
      })),
    };
  }

  private async receivedInvitations(accountId: number, now: Date): Promise<List> {
    const rows = await this.db.invitation.findMany({
      where: { recipientAccountId: accountId },
      orderBy: { createdAt: "desc" },
      take: HOME_SECTION_SIZE,
      select: { id: true, status: true, message: true, createdAt: true, expiresAt: true, sender: { select: { displayName: true } } },
    });
    return {
      kind: "list",
      title: "Invitations for you",
      intro: rows.length === 0 ? "No invitations yet." : undefined,
      items: rows.map((i): Item => {
        const open = (i.status === "queued" || i.status === "delivered") && i.expiresAt > now;
        const actions: Action[] = open
          ? [
              { id: "accept_invite", label: "Accept", value: i.id, style: "primary" },
              { id: "decline_invite", label: "Decline", value: i.id },
            ]
          : [];
        return {
          title: `From ${i.sender.displayName}`,
          meta: `${open ? "open" : i.status === "delivered" || i.status === "queued" ? "expired" : i.status} · ${day(i.createdAt)}`,
          text: i.message,
          actions,
        };
      }),
    };
  }

  private async sentInvitations(accountId: number): Promise<List> {
    const rows = await this.db.invitation.findMany({
      where: { senderAccountId: accountId },
      orderBy: { createdAt: "desc" },
      take: HOME_SECTION_SIZE,
      select: { status: true, createdAt: true, researcher: { select: { id: true, displayName: true } } },
    });
    return {
      kind: "list",
      title: "Invitations you sent",
      intro: rows.length === 0 ? "You haven't invited anyone yet. Open a profile and press Invite to collaborate." : undefined,
      items: rows.map((i) => ({ title: `To ${i.researcher.displayName}`, meta: `${i.status} · ${day(i.createdAt)}` })),
    };
  }
}
