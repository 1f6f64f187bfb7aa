// Registers the `/researcher` command and the message context-menu commands with Discord.
//   npm run commands:register -- --guild <guild id>   one server, takes effect at once (development)
//   npm run commands:register -- --global             every server, may take up to an hour to appear
// Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID and DISCORD_API_URL through loadConfig().
import "dotenv/config";
import { pathToFileURL } from "node:url";
import { DiscordAPIError, REST, Routes } from "discord.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { discordCommands } from "./discord-commands.js";

const USAGE = `Usage: npm run commands:register -- --guild <guild id>   (one server, instant; for development)
       npm run commands:register -- --global             (all servers; can take up to an hour)
Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_API_URL to use another API base).`;

export type Target = { kind: "guild"; guildId: string } | { kind: "global" };

export function parseArgs(argv: string[]): Target | "help" | { error: string } {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const guildAt = argv.indexOf("--guild");
  const global = argv.includes("--global");
  if (guildAt >= 0 && global) return { error: "Choose either --guild <id> or --global, not both." };
  if (global) return { kind: "global" };
  if (guildAt >= 0) {
    const guildId = argv[guildAt + 1];
    if (!guildId || !/^\d{15,22}$/.test(guildId)) return { error: "--guild needs a guild (server) id: a number like 123456789012345678." };
    return { kind: "guild", guildId };
  }
  return { error: "Say where to register: --guild <id> or --global." };
}

export interface RegisterOptions {
  token: string;
  applicationId: string;
  apiUrl: string;
  target: Target;
}

/** PUTs the command list (replacing what was registered before); returns how many commands Discord now has. */
export async function registerCommands(o: RegisterOptions): Promise<number> {
  const rest = new REST({ api: o.apiUrl }).setToken(o.token);
  const route =
    o.target.kind === "guild" ? Routes.applicationGuildCommands(o.applicationId, o.target.guildId) : Routes.applicationCommands(o.applicationId);
  const saved = (await rest.put(route, { body: discordCommands })) as unknown[];
  return saved.length;
}

/** What went wrong, in words someone can act on. */
export function explain(error: unknown, target: Target): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return "Discord rejected DISCORD_TOKEN. Copy the bot token again from the Developer Portal (Bot → Reset Token).";
    if (error.code === 50001 || error.status === 403) {
      return target.kind === "guild"
        ? `No access to guild ${target.guildId}: invite the bot with the applications.commands scope first (see docs/discord.md).`
        : "Discord refused: check that DISCORD_APPLICATION_ID belongs to this bot's application.";
    }
    if (error.code === 10004) return `Unknown guild ${target.kind === "guild" ? target.guildId : ""}: check the server id.`;
    if (error.status === 400) return `Discord rejected the command definitions: ${error.message}`;
    return `Discord answered ${error.status}: ${error.message}`;
  }
  return `Could not reach Discord: ${(error as Error).message}`;
}

async function main(): Promise<void> {
  const target = parseArgs(process.argv.slice(2));
  if (target === "help") {
    console.log(USAGE);
    return;
  }
  if ("error" in target) {
    console.error(`${target.error}\n\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  const { token, applicationId, apiUrl } = config.discord;
  if (!token || !applicationId) throw new ConfigError("DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register commands.");
  try {
    const count = await registerCommands({ token, applicationId, apiUrl, target });
    const where = target.kind === "guild" ? `guild ${target.guildId} (available now)` : "every server (may take up to an hour)";
    console.log(`Registered ${count} command${count === 1 ? "" : "s"} (/researcher and its message actions) for ${where}.`);
  } catch (error) {
    console.error(explain(error, target));
    process.exit(1);
  }
}

// Run only as a script, so tests can import the helpers.
// (Not src/runCli.ts's runCli: that pulls in Postgres and Redis clients this script never uses.)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Error: ${(error as Error).message}`);
    process.exit(1);
  });
}
