import type { Db } from "../../db/client.js";
import type { Identity } from "../accounts/AccountService.js";
import type { Actor, Clock } from "../context.js";
import type { InvitationService } from "../invitations/InvitationService.js";
import { CoauthorTies } from "./CoauthorTies.js";
import { IntroMembers, type Member, type Tenant } from "./IntroMembers.js";
import { type IntroPath, IntroPathSearch } from "./IntroPathSearch.js";
import { loadTeam, type Team } from "./TeamMap.js";

/** A Discord DM has no server, so no members to introduce anyone. */
const NO_TENANT = "dm";

/**
 * Warm introductions: who here is closest to a researcher in the co-author graph, and asking them
 * for an introduction (an intro request, delivered like an invitation: InvitationService).
 */
export class IntroService {
  readonly members: IntroMembers;
  readonly ties: CoauthorTies;
  readonly search: IntroPathSearch;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly invitations: () => InvitationService,
  ) {
    this.members = new IntroMembers(db, clock);
    this.ties = new CoauthorTies(db);
    this.search = new IntroPathSearch(db, this.ties);
  }

  /** The workspace or server the actor is in; null in a Discord DM, where nobody else is. */
  tenantOf(actor: Actor): Tenant | null {
    if (actor.platform === "discord" && actor.tenantId === NO_TENANT) return null;
    return { platform: actor.platform, tenantId: actor.tenantId };
  }

  /** Members listed here other than the asker (whose own records are not a way in for them). */
  async othersHere(tenant: Tenant, me: Identity): Promise<Member[]> {
    return (await this.members.of(tenant)).filter((m) => m.accountId !== me.accountId);
  }

  /** Each member's shortest path to the target (up to 3 hops), closest first. */
  async paths(tenant: Tenant, me: Identity, targetId: number): Promise<{ members: Member[]; paths: IntroPath[] }> {
    const members = await this.othersHere(tenant, me);
    return { members, paths: await this.search.find(targetId, members, this.clock.now()) };
  }

  /** How many people here (besides the viewer) wrote with the researcher: the profile card's line. */
  async coauthorsHere(tenant: Tenant, me: Identity, researcherId: number): Promise<number> {
    const members = (await this.othersHere(tenant, me)).filter((m) => m.researcherId !== researcherId);
    if (members.length === 0) return 0;
    const ids = members.map((m) => m.researcherId);
    await this.ties.ensureFresh(ids, this.clock.now());
    const direct = new Set((await this.ties.between(ids, [researcherId])).map((t) => t.from));
    return new Set(members.filter((m) => direct.has(m.researcherId)).map((m) => m.accountId)).size;
  }

  /** The members here, their main topics and their ties to each other. */
  team(tenant: Tenant): Promise<Team> {
    return loadTeam(this.db, this.members, this.ties, tenant, this.clock.now());
  }

  /** Opts in here, and precomputes the ties of the records the member claimed. */
  async join(me: Identity, tenant: Tenant): Promise<{ outcome: "joined" | "already"; claimed: number }> {
    const outcome = await this.members.join(me.identityId, tenant);
    const claimed = await this.db.researcher.findMany({ where: { claimedByAccountId: me.accountId }, select: { id: true } });
    await this.ties.recompute(
      claimed.map((r) => r.id),
      this.clock.now(),
    );
    return { outcome, claimed: claimed.length };
  }

  /** Leaves the list here; pending intro requests to the member from here are withdrawn. */
  async leave(me: Identity, tenant: Tenant): Promise<{ left: boolean; withdrawn: number }> {
    const left = await this.members.leave(me);
    const withdrawn = await this.invitations().withdrawIntros(me, tenant);
    return { left, withdrawn };
  }
}
