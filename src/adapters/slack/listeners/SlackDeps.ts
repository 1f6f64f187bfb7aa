// What every Slack listener needs, and how a Slack user and channel become a CommandContext.
import type { webApi } from "@slack/bolt";
import { apologyFor, newErrorRef } from "../../../core/apology.js";
import type { CommandContext } from "../../../core/context.js";
import type { Core } from "../../../core/Core.js";
import type { HomeService } from "../../../core/home/HomeService.js";
import { notice, ephemeral } from "../../../core/reply.js";
import type { UnfurlService } from "../../../core/unfurl/UnfurlService.js";
import type { Logger } from "../../../logger.js";
import { deliver, type ReplyTarget } from "../deliver.js";
import type { SlackPermissions } from "../SlackPermissions.js";

export type SlackClient = InstanceType<typeof webApi.WebClient>;

export interface SlackDeps {
  core: Core;
  home: HomeService;
  unfurls: UnfurlService;
  permissions: SlackPermissions;
  log: Logger;
}

export interface SlackUser {
  teamId: string;
  userId: string;
  name?: string;
}

/** Builds the core's context. Permissions cost Slack API calls, so call this only after the ack. */
export async function commandContext(deps: SlackDeps, client: SlackClient, user: SlackUser, channelId?: string): Promise<CommandContext> {
  return {
    actor: { platform: "slack", tenantId: user.teamId, userId: user.userId, displayName: user.name || undefined },
    channelId,
    permissions: await deps.permissions.of(client, user.teamId, user.userId, channelId),
  };
}

/**
 * Runs the work after an acknowledgement. The router already turns command failures into apologies;
 * this catches the adapter's own (a Slack call failing) so the user still hears something.
 */
export async function afterAck(deps: SlackDeps, target: ReplyTarget, what: object, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const ref = newErrorRef();
    deps.log.error({ err: error, ref, ...what }, "slack interaction failed");
    const apology = apologyFor(ref);
    await deliver(apology, { ...target, triggerId: undefined }).catch((err) => deps.log.warn({ err, ref }, "could not deliver the apology"));
  }
}
