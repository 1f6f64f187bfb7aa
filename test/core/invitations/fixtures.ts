// People and researchers for the invitation specs.
import type { Core } from "../../../src/core/Core.js";
import type { Actor, CommandContext, Platform } from "../../../src/core/context.js";
import { searchName } from "../../../src/core/text.js";
import type { Db } from "../../../src/db/client.js";
import { TEST_START } from "../../support/clock.js";

export const silentLog = { error: () => {} };

export function person(platform: Platform, tenantId: string, userId: string, displayName: string): Actor {
  return { platform, tenantId, userId, displayName };
}

export function inChannel(actor: Actor, channelId = "C0TEAM"): CommandContext {
  return { actor, channelId, permissions: { canManageChannel: false, isAdmin: false } };
}

/** A researcher record, claimed by `claimant` when given (what a verified claim leaves behind). */
export async function researcher(db: Db, displayName: string, claimedByAccountId: number | null = null): Promise<number> {
  const r = await db.researcher.create({
    data: { displayName, searchName: searchName(displayName), claimedByAccountId, claimedAt: claimedByAccountId ? TEST_START : null },
  });
  return r.id;
}

/** A chat user who has claimed a researcher profile; returns both ids. */
export async function claimant(core: Core, actor: Actor, name: string) {
  const me = await core.accounts.resolve(actor);
  const researcherId = await researcher(core.db, name, me.accountId);
  return { ...me, researcherId, actor };
}

export async function auditActions(db: Db, invitationId: string): Promise<string[]> {
  const rows = await db.auditLog.findMany({ where: { subjectType: "invitation", subjectId: invitationId }, orderBy: { id: "asc" } });
  return rows.map((r) => r.action);
}
