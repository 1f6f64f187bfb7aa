// Wiring: reads config, checks Postgres and Redis, starts the adapters the configuration asks for
// (Slack and/or Discord when their credentials are present, the console shell when none are),
// the HTTP server, and shuts everything down cleanly on SIGINT/SIGTERM.
import { runCli } from "../scripts/cli.js";
import { ConsoleAdapter, consoleContext } from "./adapters/console/ConsoleAdapter.js";
import { runShell } from "./adapters/console/shell.js";
import { connectDatabase, connectRedis } from "./bootstrap.js";
import { discordEnabled, loadConfig, slackEnabled } from "./config.js";
import { createCore } from "./core/Core.js";
import { HttpServer } from "./http/HttpServer.js";
import { createLogger } from "./logger.js";

/** A running part of the app that can be stopped. */
export interface Service {
  name: string;
  stop(): Promise<void>;
}

await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await connectDatabase(config);
  const redis = await connectRedis(config);
  const core = createCore({ db, log: logger });
  const services: Service[] = [];

  const http = new HttpServer((err, req) => logger.error({ err, url: req.url }, "http handler failed"));
  http.healthCheck("postgres", async () => Boolean(await db.$queryRaw`SELECT 1`));
  http.healthCheck("redis", async () => (await redis.ping()) === "PONG");

  const platforms = [slackEnabled(config) && "slack", discordEnabled(config) && "discord"].filter(Boolean);
  const port = await http.listen(config.port);
  logger.info({ port, platforms }, "peerlink started");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    for (const s of services.reverse()) await s.stop().catch((err) => logger.error({ err, service: s.name }, "stop failed"));
    await http.close();
    redis.disconnect();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  if (platforms.length === 0) {
    console.error(`No Slack or Discord credentials set: starting the console shell (health on :${port}).`);
    await runShell(new ConsoleAdapter(core, consoleContext()));
    await shutdown("end of input");
  }
});
