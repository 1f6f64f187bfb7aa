// What a person's home screen shows (Slack's App Home tab, or any platform's equivalent): their claims,
// the invitations waiting for them, whom they follow with each one's latest paper, this week's
// notifications, the invitations they sent and the team. Plain reply data, each section paged.
import type { Db } from "../../db/client.js";
import type { AccountService } from "../accounts/AccountService.js";
import type { Actor } from "../context.js";
import type { IntroService } from "../intros/IntroService.js";
import { teamHomeSection } from "../intros/TeamMap.js";
import type { Action, Dashboard, Item, List } from "../reply.js";

/** Rows per section page: a home screen is a summary; "More" pages through the rest. */
export const HOME_SECTION_SIZE = 5;
/** "This week's notifications": delivered in the last 7 days by the injected clock. */
export const HOME_NOTIFICATION_DAYS = 7;

export const HOME_SECTIONS = ["claims", "invitations", "following", "notifications", "sent"] as const;
export type HomeSectionKey = (typeof HOME_SECTIONS)[number];

/** Which page each section shows; a missing section shows page 1. */
export type HomePages = Partial<Record<HomeSectionKey, number>>;

export type Home = Dashboard;

/** One `<section>:<page>` pair. Undefined for anything else. */
export function parseHomePage(value: string): { section: HomeSectionKey; page: number } | undefined {
  const match = /^([a-z]+):(\d{1,5})$/.exec(value);
  if (!match || !(HOME_SECTIONS as readonly string[]).includes(match[1]!)) return undefined;
  const page = Number(match[2]);
  return page >= 1 ? { section: match[1] as HomeSectionKey, page } : undefined;
}

/**
 * The value a home_page button carries: the pages the whole home shows after the press, as
 * `<section>:<page>` pairs joined by commas (sections on page 1 left out, except the one pressed), so
 * a platform without view state (a Discord message, the console) keeps every section where it was.
 * Undefined for anything else, a repeated section included.
 */
export function parseHomePages(value: string): HomePages | undefined {
  const parts = value.split(",");
  if (parts.length > HOME_SECTIONS.length) return undefined;
  const pages: HomePages = {};
  for (const part of parts) {
    const turn = parseHomePage(part);
    if (!turn || pages[turn.section] !== undefined) return undefined;
    pages[turn.section] = turn.page;
  }
  return pages;
}

/** The home_page value for `pages` with `section` on `page`. */
function homePagesValue(pages: HomePages, section: HomeSectionKey, page: number): string {
  const next: HomePages = { ...pages, [section]: page };
  return HOME_SECTIONS.filter((key) => key === section || (next[key] ?? 1) > 1)
    .map((key) => `${key}:${next[key] ?? 1}`)
    .join(",");
}

interface Slice {
  skip: number;
  take: number;
}
const slice = (page: number): Slice => ({ skip: (page - 1) * HOME_SECTION_SIZE, take: HOME_SECTION_SIZE });

/** "Previous" and "More" buttons for one section, and where they lead (`shown`: every section's page now). */
function pager(section: HomeSectionKey, page: number, total: number, shown: HomePages): Pick<List, "footer" | "actions"> {
  const pages = Math.max(1, Math.ceil(total / HOME_SECTION_SIZE));
  const actions: Action[] = [];
  if (page > 1) actions.push({ id: "home_page", label: "Previous", value: homePagesValue(shown, section, Math.min(page - 1, pages)) });
  if (page < pages) actions.push({ id: "home_page", label: "More", value: homePagesValue(shown, section, page + 1) });
  return { footer: pages > 1 ? `Page ${Math.min(page, pages)} of ${pages}` : undefined, actions: actions.length ? actions : undefined };
}

/** Which page a section shows, and every section's page (for its buttons' values). */
interface At {
  page: number;
  shown: HomePages;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

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

  async load(actor: Actor, now: Date, pages: HomePages = {}): Promise<Home> {
    const me = await this.accounts.resolve(actor);
    const shown: HomePages = {};
    for (const key of HOME_SECTIONS) shown[key] = Math.max(1, Math.floor(pages[key] ?? 1));
    const at = (key: HomeSectionKey) => ({ page: shown[key]!, shown });
    const [claims, received, following, notifications, sent, team] = await Promise.all([
      this.claims(me.accountId, at("claims")),
      this.receivedInvitations(me.accountId, now, at("invitations")),
      this.following(me.accountId, at("following")),
      this.notifications(me.accountId, now, at("notifications")),
      this.sentInvitations(me.accountId, at("sent")),
      this.team(actor),
    ]);
    return {
      kind: "dashboard",
      title: "Peerlink",
      intro: "Follow researchers, claim your author profile and invite people to collaborate. Type /researcher help for every command.",
      sections: [claims, received, following, notifications, sent, ...team],
    };
  }

  private async team(actor: Actor): Promise<List[]> {
    const tenant = this.intros?.tenantOf(actor);
    if (!this.intros || !tenant) return [];
    return [teamHomeSection(await this.intros.team(tenant), HOME_SECTION_SIZE)];
  }

  private async following(accountId: number, { page, shown }: At): Promise<List> {
    const where = { accountId };
    const [total, rows] = await Promise.all([
      this.db.follow.count({ where }),
      this.db.follow.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { researcherId: "asc" }],
        ...slice(page),
        select: {
          muted: true,
          createdAt: true,
          researcher: {
            select: {
              id: true,
              displayName: true,
              // the latest paper rides along in the same query
              authorships: {
                orderBy: [{ work: { publicationDate: { sort: "desc", nulls: "last" } } }, { workId: "desc" }],
                take: 1,
                select: { work: { select: { title: true, publicationDate: true } } },
              },
            },
          },
        },
      }),
    ]);
    return {
      kind: "list",
      title: `Researchers you follow (${total})`,
      intro: total === 0 ? "You don't follow anyone yet. Try /researcher follow <name>." : undefined,
      items: rows.map((f) => {
        const latest = f.researcher.authorships[0]?.work;
        return {
          title: f.researcher.displayName,
          text: latest ? `Latest: ${latest.title}${latest.publicationDate ? ` (${day(latest.publicationDate)})` : ""}` : undefined,
          meta: [`since ${day(f.createdAt)}`, f.muted ? "muted" : null].filter(Boolean).join(" · "),
          actions: [{ id: "unfollow", label: "Unfollow", value: String(f.researcher.id) }],
        };
      }),
      ...pager("following", page, total, shown),
    };
  }

  private async notifications(accountId: number, now: Date, { page, shown }: At): Promise<List> {
    const since = new Date(now.getTime() - HOME_NOTIFICATION_DAYS * 86_400_000);
    const where = { accountId, status: "sent" as const, sentAt: { gte: since, lte: now } };
    const [total, rows] = await Promise.all([
      this.db.notificationDelivery.count({ where }),
      this.db.notificationDelivery.findMany({
        where,
        orderBy: [{ sentAt: "desc" }, { id: "desc" }],
        ...slice(page),
        select: { sentAt: true, work: { select: { id: true, title: true, venue: true } } },
      }),
    ]);
    return {
      kind: "list",
      title: `This week's notifications (${total})`,
      intro: total === 0 ? "No new papers reached you in the last 7 days." : undefined,
      items: rows.map((n) => ({
        title: n.work.title,
        meta: [n.work.venue, n.sentAt ? `sent ${day(n.sentAt)}` : null].filter(Boolean).join(" · "),
      })),
      ...pager("notifications", page, total, shown),
    };
  }

  private async claims(accountId: number, { page, shown }: At): Promise<List> {
    const where = { accountId, status: { in: ["pending" as const, "verified" as const, "disputed" as const] } };
    const [total, rows] = await Promise.all([
      this.db.claim.count({ where }),
      this.db.claim.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...slice(page),
        select: { status: true, createdAt: true, researcher: { select: { id: true, displayName: true } } },
      }),
    ]);
    return {
      kind: "list",
      title: "Your claims",
      intro: rows.length === 0 ? "You haven't claimed an author profile. Find yours with /researcher <your name>, then press Claim." : undefined,
      items: rows.map((c) => ({
        title: c.researcher.displayName,
        meta: `${CLAIM_STATUS[c.status] ?? c.status} · claimed ${day(c.createdAt)}`,
        actions: [{ id: "lookup", label: "Profile", value: String(c.researcher.id) }],
      })),
      ...pager("claims", page, total, shown),
    };
  }

  /** Only the ones waiting for an answer: answered and expired ones are history, not a to-do. */
  private async receivedInvitations(accountId: number, now: Date, { page, shown }: At): Promise<List> {
    const where = { recipientAccountId: accountId, status: { in: ["queued" as const, "delivered" as const] }, expiresAt: { gt: now } };
    const [total, rows] = await Promise.all([
      this.db.invitation.count({ where }),
      this.db.invitation.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...slice(page),
        select: { id: true, message: true, createdAt: true, sender: { select: { displayName: true } } },
      }),
    ]);
    return {
      kind: "list",
      title: `Invitations waiting for you (${total})`,
      intro: total === 0 ? "No invitations waiting for you." : undefined,
      // The query keeps only open ones (pending, not past expiry): each can be answered here.
      items: rows.map((i): Item => ({
        title: `From ${i.sender.displayName}`,
        meta: `open · ${day(i.createdAt)}`,
        text: i.message,
        actions: [
          { id: "accept_invite", label: "Accept", value: i.id, style: "primary" },
          { id: "decline_invite", label: "Decline", value: i.id },
        ],
      })),
      ...pager("invitations", page, total, shown),
    };
  }

  private async sentInvitations(accountId: number, { page, shown }: At): Promise<List> {
    const where = { senderAccountId: accountId };
    const [total, rows] = await Promise.all([
      this.db.invitation.count({ where }),
      this.db.invitation.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        ...slice(page),
        select: { status: true, createdAt: true, researcher: { select: { id: true, displayName: true } } },
      }),
    ]);
    return {
      kind: "list",
      title: "Invitations you sent",
      intro: rows.length === 0 ? "You haven't invited anyone yet. Open a profile and press Invite to collaborate." : undefined,
      items: rows.map((i) => ({ title: `To ${i.researcher.displayName}`, meta: `${i.status} · ${day(i.createdAt)}` })),
      ...pager("sent", page, total, shown),
    };
  }
}
