// What the core needs from the outside world, as interfaces. Adapters and jobs implement them;
// the core never imports Slack, Discord, BullMQ or Redis.
import type { Platform } from "./context.js";
import type { Reply } from "./reply.js";

/** Where the core reports failures it handles itself (a pino logger in production). */
export interface ErrorLog {
  error(details: object, message: string): void;
}

/** Where an outbound message goes: a user's DM (userId) or a channel (channelId). */
export interface Destination {
  platform: Platform;
  tenantId: string;
  userId?: string;
  channelId?: string;
  /** Post in the thread of an earlier message in that channel instead of as a message of its own. */
  thread?: ThreadOf;
}

/** A thread under a message Peerlink sent: Slack's thread_ts, a Discord thread started from the message. */
export interface ThreadOf {
  /** What send returned for the parent message. */
  parentRef: string;
  /** The thread's name where the platform names threads (Discord): the paper's title. */
  name: string;
  /**
   * Shown in the channel as well: Slack's reply_broadcast; on Discord the message is posted in the
   * channel as a reply to the parent instead of in its thread.
   */
  alsoInChannel: boolean;
}

export interface SentMessage {
  /** Platform reference to the message (e.g. "C123:1700000000.0001" or a Discord message id). */
  messageRef: string;
}

/** A message Peerlink sent, where it lives: enough for its messenger to change it later. */
export interface MessageAddress {
  platform: Platform;
  tenantId: string;
  /** What `send` returned for it. */
  messageRef: string;
}

/** Sends replies outside a command's own response: notifications, invitations, review requests. */
export interface Messenger {
  send(to: Destination, reply: Reply): Promise<SentMessage>;
  /**
   * Replaces what a message Peerlink sent shows, buttons included (Slack chat.update, Discord's
   * message PATCH, the console's kept copy): a decided claim review, a follower count, a thread's
   * parent. Throws PermanentDeliveryError when the message is gone and RateLimitedError like send.
   * Optional only for stand-ins in tests; every platform messenger has it (see editMessage).
   */
  edit?(message: MessageAddress, reply: Reply): Promise<void>;
  /**
   * Opens (or reuses) one conversation with all these users of one tenant, e.g. a Slack group DM
   * (conversations.open with several users). Optional: platforms without group DMs omit it and the
   * core falls back to a direct message to each person.
   */
  openConversation?(platform: Platform, tenantId: string, userIds: string[]): Promise<{ channelId: string }>;
}

/** The platform said "slow down": try again after `retryAfterMs`. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/** Retrying cannot help (user gone, channel archived, bot removed): mark the delivery failed. */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}

/** Messengers by platform; a platform that is not configured has none. */
export type Messengers = Partial<Record<Platform, Messenger>>;
