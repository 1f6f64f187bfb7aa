// The discord.js Client, configured for a slash-command bot that may sit in very many servers:
// the Guilds intent only (interactions need no privileged intents), caches limited to what
// interactions use, and the shards configured (DISCORD_SHARDS of DISCORD_SHARD_COUNT) or, by default,
// as many as Discord recommends (`shards: "auto"`).
import { Client, GatewayIntentBits, Options, type RESTOptions, SimpleShardingStrategy, type WebSocketOptions } from "discord.js";

/** @discordjs/ws's manager (discord.js exports its own class under the same name). */
type GatewayManager = Parameters<NonNullable<WebSocketOptions["buildStrategy"]>>[0];

export interface DiscordClientOptions {
  /** DISCORD_API_URL, e.g. https://discord.com/api. */
  apiUrl: string;
  /** DISCORD_GATEWAY_URL: overrides the `url` Discord returns from GET /gateway/bot. */
  gatewayUrl?: string;
  /**
   * Which shards this process runs, of how many (DISCORD_SHARDS, DISCORD_SHARD_COUNT). Absent: as
   * many as Discord recommends, all here. Discord sends each guild's events to one shard
   * (`(guild_id >> 22) % shard_count`) and DMs to shard 0; replies and deliveries go through REST,
   * which any process may use.
   */
  sharding?: { shards: number[]; shardCount: number };
  /** REST timeout per attempt (default 15 s) and retries after a 5xx, timeout or reset (default 3). */
  rest?: Partial<Pick<RESTOptions, "timeout" | "retries">>;
}

/**
 * Interactions carry everything the bot needs (user, member permissions, channel id), so nothing
 * else has to be cached: memory stays flat however large the servers are. Guilds, channels and
 * roles keep discord.js's own caches (it does not support limiting those).
 */
const cacheLimits = Options.cacheWithLimits({
  ApplicationCommandManager: 0,
  ApplicationEmojiManager: 0,
  AutoModerationRuleManager: 0,
  BaseGuildEmojiManager: 0,
  DMMessageManager: 0,
  EntitlementManager: 0,
  GuildBanManager: 0,
  GuildEmojiManager: 0,
  GuildForumThreadManager: 0,
  GuildInviteManager: 0,
  GuildMessageManager: 0,
  GuildScheduledEventManager: 0,
  GuildStickerManager: 0,
  GuildTextThreadManager: 0,
  MessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  StageInstanceManager: 0,
  ThreadManager: 0,
  ThreadMemberManager: 0,
  VoiceStateManager: 0,
  // discord.js expects its own member and user objects to stay cached.
  GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
  UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
});

/** Anything that still slips into a cache (threads, users from other events) is swept hourly. */
const sweepers = {
  ...Options.DefaultSweeperSettings,
  threads: { interval: 3600, lifetime: 3600 },
  users: { interval: 3600, filter: () => (user: { id: string; client: Client }) => user.id !== user.client.user?.id },
};

/**
 * Discord does not bind interaction endpoints (callbacks, and the edits and follow-ups under the
 * interaction's webhook) to the bot's global limit of 50 requests a second, but @discordjs/rest
 * counts the webhook ones against it: past 50 deferred answers a second they queued inside the
 * client, out of sight of the command limiter (#21). This client sends little else (an edit of a
 * pressed button's message); if that ever passed Discord's real limit, its 429 is waited out.
 */
export const INTERACTION_REQUESTS_PER_SECOND = 1000;

export function createDiscordClient(options: DiscordClientOptions): Client {
  const { gatewayUrl } = options;
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // Without configuration one process runs as many shards as Discord recommends.
    ...(options.sharding ? { shards: options.sharding.shards, shardCount: options.sharding.shardCount } : { shards: "auto" as const }),
    makeCache: cacheLimits,
    sweepers,
    // A default for every message the client sends; each send also sets it explicitly.
    allowedMentions: { parse: [] },
    rest: { globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND, ...options.rest, api: options.apiUrl },
    ws: gatewayUrl ? { buildStrategy: (manager) => withGatewayUrl(manager, gatewayUrl) } : {},
  });
}

/** Connects to `url` instead of the gateway URL Discord advertises (a proxy or a local stand-in). */
function withGatewayUrl(manager: GatewayManager, url: string) {
  const fetchInfo = manager.fetchGatewayInformation.bind(manager);
  manager.fetchGatewayInformation = async (force?: boolean) => ({ ...(await fetchInfo(force)), url });
  return new SimpleShardingStrategy(manager);
}
