// Bolt's InstallationStore in Postgres (slack_installation), for multi-workspace OAuth installs.
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Db, Prisma } from "../../db/client.js";

type AnyInstallation = Installation<"v1" | "v2", boolean>;

/** Bolt authorizes every request before the listener can acknowledge it; a short cache keeps Postgres off that path. */
export const INSTALLATION_CACHE_MS = 60_000;

export class SlackInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { installation: AnyInstallation; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private key(enterpriseInstall: boolean, teamId: string | undefined, enterpriseId: string | undefined) {
    // Org-wide installs are keyed on the enterprise alone; workspace installs on the team (and its org).
    return enterpriseInstall
      ? { teamId: null, enterpriseId: enterpriseId ?? null, isEnterprise: true }
      : { teamId: teamId ?? null, enterpriseId: enterpriseId ?? null, isEnterprise: false };
  }

  async storeInstallation<AuthVersion extends "v1" | "v2">(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const key = this.key(Boolean(installation.isEnterpriseInstall), installation.team?.id, installation.enterprise?.id);
    if (!key.teamId && !key.enterpriseId) throw new Error("Slack installation has neither a team nor an enterprise id");
    const data = JSON.parse(JSON.stringify(installation)) as Prisma.InputJsonValue;
    // (team_id, enterprise_id) is unique, but NULLs never collide in Postgres: find, then update or create.
    await this.db.$transaction(async (tx) => {
      const existing = await tx.slackInstallation.findFirst({ where: { teamId: key.teamId, enterpriseId: key.enterpriseId } });
      if (existing) await tx.slackInstallation.update({ where: { id: existing.id }, data: { data, isEnterprise: key.isEnterprise } });
      else await tx.slackInstallation.create({ data: { ...key, data } });
    });
    this.cache.clear();
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const key = `${query.isEnterpriseInstall ? "E" : "T"}:${query.enterpriseId ?? ""}:${query.teamId ?? ""}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) return hit.installation;
    const row = await this.find(query);
    if (!row) throw new Error(`No Slack installation for team ${query.teamId ?? "-"} / enterprise ${query.enterpriseId ?? "-"}`);
    const installation = row.data as unknown as AnyInstallation;
    this.cache.set(key, { installation, expires: this.now() + INSTALLATION_CACHE_MS });
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.db.slackInstallation.delete({ where: { id: row.id } });
    this.cache.clear();
  }

  /** The bot token installed in a workspace, or undefined when Peerlink is not installed there. */
  async botToken(teamId: string): Promise<string | undefined> {
    const row = await this.find({ teamId, isEnterpriseInstall: false, enterpriseId: undefined });
    return (row?.data as { bot?: { token?: string } } | undefined)?.bot?.token;
  }

  private find(query: InstallationQuery<boolean>) {
    if (query.isEnterpriseInstall && query.enterpriseId) {
      return this.db.slackInstallation.findFirst({ where: { enterpriseId: query.enterpriseId, isEnterprise: true } });
    }
    return this.db.slackInstallation.findFirst({
      where: { teamId: query.teamId ?? "", ...(query.enterpriseId ? { enterpriseId: query.enterpriseId } : {}) },
      orderBy: { updatedAt: "desc" },
    });
  }
}
