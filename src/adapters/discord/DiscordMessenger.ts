// Outbound Discord messages (notifications, invitations, review requests) over the REST API alone:
// no gateway connection, so workers can send without logging a bot in.
import { DiscordAPIError, RateLimitError, REST, type RequestData, Routes } from "discord.js";
import type { Db } from "../../db/client.js";
import {
  type Destination,
  type MessageAddress,
  type Messenger,
  PermanentDeliveryError,
  RateLimitedError,
  type SentMessage,
} from "../../core/ports.js";
import { type Picture, type Reply, truncate } from "../../core/reply.js";
import { renderPicture } from "../../render/renderPicture.js";
import { platformFailures, type PlatformFailures } from "../platformFailures.js";
import { discordReason } from "./discordCall.js";
import { attachmentName, renderMessage } from "./render.js";

/** Discord JSON error codes after which retrying cannot help. */
const PERMANENT_CODES = new Set([
  10003, // Unknown channel
  10004, // Unknown guild
  10008, // Unknown message (deleted since it was sent)
  10013, // Unknown user
  50001, // Missing access
  50007, // Cannot send messages to this user (DMs closed, blocked, no shared server)
  50013, // Missing permissions
  50083, // Thread is archived
]);

export interface DiscordMessengerOptions {
  db: Db;
  token: string;
  /** DISCORD_API_URL, e.g. https://discord.com/api (the REST client adds the /v10 version path). */
  apiUrl: string;
  /** Per attempt; the default keeps a hung call well inside an invitation's delivery lease. */
  timeoutMs?: number;
  failures?: PlatformFailures;
}

/** REST client for sending: a 429 is thrown (as RateLimitedError) so the job queue decides when to retry. */
export function createSendingRest(token: string, apiUrl: string, timeoutMs = 10_000): REST {
  return new REST({ api: apiUrl, rejectOnRateLimit: () => true, retries: 1, timeout: timeoutMs }).setToken(token);
}

export class DiscordMessenger implements Messenger {
  constructor(
    private readonly db: Db,
    private readonly rest: REST,
    private readonly failures: PlatformFailures = platformFailures,
  ) {}

  static create(options: DiscordMessengerOptions): DiscordMessenger {
    return new DiscordMessenger(options.db, createSendingRest(options.token, options.apiUrl, options.timeoutMs), options.failures);
  }

  async send(to: Destination, reply: Reply): Promise<SentMessage> {
    if (to.platform !== "discord") throw new PermanentDeliveryError(`DiscordMessenger cannot send to ${to.platform}`);
    try {
      const channelId = to.channelId ?? (to.userId ? await this.dmChannel(to.tenantId, to.userId) : undefined);
      if (!channelId) throw new PermanentDeliveryError("destination has neither a channel nor a user");
      const { embeds, components, picture, content, mentionUsers } = renderMessage(reply);
      // Nobody is pinged but the people a card names to mention (a paper's authors in a channel post).
      const allowed = mentionUsers ? { parse: [], users: mentionUsers } : { parse: [] };
      const body: Record<string, unknown> = { embeds, components, allowed_mentions: allowed };
      if (content) body.content = content;
      let postTo = channelId;
      if (to.thread) {
        const parent = parseMessageRef(to.thread.parentRef);
        if (to.thread.alsoInChannel) body.message_reference = { message_id: parent.messageId, fail_if_not_exists: false };
        else postTo = await this.threadOf(parent, to.thread.name);
      }
      const message = (await this.post(Routes.channelMessages(postTo), picture ? withPicture(body, picture) : { body })) as { id: string };
      return { messageRef: `${postTo}:${message.id}` };
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Replaces a message the bot sent ("<channel id>:<message id>", as send returned it) with
   * PATCH /channels/{channel}/messages/{message}. Its embeds and buttons change; files stay as sent.
   */
  async edit(message: MessageAddress, reply: Reply): Promise<void> {
    if (message.platform !== "discord") throw new PermanentDeliveryError(`DiscordMessenger cannot edit a ${message.platform} message`);
    const at = /^(\d+):(\d+)$/.exec(message.messageRef);
    if (!at) throw new PermanentDeliveryError(`not a Discord message reference: ${message.messageRef}`);
    const { embeds, components } = renderMessage(reply);
    try {
      await this.call("patch", Routes.channelMessage(at[1]!, at[2]!), { body: { embeds, components, allowed_mentions: { parse: [] } } });
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * The thread started from a message (POST /channels/{channel}/messages/{message}/threads). Its id is
   * the message's, so one that exists already (another attempt made it) is simply posted in.
   */
  private async threadOf(parent: { channelId: string; messageId: string }, name: string): Promise<string> {
    try {
      await this.post(Routes.threads(parent.channelId, parent.messageId), { body: { name: truncate(name, 100), auto_archive_duration: 10080 } });
    } catch (error) {
      if (!(error instanceof DiscordAPIError && Number(error.code) === THREAD_ALREADY_CREATED)) throw error;
    }
    return parent.messageId;
  }

  /** A REST call whose failure is counted here and decided by the caller: a job retries or marks the delivery failed. */
  private post(route: `/${string}`, options: RequestData): Promise<unknown> {
    return this.call("post", route, options);
  }

  private async call(method: "post" | "patch", route: `/${string}`, options: RequestData): Promise<unknown> {
    try {
      return await this.rest[method](route, options);
    } catch (error) {
      this.failures.record({ platform: "discord", call: "dm", reason: discordReason(error) });
      throw error;
    }
  }

  /** The user's DM channel id, opened once and remembered on their chat identity. */
  private async dmChannel(tenantId: string, userId: string): Promise<string> {
    const where = { platform: "discord" as const, tenantId, userId };
    const known = await this.db.chatIdentity.findFirst({ where: { ...where, dmChannelId: { not: null } }, select: { dmChannelId: true } });
    if (known?.dmChannelId) return known.dmChannelId;
    const channel = (await this.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    await this.db.chatIdentity.updateMany({ where, data: { dmChannelId: channel.id } });
    return channel.id;
  }
}

/** "A thread has already been created for this message" */
const THREAD_ALREADY_CREATED = 160004;

function parseMessageRef(ref: string): { channelId: string; messageId: string } {
  const at = /^(\d+):(\d+)$/.exec(ref);
  if (!at) throw new PermanentDeliveryError(`not a Discord message reference: ${ref}`);
  return { channelId: at[1]!, messageId: at[2]! };
}

/** The picture as an attachment the embed refers to by name. */
function withPicture(body: object, picture: Picture) {
  const name = attachmentName(picture);
  const { data } = renderPicture(picture);
  return {
    body: { ...body, attachments: [{ id: 0, filename: name, description: picture.alt.slice(0, 1024) }] },
    files: [{ name, data: Buffer.from(data), contentType: "image/png" }],
  };
}

/** Maps Discord's failures onto the core's delivery errors; anything else (5xx, network) stays retryable. */
export function translate(error: unknown): unknown {
  if (error instanceof RateLimitedError || error instanceof PermanentDeliveryError) return error;
  if (error instanceof RateLimitError) return new RateLimitedError(Math.max(error.retryAfter, error.timeToReset, 1));
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) {
      const seconds = Number((error.rawError as { retry_after?: number }).retry_after ?? 1);
      return new RateLimitedError(Math.ceil(seconds * 1000));
    }
    if (PERMANENT_CODES.has(Number(error.code)) || error.status === 403 || error.status === 404) {
      return new PermanentDeliveryError(`Discord refused the message: ${error.message} (code ${error.code})`);
    }
  }
  return error;
}
