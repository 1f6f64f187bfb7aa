// The core's Messenger port for Slack: DMs (conversations.open, cached in chat_identity) and channel
// posts, rendered with the Block Kit renderer. Slack's errors become the core's delivery errors so
// jobs know whether to retry.
import { webApi } from "@slack/bolt";
import type { Platform } from "../../core/context.js";
import type { Db } from "../../db/client.js";
import {
  type Destination,
  type MessageAddress,
  type Messenger,
  PermanentDeliveryError,
  RateLimitedError,
  type SentMessage,
} from "../../core/ports.js";
import { type Picture, pictureOf, type Reply } from "../../core/reply.js";
import { platformFailures, type PlatformFailures } from "../platformFailures.js";
import { renderMessage } from "./render.js";
import { uploadPicture } from "./sendPicture.js";
import { slackReason } from "./slackCall.js";

/** The bot token for a workspace: the single SLACK_BOT_TOKEN, or the installation's token. */
export type BotTokenSource = (teamId: string) => Promise<string | undefined>;

/** Slack errors after which retrying cannot succeed. */
export const PERMANENT_ERRORS = new Set([
  "user_not_found",
  "users_not_found",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "account_inactive",
  "user_disabled",
  "cannot_dm_bot",
  "invalid_auth",
  "token_revoked",
  "team_access_not_granted",
  "missing_scope",
  "restricted_action",
  "msg_too_long",
  "invalid_blocks",
  // chat.update: the message was deleted, or is not one the bot may change
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
]);

/** When Slack says "ratelimited" without a Retry-After header, wait this long. */
export const DEFAULT_RETRY_AFTER_MS = 30_000;

export interface SlackMessengerOptions {
  db: Db;
  /** Web API base URL (SLACK_API_URL). */
  apiUrl: string;
  botToken: BotTokenSource;
  /** Per Web API call; see client(). */
  timeoutMs?: number;
  failures?: PlatformFailures;
}

export class SlackMessenger implements Messenger {
  private readonly clients = new Map<string, InstanceType<typeof webApi.WebClient>>();

  constructor(private readonly options: SlackMessengerOptions) {}

  async send(to: Destination, reply: Reply): Promise<SentMessage> {
    if (to.platform !== "slack") throw new Error(`SlackMessenger cannot send to ${to.platform}`);
    const token = await this.options.botToken(to.tenantId);
    if (!token) throw new PermanentDeliveryError(`Peerlink is not installed in Slack workspace ${to.tenantId}`);
    const client = this.client(token);
    const message = renderMessage(reply);
    const picture = pictureOf(reply);
    const thread = to.thread && { ...parseMessageRef(to.thread.parentRef), broadcast: to.thread.alsoInChannel };
    return this.counted(async () => {
      const channel = thread?.channel ?? to.channelId ?? (await this.dmChannel(client, to));
      const post = { channel, text: message.text, blocks: message.blocks, unfurl_links: false };
      const sent = await client.chat.postMessage(thread ? { ...post, thread_ts: thread.ts, reply_broadcast: thread.broadcast } : post);
      if (picture) await this.uploadBeside(client, channel, picture);
      return { messageRef: `${sent.channel ?? channel}:${sent.ts}` };
    });
  }

  /**
   * The picture follows the message into the same conversation. The message is what was owed: an
   * upload that fails is counted and given up, since retrying the delivery would post the message twice.
   */
  private async uploadBeside(client: InstanceType<typeof webApi.WebClient>, channel: string, picture: Picture): Promise<void> {
    try {
      await uploadPicture(client, channel, picture);
    } catch (error) {
      (this.options.failures ?? platformFailures).record({ platform: "slack", call: "upload", reason: slackReason(error) });
    }
  }

  /** Replaces a message Peerlink posted ("C123:1700000000.000100", as send returned it) through chat.update. */
  async edit(message: MessageAddress, reply: Reply): Promise<void> {
    if (message.platform !== "slack") throw new Error(`SlackMessenger cannot edit a ${message.platform} message`);
    const at = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(message.messageRef);
    if (!at) throw new PermanentDeliveryError(`not a Slack message reference: ${message.messageRef}`);
    const token = await this.options.botToken(message.tenantId);
    if (!token) throw new PermanentDeliveryError(`Peerlink is not installed in Slack workspace ${message.tenantId}`);
    const rendered = renderMessage(reply);
    await this.counted(() => this.client(token).chat.update({ channel: at[1]!, ts: at[2]!, text: rendered.text, blocks: rendered.blocks }));
  }

  /** One group DM with several users of a workspace (mpim:write), e.g. to introduce collaborators. */
  async openConversation(platform: Platform, tenantId: string, userIds: string[]): Promise<{ channelId: string }> {
    if (platform !== "slack") throw new Error(`SlackMessenger cannot open a ${platform} conversation`);
    const token = await this.options.botToken(tenantId);
    if (!token) throw new PermanentDeliveryError(`Peerlink is not installed in Slack workspace ${tenantId}`);
    return this.counted(async () => {
      const opened = await this.client(token).conversations.open({ users: userIds.join(",") });
      if (!opened.channel?.id) throw new Error("conversations.open returned no channel");
      return { channelId: opened.channel.id };
    });
  }

  /** The user's DM channel with the bot, opened once and remembered on their chat identity. */
  private async dmChannel(client: InstanceType<typeof webApi.WebClient>, to: Destination): Promise<string> {
    if (!to.userId) throw new Error("a Slack destination needs a channelId or a userId");
    const where = { platform: "slack" as const, tenantId: to.tenantId, userId: to.userId };
    const identity = await this.options.db.chatIdentity.findUnique({
      where: { platform_tenantId_userId: where },
      select: { dmChannelId: true },
    });
    if (identity?.dmChannelId) return identity.dmChannelId;
    const opened = await client.conversations.open({ users: to.userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error("conversations.open returned no channel");
    await this.options.db.chatIdentity.updateMany({ where, data: { dmChannelId: channel } });
    return channel;
  }

  /** Slack's failures are counted here and decided by the caller: a job retries or marks the delivery failed. */
  private async counted<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      // Only the Web API client's errors (all coded slack_…): a database error is not Slack's.
      if ((error as { code?: unknown }).code?.toString().startsWith("slack_")) {
        (this.options.failures ?? platformFailures).record({ platform: "slack", call: "dm", reason: slackReason(error) });
      }
      return deliveryErrors(() => Promise.reject(error));
    }
  }

  private client(token: string) {
    let client = this.clients.get(token);
    if (!client) {
      // Retries belong to the job queue, which knows about Retry-After and attempts; the client must not wait.
      client = new webApi.WebClient(token, {
        slackApiUrl: this.options.apiUrl,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        // A call that hangs must fail well inside an invitation's delivery lease (2 minutes), or the
        // lease could run out while the message is still on its way and a retry send it again.
        timeout: this.options.timeoutMs ?? 20_000,
      });
      this.clients.set(token, client);
    }
    return client;
  }
}

/** "C123:1700000000.000100", as send returns it, back into its channel and ts. */
function parseMessageRef(ref: string): { channel: string; ts: string } {
  const at = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(ref);
  if (!at) throw new PermanentDeliveryError(`not a Slack message reference: ${ref}`);
  return { channel: at[1]!, ts: at[2]! };
}

/** Maps Slack's failures to RateLimitedError / PermanentDeliveryError; anything else stays retryable. */
export async function deliveryErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as { code?: string; retryAfter?: number; data?: { error?: string } };
    if (e.code === webApi.ErrorCode.RateLimitedError) throw new RateLimitedError((e.retryAfter ?? 30) * 1000);
    if (e.code === webApi.ErrorCode.PlatformError) {
      const slackError = e.data?.error ?? "unknown_error";
      if (slackError === "ratelimited") throw new RateLimitedError(DEFAULT_RETRY_AFTER_MS);
      if (PERMANENT_ERRORS.has(slackError)) throw new PermanentDeliveryError(`Slack refused the message: ${slackError}`);
    }
    throw error;
  }
}
