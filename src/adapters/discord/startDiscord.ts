// Starts the Discord bot: logs the client in over the gateway and routes interactions to the core.
import { Events, RESTEvents, SnowflakeUtil, Status } from "discord.js";
import type { Config } from "../../config.js";
import type { Core } from "../../core/Core.js";
import { newCorrelationId, withCorrelationId } from "../../core/correlation.js";
import { InFlight } from "../../core/InFlight.js";
import type { Logger } from "../../logger.js";
import type { Service } from "../../Service.js";
import { createDiscordClient, type DiscordClientOptions } from "./createDiscordClient.js";
import { DiscordAdapter, type DiscordAdapterOptions } from "./DiscordAdapter.js";

/** What @discordjs/ws reports for the gateway close codes after which it does not reconnect. */
const FATAL_SHARD_ERRORS = /^(Invalid shard|Sharding is required|Authentication failed|Used invalid intents|Used disallowed intents)/;

export interface StartDiscordDeps {
  core: Core;
  config: Config;
  logger: Logger;
  options?: DiscordAdapterOptions;
  /** Overrides the REST client's timeout and retries (tests). */
  rest?: DiscordClientOptions["rest"];
  /** Told how long each interaction took to acknowledge, from its creation to Discord's answer to the callback (metrics). */
  onAck?: (kind: DiscordAckKind, seconds: number) => void;
}

export type DiscordAckKind = "reply" | "defer" | "update" | "autocomplete" | "modal" | "other";

/** Interaction callback types (Discord's InteractionResponseType) by what they acknowledge with. */
const ACK_KINDS: Record<number, DiscordAckKind> = { 4: "reply", 5: "defer", 6: "update", 7: "update", 8: "autocomplete", 9: "modal" };
const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

export interface RunningDiscord extends Service {
  name: "discord";
  /** Every shard this process owns is connected to the gateway (for /health/ready). */
  connected(): boolean;
  /** The shard ids this process runs. */
  shards(): number[];
}

/** Logs in and resolves once every shard is ready (so a bad token fails start-up, not later). */
export async function startDiscord({ core, config, logger, options, rest, onAck }: StartDiscordDeps): Promise<RunningDiscord> {
  const { token, applicationId } = config.discord;
  if (!token || !applicationId) throw new Error("Discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  const log = logger.child({ adapter: "discord" });
  const { shards, shardCount } = config.discord;
  const sharding = shards && shardCount ? { shards, shardCount } : undefined;
  const client = createDiscordClient({ apiUrl: config.discord.apiUrl, gatewayUrl: config.discord.gatewayUrl, sharding, rest });
  const adapter = new DiscordAdapter(core, log, options);

  // onInteraction handles its own failures; the catch is for a bug in that handling itself. Each
  // interaction logs under its own correlation id, the reference its apology would show.
  // On shutdown: no new interactions, and the ones being answered finish before the client goes.
  const inFlight = new InFlight();
  let stopping = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    inFlight
      .track(() =>
        withCorrelationId(newCorrelationId(), () => {
          log.debug({ interactionId: interaction.id, type: interaction.type }, "discord interaction");
          return adapter.onInteraction(interaction);
        }),
      )
      .catch((err: unknown) => log.error({ err, interactionId: interaction.id }, "discord interaction handler failed"));
  });
  if (onAck) {
    // Measured as Discord counts its 3 s: from the interaction's creation (its snowflake) to the callback's answer.
    client.rest.on(RESTEvents.Response, (request) => {
      const id = CALLBACK_PATH.exec(request.path)?.[1];
      if (!id) return;
      const type = (request.data.body as { type?: number } | undefined)?.type;
      const seconds = Math.max(0, Date.now() - SnowflakeUtil.timestampFrom(id)) / 1000;
      onAck(ACK_KINDS[type ?? 0] ?? "other", seconds);
    });
  }
  client.on(Events.Error, (err) => log.error({ err }, "discord client error"));
  client.on(Events.ShardError, (err, shardId) => log.error({ err, shardId }, "discord shard error"));
  client.on(Events.Warn, (message) => log.warn({ message }, "discord warning"));

  // Discord closes a shard it will not accept (a wrong shard id or count, a bad token) for good:
  // start-up fails with the reason instead of waiting for a ready that never comes.
  const refusal = (err: Error) =>
    new Error(
      `Discord refused ${sharding ? `shard${sharding.shards.length > 1 ? "s" : ""} ${sharding.shards.join(", ")}` : "the gateway connection"}: ${err.message}` +
        (sharding ? ` (DISCORD_SHARDS=${sharding.shards.join(",")}, DISCORD_SHARD_COUNT=${sharding.shardCount})` : ""),
    );
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    client.on(Events.ShardError, (err) => {
      if (FATAL_SHARD_ERRORS.test(err.message)) reject(refusal(err));
    });
  });
  ready.catch(() => {}); // login() usually rejects first; the reason is the same
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error instanceof Error && FATAL_SHARD_ERRORS.test(error.message) ? refusal(error) : error;
  }
  log.info(
    { user: client.user?.tag, shards: [...client.ws.shards.keys()], shardCount: client.options.shardCount, guilds: client.guilds.cache.size },
    "discord ready",
  );

  return {
    name: "discord",
    connected: () => client.isReady() && client.ws.status === Status.Ready,
    shards: () => [...client.ws.shards.keys()].sort((a, b) => a - b),
    async stop() {
      stopping = true;
      await inFlight.idle();
      await client.destroy();
    },
  };
}
