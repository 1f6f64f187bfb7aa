// The one place the environment is read. Everything else receives a typed Config.
import { z } from "zod";

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = (fallback: string) => z.string().trim().url().default(fallback);

/** Who the console shell acts as without --as, and its local admins (they review claims there). */
export const DEFAULT_CONSOLE_USER = "alice";
export const DEFAULT_CONSOLE_ADMINS: readonly string[] = ["alice", "admin"];
const consoleName = /^[\p{L}\p{N}._-]{1,40}$/u;

/** What one process runs (PEERLINK_ROLES or `--roles`); without either, everything (the embedded default). */
export const ROLES = ["slack", "discord", "workers", "http"] as const;
export type Role = (typeof ROLES)[number];

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgresql://")
      .default("postgresql://postgres@127.0.0.1:5432/peerlink"),
  ),
  /** Connections in this process's PostgreSQL pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /** Commands worked on at once; default: the pool less two connections (workers, health checks, imports). */
  COMMAND_CONCURRENCY: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).optional()),
  /** Commands waiting for a turn; past it, the busy reply. */
  COMMAND_QUEUE_LENGTH: z.coerce.number().int().min(0).default(200),
  /** The longest a command waits for its turn before the busy reply (well inside Slack's and Discord's 3 s). */
  COMMAND_QUEUE_TIMEOUT_SECONDS: z.coerce.number().positive().default(2),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://")
    .default("redis://127.0.0.1:6379"),
  /** Prefix for every Redis key, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().trim().min(1).default("peerlink"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL of this server, used in OAuth redirect URIs. */
  PUBLIC_URL: optional,

  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: url("https://slack.com/api/"),

  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_API_URL: url("https://discord.com/api"),
  DISCORD_GATEWAY_URL: optional,
  /** Shards in all (Discord's `shard_count`); without it, as many as Discord recommends, all in this process. */
  DISCORD_SHARD_COUNT: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(4096).optional()),
  /** The shard ids this process runs, e.g. "0,1" or "2-3"; without it, every shard of DISCORD_SHARD_COUNT. */
  DISCORD_SHARDS: optional,

  OPENALEX_API_URL: url("https://api.openalex.org"),
  OPENALEX_MAILTO: optional,
  /** Required by OpenAlex since February 2026 beyond $0.01 a day; a free key allows $1 a day. */
  OPENALEX_API_KEY: optional,
  /** Look up people Peerlink has not imported in OpenAlex, from chat. */
  OPENALEX_LIVE_LOOKUP: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  OPENALEX_DAILY_BUDGET_USD: z.coerce.number().min(0).default(1),
  OPENALEX_SEARCH_CACHE_HOURS: z.coerce.number().min(0).default(24),
  OPENALEX_USER_SEARCHES_PER_HOUR: z.coerce.number().int().min(0).default(30),
  OPENALEX_REFRESH_AFTER_DAYS: z.coerce.number().min(0).default(7),
  ORCID_BASE_URL: url("https://orcid.org"),
  ORCID_API_URL: url("https://pub.orcid.org/v3.0"),
  ORCID_CLIENT_ID: optional,
  ORCID_CLIENT_SECRET: optional,
  /** Secret used to sign OAuth state and similar short-lived tokens. */
  SIGNING_SECRET: optional,

  INGEST_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  INGEST_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  INVITE_DAILY_LIMIT: z.coerce.number().int().min(1).default(10),
  INVITE_EXPIRY_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 14),
  /** An invitation delivered but unanswered after this many hours reminds its recipient, once. */
  INVITE_REMIND_AFTER_HOURS: z.coerce.number().int().min(1).default(48),
  /** How a claim is proven: ORCID sign-in, admin review, or ORCID when the record has an iD and review otherwise. */
  CLAIM_VERIFICATION: z.enum(["orcid", "review", "both"]).default("both"),
  /** Where claim reviews are posted: "<platform>:<tenantId>:<channelId>", e.g. "slack:T0123:C0456". */
  CLAIM_REVIEW_CHANNEL: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^(slack|discord|console):[^:\s]+:[^:\s]+$/, "CLAIM_REVIEW_CHANNEL must look like <platform>:<tenantId>:<channelId>")
        .optional(),
    )
    .optional(),
  INVITE_REQUIRE_VERIFIED_SENDER: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),

  CONSOLE_USER: z.string().trim().regex(consoleName, "CONSOLE_USER must be one name of letters, digits, . _ or -").default(DEFAULT_CONSOLE_USER),
  /** Comma-separated local user names with admin rights in the console, e.g. "alice,admin". */
  CONSOLE_ADMINS: z
    .string()
    .trim()
    .default(DEFAULT_CONSOLE_ADMINS.join(","))
    .transform((v) =>
      v
        .split(",")
        .map((n) => n.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(consoleName, "CONSOLE_ADMINS must be names separated by commas, e.g. alice,admin"))),

  /** Comma-separated roles this process runs: slack, discord, workers, http. Empty: all of them. */
  PEERLINK_ROLES: optional,
  /** How long SIGTERM waits for running jobs and commands before the process exits anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(25),
  /** Turns on the queue dashboard at /admin/queues; every request must carry it (Bearer, or basic auth password). */
  ADMIN_TOKEN: optional,
  /** How long a dead worker's deliveries stay leased before another takes them over (default: 2 min invitations, 5 min notifications). */
  DELIVERY_LEASE_SECONDS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().positive().optional()),
  /** BullMQ's job lock: a killed worker's running jobs are noticed as stalled and run elsewhere after about this long (default 30). */
  JOB_LOCK_SECONDS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().positive().optional()),
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: "development" | "production" | "test";
  logLevel: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** Commands at once, waiting and their longest wait (core/CommandLimiter.ts). */
  commands: { concurrency: number; queueLength: number; queueTimeoutMs: number };
  redisUrl: string;
  redisPrefix: string;
  port: number;
  publicUrl: string;
  signingSecret: string | undefined;
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    clientId?: string;
    clientSecret?: string;
    stateSecret?: string;
    apiUrl: string;
  };
  discord: {
    token?: string;
    applicationId?: string;
    apiUrl: string;
    gatewayUrl?: string;
    /** shards in all; undefined: Discord's recommendation */
    shardCount?: number;
    /** the shard ids this process runs; undefined: all of them */
    shards?: number[];
  };
  openalex: {
    apiUrl: string;
    mailto?: string;
    apiKey?: string;
    liveLookup: boolean;
    dailyBudgetUsd: number;
    searchCacheHours: number;
    userSearchesPerHour: number;
    refreshAfterDays: number;
  };
  orcid: { baseUrl: string; apiUrl: string; clientId?: string; clientSecret?: string };
  ingestIntervalMinutes: number;
  /** how far back in publication date ingest asks OpenAlex (INGEST_LOOKBACK_DAYS) */
  ingestLookbackDays: number;
  invitations: { dailyLimit: number; expiryHours: number; requireVerifiedSender: boolean; remindAfterHours: number };
  claims: {
    verification: "orcid" | "review" | "both";
    reviewChannel?: { platform: "slack" | "discord" | "console"; tenantId: string; channelId: string };
  };
  /** The local shell: who it acts as by default, and which local users are admins (lower case). */
  console: { user: string; admins: string[] };
  /**
   * What this process runs. `embedded` (no PEERLINK_ROLES, no --roles): every role whose platform
   * is configured, and the console shell when no chat platform is.
   */
  roles: Role[];
  embedded: boolean;
  shutdownGraceMs: number;
  adminToken?: string;
  /** How quickly a killed worker's work is taken over; undefined: each component's default. */
  takeover: { deliveryLeaseMs?: number; jobLockMs?: number };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses and validates the environment (and `--roles a,b` / `--roles=a,b` among the command-line
 * arguments, which wins over PEERLINK_ROLES). Throws ConfigError with one readable line per problem.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, args: readonly string[] = []): Config {
  const rolesArg = rolesArgument(args);
  const parsed = schema.safeParse(rolesArg === undefined ? env : { ...env, PEERLINK_ROLES: rolesArg });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  // Over HTTP Slack's requests are verified with the signing secret; in Socket Mode (an app token)
  // they arrive over Slack's WebSocket and there is nothing to verify.
  const slackHalf = [e.SLACK_BOT_TOKEN ?? e.SLACK_CLIENT_ID, e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN];
  if (slackHalf.some(Boolean) && !slackHalf.every(Boolean)) {
    throw new ConfigError(
      "Invalid configuration:\n  Slack needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET for OAuth installs) and either SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)",
    );
  }
  if (e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID) {
    throw new ConfigError("Invalid configuration:\n  DISCORD_TOKEN is set but DISCORD_APPLICATION_ID is not");
  }
  const shards = parseShards(e.DISCORD_SHARDS, e.DISCORD_SHARD_COUNT);
  if (e.CLAIM_VERIFICATION === "orcid" && !(e.ORCID_CLIENT_ID && e.ORCID_CLIENT_SECRET && e.SIGNING_SECRET)) {
    throw new ConfigError("Invalid configuration:\n  CLAIM_VERIFICATION=orcid needs ORCID_CLIENT_ID, ORCID_CLIENT_SECRET and SIGNING_SECRET");
  }
  if (e.INVITE_REMIND_AFTER_HOURS >= e.INVITE_EXPIRY_HOURS) {
    throw new ConfigError(
      `Invalid configuration:\n  INVITE_REMIND_AFTER_HOURS (${e.INVITE_REMIND_AFTER_HOURS}) must be less than INVITE_EXPIRY_HOURS (${e.INVITE_EXPIRY_HOURS}), or no reminder would ever be sent`,
    );
  }
  const roles = parseRoles(e.PEERLINK_ROLES, {
    slack: slackHalf.every(Boolean),
    discord: Boolean(e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID),
  });
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    commands: {
      concurrency: e.COMMAND_CONCURRENCY ?? Math.max(1, e.DATABASE_POOL_SIZE - 2),
      queueLength: e.COMMAND_QUEUE_LENGTH,
      queueTimeoutMs: e.COMMAND_QUEUE_TIMEOUT_SECONDS * 1000,
    },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    signingSecret: e.SIGNING_SECRET,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      apiUrl: e.DISCORD_API_URL.replace(/\/$/, ""),
      gatewayUrl: e.DISCORD_GATEWAY_URL,
      shardCount: e.DISCORD_SHARD_COUNT,
      shards,
    },
    openalex: {
      apiUrl: e.OPENALEX_API_URL.replace(/\/$/, ""),
      mailto: e.OPENALEX_MAILTO,
      apiKey: e.OPENALEX_API_KEY,
      liveLookup: e.OPENALEX_LIVE_LOOKUP,
      dailyBudgetUsd: e.OPENALEX_DAILY_BUDGET_USD,
      searchCacheHours: e.OPENALEX_SEARCH_CACHE_HOURS,
      userSearchesPerHour: e.OPENALEX_USER_SEARCHES_PER_HOUR,
      refreshAfterDays: e.OPENALEX_REFRESH_AFTER_DAYS,
    },
    orcid: {
      baseUrl: e.ORCID_BASE_URL.replace(/\/$/, ""),
      apiUrl: e.ORCID_API_URL.replace(/\/$/, ""),
      clientId: e.ORCID_CLIENT_ID,
      clientSecret: e.ORCID_CLIENT_SECRET,
    },
    ingestIntervalMinutes: e.INGEST_INTERVAL_MINUTES,
    ingestLookbackDays: e.INGEST_LOOKBACK_DAYS,
    invitations: {
      dailyLimit: e.INVITE_DAILY_LIMIT,
      expiryHours: e.INVITE_EXPIRY_HOURS,
      requireVerifiedSender: e.INVITE_REQUIRE_VERIFIED_SENDER,
      remindAfterHours: e.INVITE_REMIND_AFTER_HOURS,
    },
    claims: { verification: e.CLAIM_VERIFICATION, reviewChannel: parseChannel(e.CLAIM_REVIEW_CHANNEL) },
    console: { user: e.CONSOLE_USER, admins: e.CONSOLE_ADMINS },
    roles: roles ?? embeddedRoles(slackHalf.every(Boolean), Boolean(e.DISCORD_TOKEN)),
    embedded: roles === undefined,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    adminToken: e.ADMIN_TOKEN,
    takeover: {
      deliveryLeaseMs: e.DELIVERY_LEASE_SECONDS === undefined ? undefined : e.DELIVERY_LEASE_SECONDS * 1000,
      jobLockMs: e.JOB_LOCK_SECONDS === undefined ? undefined : e.JOB_LOCK_SECONDS * 1000,
    },
  };
}

/**
 * DISCORD_SHARDS: shard ids and ranges ("0,2", "0-3"), each below DISCORD_SHARD_COUNT. Undefined
 * with a count: every shard; with neither: Discord's recommendation (discord.js `shards: "auto"`).
 */
function parseShards(value: string | undefined, count: number | undefined): number[] | undefined {
  if (value === undefined) return count === undefined ? undefined : Array.from({ length: count }, (_, i) => i);
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid configuration:\n  DISCORD_SHARDS: ${why}`);
  };
  if (count === undefined) fail("needs DISCORD_SHARD_COUNT too (how many shards there are in all)");
  const ids = new Set<number>();
  for (const part of value.split(",").map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) fail(`“${part}” is not a shard id or range; write e.g. DISCORD_SHARDS=0,1 or DISCORD_SHARDS=0-3`);
    const from = Number(m![1]);
    const to = m![2] === undefined ? from : Number(m![2]);
    if (to < from) fail(`the range “${part}” runs backwards`);
    if (to >= count!) fail(`shard ${to} does not exist: with DISCORD_SHARD_COUNT=${count} the ids are 0 to ${count! - 1}`);
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

function rolesArgument(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("--roles=")) return arg.slice("--roles=".length);
    if (arg === "--roles") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--"))
        throw new ConfigError("Invalid configuration:\n  --roles needs a list, e.g. --roles workers,http");
      return value;
    }
  }
  return undefined;
}

/** undefined: no roles named, run everything configured. */
function parseRoles(value: string | undefined, configured: { slack: boolean; discord: boolean }): Role[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length || !names.length) {
    throw new ConfigError(
      `Invalid configuration:\n  PEERLINK_ROLES: ${unknown.length ? `unknown role ${unknown.map((r) => `“${r}”`).join(", ")}` : "no role named"}; choose any of ${ROLES.join(", ")} separated by commas, e.g. PEERLINK_ROLES=workers,http`,
    );
  }
  const roles = ROLES.filter((r) => names.includes(r));
  if (roles.includes("slack") && !configured.slack) {
    throw new ConfigError(
      "Invalid configuration:\n  PEERLINK_ROLES includes slack, but Slack is not configured (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)",
    );
  }
  if (roles.includes("discord") && !configured.discord) {
    throw new ConfigError(
      "Invalid configuration:\n  PEERLINK_ROLES includes discord, but Discord is not configured (DISCORD_TOKEN and DISCORD_APPLICATION_ID)",
    );
  }
  return roles;
}

/**
 * Everything that is configured; workers only when a chat platform is (the console delivers
 * inline; its shell runs just the notification workers, for local users' new papers and digests).
 */
function embeddedRoles(slack: boolean, discord: boolean): Role[] {
  return [...(slack ? ["slack" as const] : []), ...(discord ? ["discord" as const] : []), ...(slack || discord ? ["workers" as const] : []), "http"];
}

function parseChannel(v: string | undefined): Config["claims"]["reviewChannel"] {
  if (!v) return undefined;
  const [platform, tenantId, channelId] = v.split(":") as ["slack" | "discord" | "console", string, string];
  return { platform, tenantId, channelId };
}

export const slackEnabled = (c: Config) => Boolean((c.slack.signingSecret || c.slack.appToken) && (c.slack.botToken || c.slack.clientId));
export const discordEnabled = (c: Config) => Boolean(c.discord.token && c.discord.applicationId);
