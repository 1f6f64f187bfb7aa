// A local stand-in for Slack: the Web API (`/api/<method>`), response_url endpoints (`/response/<id>`)
// file upload URLs (`/upload/<id>`) and a Socket Mode WebSocket (`/socket`), speaking Slack's wire shapes so the real Bolt app and
// WebClient run against it. Every call is recorded; the next N calls of a method can be made to
// fail with HTTP 429 + Retry-After or with `{ ok: false, error }`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { wallClockMs } from "./clock.js";

export interface SlackCall {
  method: string;
  /** Parsed arguments; JSON-valued fields (blocks, view, unfurls, …) are decoded. */
  args: Record<string, any>;
  /** Bearer token from the Authorization header (or the `token` argument). */
  token?: string;
  /** Set when the call was answered with an injected failure (failNext, failFor). */
  failed?: boolean;
  /** When the stand-in received it (wall-clock ms, as the Discord stand-in records). */
  at: number;
}

export interface PostedResponse {
  id: string;
  body: Record<string, any>;
}

/**
 * 429 with Retry-After; `ok: false` with an error code; another HTTP status (a 5xx from Slack's
 * edge); no answer at all (the client's timeout ends it); or a dropped connection.
 */
export type Failure = { status: 429; retryAfter: number } | { error: string } | { httpStatus: number } | { hang: true } | { drop: true };
/** How a response_url post fails: an HTTP status (404 once the URL has expired) or no answer. */
export type ResponseFailure = { httpStatus: number; error?: string } | { hang: true };

export interface SlackStub {
  /** Base URL of the Web API, ending in `/api/` (WebClient's `slackApiUrl`). */
  apiUrl: string;
  url: string;
  calls: SlackCall[];
  responses: PostedResponse[];
  uploads: Array<{ id: string; bytes: number }>;
  /** A response_url that records what the app posts to it. */
  responseUrl(id?: string): string;
  callsTo(method: string): SlackCall[];
  /** Makes the next `times` calls of `method` fail. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Makes every call of `method` fail for the next `ms` milliseconds (a storm or an outage); 0 ends it. */
  failFor(method: string, failure: Failure, ms: number): void;
  /** Makes the next `times` posts to any response_url fail (they are not recorded in `responses`). */
  failNextResponse(failure: ResponseFailure, times?: number): void;
  /** Injected failures not yet used up. */
  readonly failuresLeft: number;
  /** users.info answers: user id → flags. Unknown users are plain members. */
  users: Map<string, { is_admin?: boolean; is_owner?: boolean; name?: string; deleted?: boolean }>;
  /** conversations.info answers: channel id → creator. */
  channels: Map<string, { creator: string; is_im?: boolean }>;
  /** Socket Mode: sends an envelope to the connected app and resolves with its acknowledgement's payload. */
  socketSend(type: string, payload: object): Promise<Record<string, any>>;
  /** Resolves once an app has opened the Socket Mode connection. */
  socketConnected(): Promise<void>;
  /** Resolves when `predicate` holds for the recorded calls/responses (polls; rejects after `timeoutMs`). */
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

const JSON_FIELDS = ["blocks", "attachments", "view", "unfurls", "files", "metadata"];

function parseArgs(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw);
  const args: Record<string, any> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of JSON_FIELDS) {
    if (typeof args[key] === "string") {
      try {
        args[key] = JSON.parse(args[key]);
      } catch {
        /* left as sent */
      }
    }
  }
  return args;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

let counter = 0;
const nextId = (prefix: string) => `${prefix}${String(++counter).padStart(6, "0")}`;
const ts = () => `${Math.floor(wallClockMs() / 1000)}.${String(++counter).padStart(6, "0")}`;

export async function startSlackStub(): Promise<SlackStub> {
  const calls: SlackCall[] = [];
  const responses: PostedResponse[] = [];
  const uploads: Array<{ id: string; bytes: number }> = [];
  const failures = new Map<string, Failure[]>();
  const outages = new Map<string, { failure: Failure; until: number }>();
  const responseFailures: ResponseFailure[] = [];
  const users: SlackStub["users"] = new Map();
  const channels: SlackStub["channels"] = new Map();
  let base = "";

  function answer(method: string, args: Record<string, any>): Record<string, any> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://peerlink-test.slack.com/",
          team: "Peerlink Test",
          user: "peerlink",
          team_id: "T0TEST",
          user_id: "U0BOT",
          bot_id: "B0BOT",
        };
      case "chat.postMessage":
        return { ok: true, channel: args.channel, ts: ts(), message: { type: "message", text: args.text, ts: ts(), bot_id: "B0BOT" } };
      case "chat.postEphemeral":
        return { ok: true, message_ts: ts() };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case "chat.unfurl":
        return { ok: true };
      case "apps.connections.open":
        return { ok: true, url: `${base.replace(/^http/, "ws")}/socket` };
      case "oauth.v2.access": {
        // The test chooses the installing workspace through the code: code "T0OTHER" installs team T0OTHER.
        const team = String(args.code ?? "");
        if (!/^T\w+$/.test(team)) return { ok: false, error: "invalid_code" };
        return {
          ok: true,
          access_token: `xoxb-${team}`,
          token_type: "bot",
          scope: "commands,chat:write",
          bot_user_id: "U0BOT",
          app_id: "A0PEERLINK",
          team: { id: team, name: `Team ${team}` },
          enterprise: null,
          authed_user: { id: "U0INSTALLER" },
          is_enterprise_install: false,
        };
      }
      case "conversations.open":
        return {
          ok: true,
          channel: {
            id: `D${String(args.users ?? "")
              .replace(/\W/g, "")
              .slice(0, 9)}`,
          },
        };
      case "conversations.info": {
        const c = channels.get(args.channel);
        if (!c) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: { id: args.channel, is_im: Boolean(c.is_im), creator: c.creator, is_archived: false } };
      }
      case "users.info": {
        const u = users.get(args.user) ?? {};
        return {
          ok: true,
          user: {
            id: args.user,
            name: u.name ?? args.user,
            deleted: Boolean(u.deleted),
            is_admin: Boolean(u.is_admin),
            is_owner: Boolean(u.is_owner),
            team_id: "T0TEST",
          },
        };
      }
      case "views.open":
      case "views.publish":
      case "views.update":
      case "views.push":
        return { ok: true, view: { id: nextId("V"), hash: "h", ...(args.view ?? {}) } };
      case "files.getUploadURLExternal": {
        const id = nextId("F");
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal":
        return { ok: true, files: (args.files ?? []).map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title ?? "" })) };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0]!;
    const body = await readBody(req);
    const send = (status: number, json: object, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(json));

    if (path.startsWith("/response/")) {
      const refused = responseFailures.shift();
      if (refused && "hang" in refused) return; // left open; close() ends it
      if (refused) return send(refused.httpStatus, { ok: false, error: refused.error ?? "expired_url" });
      responses.push({ id: path.slice("/response/".length), body: JSON.parse(body.toString() || "{}") });
      return send(200, { ok: true });
    }
    if (path.startsWith("/upload/")) {
      uploads.push({ id: path.slice("/upload/".length), bytes: body.length });
      return res.writeHead(200, { "content-type": "text/plain" }).end("OK - " + body.length);
    }
    if (!path.startsWith("/api/")) return send(404, { ok: false, error: "not_found" });

    const method = path.slice("/api/".length);
    const args = parseArgs(body.toString(), req.headers["content-type"]);
    const auth = req.headers.authorization;
    const call: SlackCall = { method, args, token: auth?.startsWith("Bearer ") ? auth.slice(7) : args.token, at: wallClockMs() };
    calls.push(call);

    const outage = outages.get(method);
    const failure = outage && performance.now() < outage.until ? outage.failure : failures.get(method)?.shift();
    if (failure) {
      call.failed = true;
      if ("status" in failure) return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      if ("hang" in failure) return; // left open; close() ends it
      if ("drop" in failure) return void req.socket.destroy();
      if ("httpStatus" in failure)
        return res.writeHead(failure.httpStatus, { "content-type": "text/html" }).end("<html><body>Service Unavailable</body></html>");
      return send(200, { ok: false, error: failure.error });
    }
    return send(200, answer(method, args));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  const sockets = new WebSocketServer({ server, path: "/socket" });
  const acks = new Map<string, (payload: Record<string, any>) => void>();
  let socket: WebSocket | undefined;
  let onConnect: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  sockets.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => {
      const message = JSON.parse((data as Buffer).toString()) as { envelope_id?: string; payload?: Record<string, any> };
      if (message.envelope_id) acks.get(message.envelope_id)?.(message.payload ?? {});
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "stub" }, connection_info: { app_id: "A0PEERLINK" } }));
    onConnect();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    url: base,
    calls,
    responses,
    uploads,
    users,
    channels,
    responseUrl: (id = nextId("R")) => `${base}/response/${id}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(method, list);
    },
    failFor(method, failure, ms) {
      outages.set(method, { failure, until: performance.now() + ms });
    },
    failNextResponse(failure, times = 1) {
      for (let i = 0; i < times; i++) responseFailures.push(failure);
    },
    get failuresLeft() {
      return responseFailures.length + [...failures.values()].reduce((n, list) => n + list.length, 0);
    },
    socketConnected: () => connected,
    socketSend(type, payload) {
      if (!socket) return Promise.reject(new Error("slack stub: no Socket Mode connection"));
      const envelopeId = nextId("env-");
      const acked = new Promise<Record<string, any>>((resolve) => acks.set(envelopeId, resolve));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== "events_api" }));
      return acked;
    },
    async waitFor(probe, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value;
        if (performance.now() > deadline) throw new Error("slack stub: timed out waiting for the expected call");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      uploads.length = 0;
      failures.clear();
      outages.clear();
      responseFailures.length = 0;
    },
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
