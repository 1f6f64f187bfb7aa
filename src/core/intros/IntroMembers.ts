import { type Db, sqlPool } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { Clock, Platform } from "../context.js";

/** Where intros and the team map look for people: one Slack workspace, one Discord server, the console. */
export interface Tenant {
  platform: Platform;
  tenantId: string;
}

/** A member who opted in here and claimed a researcher record (one entry per record they claimed). */
export interface Member {
  identityId: number;
  accountId: number;
  /** Their user id on this platform, for mentions and group conversations. */
  userId: string;
  /** How they appear here: "here as @<handle>". */
  handle: string;
  researcherId: number;
  researcherName: string;
}

/**
 * Who appears in intros and the team map: only people who opted in (/researcher privacy), in the
 * workspace or server where they did, and only with a claimed researcher record. Nothing is shared
 * between tenants: every query is by one tenant.
 */
export class IntroMembers {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Opts the identity in where it lives. */
  async join(identityId: number, tenant: Tenant): Promise<"joined" | "already"> {
    const { count } = await this.db.introMember.createMany({
      data: [{ identityId, platform: tenant.platform, tenantId: tenant.tenantId, optedInAt: this.clock.now() }],
      skipDuplicates: true,
    });
    return count ? "joined" : "already";
  }

  /** Opts the identity out. The caller withdraws its pending intro requests (IntroService.leave). */
  async leave(me: Identity): Promise<boolean> {
    const { count } = await this.db.introMember.deleteMany({ where: { identityId: me.identityId } });
    return count > 0;
  }

  async isMember(identityId: number): Promise<boolean> {
    return (await this.db.introMember.count({ where: { identityId } })) > 0;
  }

  /** Everyone listed here, with each researcher record they claimed. */
  async of(tenant: Tenant): Promise<Member[]> {
    const { rows } = await sqlPool(this.db).query<Member>({
      name: "intro-members-of-tenant",
      text: `
        SELECT ci.id AS "identityId", ci.account_id AS "accountId", ci.user_id AS "userId",
               coalesce(ci.display_name, a.display_name, ci.user_id) AS "handle",
               r.id AS "researcherId", r.display_name AS "researcherName"
        FROM intro_member m
        JOIN chat_identity ci ON ci.id = m.identity_id
        JOIN account a ON a.id = ci.account_id
        JOIN researcher r ON r.claimed_by_account_id = ci.account_id
        WHERE m.platform = $1::"Platform" AND m.tenant_id = $2
        ORDER BY r.display_name, r.id`,
      values: [tenant.platform, tenant.tenantId],
    });
    return rows;
  }

  /** The member a mention or a handle names here (`<@U123>`, `@bob`), if they opted in. */
  async named(tenant: Tenant, who: string): Promise<Member[]> {
    const mention = /^<@!?([A-Za-z0-9._-]+)(?:\|[^>]*)?>$/.exec(who.trim());
    const wanted = who.trim().replace(/^@/, "").toLowerCase();
    const members = await this.of(tenant);
    return members.filter((m) => (mention ? m.userId === mention[1] : m.userId.toLowerCase() === wanted || m.handle.toLowerCase() === wanted));
  }
}
