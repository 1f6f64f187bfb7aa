// Who is asking, from where. Adapters build this from platform payloads; the core never sees a payload.

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
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
