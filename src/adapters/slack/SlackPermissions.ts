// CommandContext permissions from Slack: workspace admins/owners (users.info) and channel creators
// (conversations.info). Fetched after the acknowledgement, cached briefly, and "no" when Slack
// cannot tell us (a missing scope must not grant anything).
import type { webApi } from "@slack/bolt";
import type { Permissions } from "../../core/context.js";

type Client = InstanceType<typeof webApi.WebClient>;

export const PERMISSION_TTL_MS = 5 * 60_000;

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

export class SlackPermissions {
  private readonly admins = new Map<string, Entry<boolean>>();
  private readonly creators = new Map<string, Entry<string | null>>();

  constructor(
    private readonly onError: (error: unknown, what: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async of(client: Client, teamId: string, userId: string, channelId: string | undefined): Promise<Permissions> {
    const [isAdmin, creator] = await Promise.all([
      this.cached(this.admins, `${teamId}:${userId}`, () => this.fetchAdmin(client, userId)).catch((error) => {
        this.onError(error, "users.info");
        return false;
      }),
      channelId && !isDirectMessage(channelId)
        ? this.cached(this.creators, `${teamId}:${channelId}`, () => this.fetchCreator(client, channelId)).catch((error) => {
            this.onError(error, "conversations.info");
            return null;
          })
        : Promise.resolve(null),
    ]);
    // In a DM with Peerlink the user is the only person the channel concerns.
    const ownsChannel = channelId !== undefined && (isDirectMessage(channelId) || creator === userId);
    return { isAdmin, canManageChannel: isAdmin || ownsChannel };
  }

  private async fetchAdmin(client: Client, userId: string): Promise<boolean> {
    const { user } = await client.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  }

  private async fetchCreator(client: Client, channelId: string): Promise<string | null> {
    const { channel } = await client.conversations.info({ channel: channelId });
    return channel?.creator ?? null;
  }

  /** Concurrent asks share one call; a failed call is forgotten so the next command asks again. */
  private cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = load();
    value.catch(() => map.get(key)?.value === value && map.delete(key));
    map.set(key, { value, expires: this.now() + PERMISSION_TTL_MS });
    if (map.size > 10_000) map.delete(map.keys().next().value!);
    return value;
  }
}

const isDirectMessage = (channelId: string) => channelId.startsWith("D");
