// What every Slack listener needs, and how a Slack user and channel become a CommandContext.
import type { RespondFn, webApi } from "@slack/bolt";
import { apologyFor, newErrorRef } from "../../../core/apology.js";
import { busyReply } from "../../../core/CommandLimiter.js";
import { keepCorrelationId, withSomeCorrelationId } from "../../../core/correlation.js";
import type { CommandContext } from "../../../core/context.js";
import type { Core } from "../../../core/Core.js";
import { notice, ephemeral, type Response } from "../../../core/reply.js";
import type { UnfurlService } from "../../../core/unfurl/UnfurlService.js";
import type { Logger } from "../../../logger.js";
import { PlatformCallError, type PlatformFailures } from "../../platformFailures.js";
import { deliver, type ReplyTarget } from "../deliver.js";
import { slackErrorCode } from "../slackCall.js";
import type { SlackPermissions } from "../SlackPermissions.js";

export type SlackClient = InstanceType<typeof webApi.WebClient>;

export interface SlackDeps {
  core: Core;
  unfurls: UnfurlService;
  permissions: SlackPermissions;
  log: Logger;
  failures: PlatformFailures;
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

/** Logs a listener's failure once with its context; a failed Slack call is also counted. */
export function reportFailure(deps: SlackDeps, error: unknown, context: object): void {
  if (!(error instanceof PlatformCallError)) {
    deps.log.error({ err: error, ...context }, "slack interaction failed");
    return;
  }
  const { call, reason } = error;
  deps.failures.record({ platform: "slack", call, reason });
  const details = { ...context, call, reason, code: slackErrorCode(error.cause) };
  if (reason === "gone") deps.log.warn(details, "slack interaction gone before it was answered");
  else deps.log.error({ err: error.cause, ...details }, "slack call failed");
}

/**
 * Runs the work after an acknowledgement, in its turn (core.limiter): when Peerlink is too busy
 * to start it soon, the user is told so instead. The router already turns command failures into
 * apologies; this catches the adapter's own (a Slack call failing) so the user still hears something.
 * `inTurn: false` is for work that already had its turn (a form's answer delivered late).
 * Everything it logs carries one correlation id, the reference an apology shows.
 */
export function afterAck(
  deps: SlackDeps,
  target: ReplyTarget,
  what: object,
  work: () => Promise<void>,
  options: { inTurn?: boolean } = {},
): Promise<void> {
  return withSomeCorrelationId(() => answerAfterAck(deps, target, what, work, options));
}

async function answerAfterAck(
  deps: SlackDeps,
  target: ReplyTarget,
  what: object,
  work: () => Promise<void>,
  { inTurn = true }: { inTurn?: boolean },
): Promise<void> {
  deps.log.debug({ user: target.userId, channel: target.channelId, ...what }, "slack interaction");
  try {
    const run = inTurn ? await deps.core.limiter.run("slack", keepCorrelationId(work)) : { ok: true as const, value: await work() };
    if (!run.ok) await deliver(busyReply(), { ...target, triggerId: undefined });
  } catch (error) {
    const ref = newErrorRef();
    reportFailure(deps, error, { ref, user: target.userId, channel: target.channelId, ...what });
    const failed = error instanceof PlatformCallError ? error : undefined;
    const apology =
      failed?.reason === "rate_limited"
        ? ephemeral(notice("warning", "Slack asked Peerlink to slow down. Please try again in a minute."))
        : apologyFor(ref);
    // A response_url that failed would fail again: the apology goes to the channel or the DM instead.
    const via = failed?.call === "response_url" ? { ...target, respond: undefined } : target;
    await deliver(apology, { ...via, triggerId: undefined }).catch((err: unknown) => deps.log.warn({ err, ref }, "could not deliver the apology"));
  }
}

/**
 * Runs a fuller answer the core offered (CommandContext.replaceLater) behind the listener, and shows
 * it with `put` when it comes. Not waited for at shutdown: a lost update leaves a partial card whose
 * counts are true and say they were still arriving.
 */
export function showLater(
  deps: SlackDeps,
  target: ReplyTarget,
  what: object,
  next: () => Promise<Response | null>,
  put: (r: Response) => Promise<void>,
): void {
  void next()
    .then((later) => later && put(later))
    .catch((error: unknown) => reportFailure(deps, error, { user: target.userId, channel: target.channelId, update: true, ...what }));
}

/** respond() that replaces the message the response_url belongs to. */
export function replacing(respond: RespondFn): RespondFn {
  return (message) => respond(typeof message === "string" ? { text: message, replace_original: true } : { ...message, replace_original: true });
}
