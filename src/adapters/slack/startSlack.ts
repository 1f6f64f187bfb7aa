// Starts the Slack adapter: a Bolt app over HTTP (mounted on the shared HttpServer at /slack/*) or
// Socket Mode (when SLACK_APP_TOKEN is set), for one workspace (SLACK_BOT_TOKEN) or many (OAuth
// install with installations in Postgres).
import { App, HTTPReceiver, type Receiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { Core } from "../../core/Core.js";
import { newCorrelationId, withCorrelationId } from "../../core/correlation.js";
import { InFlight } from "../../core/InFlight.js";
import { UnfurlService } from "../../core/unfurl/UnfurlService.js";
import type { Db } from "../../db/client.js";
import type { HttpServer, RequestHandler } from "../../http/HttpServer.js";
import type { Logger } from "../../logger.js";
import type { Service } from "../../Service.js";
import { platformFailures, type PlatformFailures } from "../platformFailures.js";
import { boltLogger } from "./boltLogger.js";
import { fetchWithTimeout, RESPONSE_URL_TIMEOUT_MS } from "./deliver.js";
import { registerActions } from "./listeners/actions.js";
import { registerCommands } from "./listeners/commands.js";
import { registerForms } from "./listeners/forms.js";
import { registerHome } from "./listeners/home.js";
import { registerInstallations } from "./listeners/installations.js";
import type { SlackDeps } from "./listeners/SlackDeps.js";
import { registerShortcuts } from "./listeners/shortcuts.js";
import { registerUnfurls } from "./listeners/unfurls.js";
import { type ReplayGuard } from "./replayGuard.js";
import { SlackInstallationStore } from "./SlackInstallationStore.js";
import { SlackMessenger } from "./SlackMessenger.js";
import { SlackPermissions } from "./SlackPermissions.js";

/** Bot scopes requested at install; keep in step with commands/slack-manifest.yml. */
export const SLACK_BOT_SCOPES = [
  "commands",
  "chat:write",
  "im:write",
  "mpim:write",
  "users:read",
  "links:read",
  "links:write",
  "files:write",
  "channels:read",
  "groups:read",
];

export const SLACK_PATHS = {
  events: "/slack/events",
  install: "/slack/install",
  redirect: "/slack/oauth_redirect",
} as const;

export interface SlackStartOptions {
  core: Core;
  config: Config;
  http: HttpServer;
  logger: Logger;
  tuning?: SlackTuning;
  /** Drops a signed request seen before (see replayGuard.ts); without one, Bolt runs a repeat again. */
  replays?: ReplayGuard;
}

/** How long listeners wait on Slack; the defaults are production's, tests shorten them. */
export interface SlackTuning {
  /** Per Web API attempt and per response_url post. */
  timeoutMs?: number;
  /** Web API retries after a 5xx, a timeout or a dropped connection. */
  retries?: number;
  /** Where handled Slack failures are counted (default: the process's registry). */
  failures?: PlatformFailures;
}

export interface SlackService extends Service {
  name: "slack";
  mode: "http" | "socket";
  app: App;
  messenger: SlackMessenger;
  /** Resolves once no request is being handled (its ack, answer and follow-up calls all done). */
  idle(): Promise<void>;
}

/** The context property that carries a request's signature to the replay check. */
const SIGNATURE = "peerlinkRequestSignature";

export class SlackConfigError extends Error {
  override name = "SlackConfigError";
}

/** The outbound messenger alone (no Bolt app), e.g. for workers; also what startSlack registers on the core. */
export function createSlackMessenger(db: Db, config: Config): SlackMessenger {
  const store = new SlackInstallationStore(db);
  const single = config.slack.botToken;
  return new SlackMessenger({
    db,
    apiUrl: config.slack.apiUrl,
    botToken: single ? async () => single : (team) => store.botToken(team),
  });
}

export async function startSlack({ core, config, http, logger, tuning = {}, replays }: SlackStartOptions): Promise<SlackService> {
  const s = config.slack;
  const log = logger.child({ adapter: "slack" });
  const socket = Boolean(s.appToken);
  const oauth = !s.botToken && Boolean(s.clientId && s.clientSecret);
  if (!s.botToken && !oauth) throw new SlackConfigError("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth installs");
  if (!socket && !s.signingSecret) throw new SlackConfigError("Slack over HTTP needs SLACK_SIGNING_SECRET");
  const stateSecret = s.stateSecret ?? config.signingSecret;
  if (oauth && !stateSecret) throw new SlackConfigError("Slack OAuth installs need SLACK_STATE_SECRET (or SIGNING_SECRET)");

  // Someone is waiting for every call a listener makes: a few quick retries, a deadline, and a
  // "ratelimited" handed straight back (the user is told) instead of the client pausing every
  // request of the workspace for Retry-After. Bolt's respond() uses this fetch, with the deadline.
  const timeoutMs = tuning.timeoutMs ?? RESPONSE_URL_TIMEOUT_MS;
  const clientOptions = {
    slackApiUrl: s.apiUrl,
    timeout: timeoutMs,
    retryConfig: {
      retries: tuning.retries ?? 2,
      factor: 2,
      minTimeout: 250,
      maxTimeout: 1000,
    },
    rejectRateLimitedCalls: true,
    fetch: fetchWithTimeout(timeoutMs),
  };
  const blogger = boltLogger(log);
  const store = new SlackInstallationStore(core.db);
  const installer = oauth
    ? {
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        stateSecret,
        installationStore: store,
        scopes: SLACK_BOT_SCOPES,
        redirectUri: `${config.publicUrl}${SLACK_PATHS.redirect}`,
        installerOptions: {
          directInstall: true,
          installPath: SLACK_PATHS.install,
          redirectUriPath: SLACK_PATHS.redirect,
          clientOptions,
        },
      }
    : {};

  // Over HTTP one receiver verifies signatures (and refuses requests older than 5 minutes) and runs
  // the OAuth pages. In Socket Mode events arrive over the socket; OAuth pages, if any, still need HTTP.
  const httpReceiver =
    !socket || oauth
      ? new HTTPReceiver({
          signingSecret: s.signingSecret ?? "",
          signatureVerification: !socket,
          endpoints: SLACK_PATHS.events,
          logger: blogger,
          // Handed to the replay check below, which runs once Bolt has verified the signature.
          customPropertiesExtractor: (req) => ({ [SIGNATURE]: req.headers["x-slack-signature"] }),
          ...installer,
        })
      : undefined;
  const receiver: Receiver = socket
    ? new SocketModeReceiver({
        appToken: s.appToken!,
        logger: blogger,
        installerOptions: { clientOptions },
      })
    : httpReceiver!;

  const auth = s.botToken ? await verifyBotToken(s.botToken, s.apiUrl) : undefined;
  const app = new App({
    receiver,
    logger: blogger,
    clientOptions,
    convoStore: false,
    ...(auth ? { token: s.botToken, botId: auth.botId, botUserId: auth.botUserId } : {}),
    ...(socket && oauth ? { authorize: (source) => httpReceiver!.installer!.authorize(source) } : {}),
  });
  app.error(async (error) => log.error({ err: error }, "bolt error"));
  // Slack is answered before the work is done: stop() waits for listeners still working (shutdown).
  // Each event, command or action logs under its own correlation id, the reference its apology shows.
  const inFlight = new InFlight();
  // A verified request seen before (see replayGuard.ts) is acknowledged and not run again.
  if (replays) {
    app.use(async (args) => {
      const signature: unknown = args.context[SIGNATURE];
      if (typeof signature === "string" && signature && !(await replays.firstTime(signature))) {
        log.warn({ type: args.body.type }, "a Slack request seen before was sent again: acknowledged, not run");
        if ("ack" in args && typeof args.ack === "function") await args.ack();
        return;
      }
      await args.next();
    });
  }
  app.use(({ next }) => withCorrelationId(newCorrelationId(), () => inFlight.track(next)));

  const messenger = createSlackMessenger(core.db, config);
  core.messengers.slack ??= messenger;
  const deps: SlackDeps = {
    core,
    unfurls: new UnfurlService(core.db, core.profiles),
    permissions: new SlackPermissions((err, what) => log.warn({ err, what }, "could not read Slack permissions")),
    log,
    failures: tuning.failures ?? platformFailures,
  };
  registerCommands(app, deps);
  registerActions(app, deps);
  registerForms(app, deps);
  registerHome(app, deps);
  registerShortcuts(app, deps);
  registerUnfurls(app, deps);
  if (oauth) registerInstallations(app, deps, store);

  let stopped = false;
  if (httpReceiver) {
    const listener: RequestHandler = (req, res) => {
      if (stopped) return void res.writeHead(503, { "content-type": "text/plain" }).end("Slack adapter stopped");
      httpReceiver.requestListener(req, res);
    };
    if (!socket) http.route("POST", SLACK_PATHS.events, listener);
    if (oauth) {
      http.route("GET", SLACK_PATHS.install, listener);
      http.route("GET", SLACK_PATHS.redirect, listener);
    }
  }
  if (socket) await app.start();
  log.info(
    {
      mode: socket ? "socket" : "http",
      install: oauth ? "oauth" : "single workspace",
    },
    "slack adapter started",
  );

  return {
    name: "slack",
    mode: socket ? "socket" : "http",
    app,
    messenger,
    idle: () => inFlight.idle(),
    async stop() {
      stopped = true;
      if (socket) await app.stop();
      await inFlight.idle();
    },
  };
}

/** Checks SLACK_BOT_TOKEN once at start-up, so a bad token stops start-up with one clear line. */
async function verifyBotToken(token: string, apiUrl: string): Promise<{ botId?: string; botUserId?: string }> {
  const client = new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 2 },
  });
  try {
    const result = await client.auth.test();
    return { botId: result.bot_id, botUserId: result.user_id };
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new SlackConfigError(`Slack rejected SLACK_BOT_TOKEN (${reason}): check the token or SLACK_API_URL`);
  }
}
