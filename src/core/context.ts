// Who is asking, from where. Adapters build this from platform payloads; the core never sees a payload.
import type { Response } from "./reply.js";

export type Platform = "slack" | "discord" | "console";

export interface Actor {
  platform: Platform;
  /** Slack team id, Discord guild id (or "dm"), "local" for the console. */
  tenantId: string;
  userId: string;
  displayName?: string;
}

export interface Permissions {
  /** May change the channel's subscriptions (Slack: admin or channel creator; Discord: Manage Channels). */
  canManageChannel: boolean;
  /** Workspace / guild administrator. */
  isAdmin: boolean;
}

export interface CommandContext {
  actor: Actor;
  /** Channel the command came from; absent in a DM-less console session. */
  channelId?: string;
  permissions: Permissions;
  /**
   * Shows an interim line while a slow part of the answer runs (e.g. "Looking up … in OpenAlex");
   * the answer replaces it. Adapters that cannot show one leave it out.
   */
  progress?: (text: string) => Promise<void>;
  /**
   * Offers a fuller answer for later: once `next()` resolves to a response, it takes the place of the
   * answer shown now (e.g. a card whose counts were still arriving, shown whole once its import is
   * done); null leaves the answer as it is. Adapters that can edit what they sent provide it.
   */
  replaceLater?: (next: () => Promise<Response | null>) => void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
