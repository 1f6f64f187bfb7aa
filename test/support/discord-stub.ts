// A local stand-in for Discord: one HTTP server that answers the REST routes the bot calls and
// upgrades to a WebSocket speaking the gateway protocol (HELLO, IDENTIFY, READY, heartbeats,
// GUILD_CREATE, INTERACTION_CREATE). The real discord.js Client and @discordjs/rest run against it.
// Every REST call is recorded; the next N calls can be answered with 429 or another error.
// With `shardCount` > 1 it shards as Discord does: each guild lives on shard
// `(guild_id >> 22) % shard_count`, its events go only to that shard's connection, DMs to shard 0,
// and an IDENTIFY for a shard it does not expect (a wrong count or id, or one already connected)
// is closed with 4010 Invalid shard.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { wallClockMs } from "./clock.js";

export interface RecordedCall {
  method: string;
  /** Path without the /api/v10 prefix, e.g. "/interactions/1/tok/callback". */
  path: string;
  query: URLSearchParams;
  body: any;
  authorization?: string;
  /** Names of files uploaded with a multipart request. */
  files: string[];
  /** Set when the call was answered with an injected failure (failNext, rateLimitNext, breakNext). */
  failed?: boolean;
  at: number;
}

export interface StubUser {
  id: string;
  username: string;
  globalName?: string;
}

export interface InteractionOptions {
  user?: StubUser;
  /** Guild id, or null for a DM. Defaults to the stub's test guild. */
  guildId?: string | null;
  channelId?: string;
  /** Member permission bitfield (decimal string) in guilds. */
  permissions?: string;
}

type Matcher = (call: RecordedCall) => boolean;
interface Failure {
  remaining: number;
  match: Matcher;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  fault?: TransportFault;
}

/** Failures below HTTP status codes: no answer at all, a dropped connection, or a body that is not JSON. */
export type TransportFault = "hang" | "drop" | "malformed";

const VERSION_PREFIX = /^\/api\/v\d+/;
const snowflake = () => ((BigInt(wallClockMs() - 1420070400000) << 22n) | BigInt(Math.floor(Math.random() * 4_000_000))).toString();
const ALL_PERMISSIONS = "2199023255551";

export class DiscordStub {
  readonly applicationId = "1100000000000000001";
  readonly botUserId = "1100000000000000001";
  readonly guildId = "1200000000000000001";
  readonly channelId = "1300000000000000001";
  readonly token = "stub-bot-token";
  readonly defaultUser: StubUser = { id: "1400000000000000001", username: "ada", globalName: "Ada Lovelace" };
  readonly calls: RecordedCall[] = [];
  /** Payloads of every IDENTIFY (op 2) the gateway received. */
  readonly identifies: any[] = [];
  heartbeats = 0;

  private readonly http = createServer((req, res) => void this.onRequest(req, res));
  private readonly wss = new WebSocketServer({ server: this.http });
  private readonly sockets = new Set<WebSocket>();
  private readonly failures: Failure[] = [];
  private readonly waiters: Array<{ match: Matcher; resolve: (c: RecordedCall) => void }> = [];
  private readonly dmChannels = new Map<string, string>();
  /** Threads started from a message (its id is the thread's), as Discord keeps one per message. */
  readonly threads = new Map<string, { parentId: string; name: string }>();
  private seq = 0;
  private port = 0;
  private identified?: () => void;
  private readonly identifiedOnce = new Promise<void>((resolve) => (this.identified = resolve));
  /** The shard each identified connection runs. */
  private readonly shardOfSocket = new Map<WebSocket, number>();
  /** IDENTIFY payloads refused with 4010. */
  readonly refusedIdentifies: any[] = [];
  /** Which shard each interaction was dispatched on. */
  readonly dispatches: { interactionId: string; shard: number }[] = [];

  private constructor(
    private readonly heartbeatIntervalMs: number,
    readonly shardCount: number,
  ) {}

  /**
   * `heartbeatIntervalMs` is what HELLO announces (Discord uses ~41 s; tests may want it short);
   * `shardCount` is what GET /gateway/bot recommends and what IDENTIFY must say.
   */
  static async start(options: { heartbeatIntervalMs?: number; shardCount?: number } = {}): Promise<DiscordStub> {
    const stub = new DiscordStub(options.heartbeatIntervalMs ?? 41_250, options.shardCount ?? 1);
    await new Promise<void>((resolve) => stub.http.listen(0, "127.0.0.1", resolve));
    stub.port = (stub.http.address() as AddressInfo).port;
    stub.wss.on("connection", (ws) => stub.onConnection(ws));
    return stub;
  }

  /** The value for DISCORD_API_URL / discord.js `rest.api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The environment that points Peerlink's Discord adapter at this stand-in. */
  get env() {
    return { DISCORD_TOKEN: this.token, DISCORD_APPLICATION_ID: this.applicationId, DISCORD_API_URL: this.apiUrl };
  }

  /** The shard Discord sends a guild's events to. */
  shardOf(guildId: string): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(this.shardCount));
  }

  /** A guild of the stub's that lives on `shard` (the test guild when it does). */
  guildOnShard(shard: number): string {
    for (let k = 0n; ; k++) {
      const id = (BigInt(this.guildId) + (k << 22n)).toString();
      if (this.shardOf(id) === shard) return id;
    }
  }

  /** Every guild the bot is in: one per shard, the test guild among them. */
  get guildIds(): string[] {
    return [...new Set([this.guildId, ...Array.from({ length: this.shardCount }, (_, i) => this.guildOnShard(i))])];
  }

  /** The text channel of a guild. */
  channelOf(guildId: string): string {
    return guildId === this.guildId ? this.channelId : (BigInt(guildId) + 1n).toString();
  }

  /** Resolves once every shard has sent IDENTIFY and received READY and its guilds. */
  ready(): Promise<void> {
    return this.identifiedOnce;
  }

  /** Answers the next `count` matching REST calls with 429 and a retry_after of `retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds = 1.5, match: Matcher = () => true): void {
    this.failures.push({
      remaining: count,
      match,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: retryAfterSeconds, global: false },
      headers: {
        "retry-after": String(retryAfterSeconds),
        "x-ratelimit-scope": "user",
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": String(retryAfterSeconds),
        "x-ratelimit-bucket": "stub-bucket",
      },
    });
  }

  /** Answers the next `count` matching REST calls with an error, e.g. 403 {code: 50007}. */
  failNext(count: number, status: number, body: { code: number; message: string }, match: Matcher = () => true): void {
    this.failures.push({ remaining: count, match, status, body });
  }

  /**
   * Makes the next `count` matching REST calls go wrong below HTTP: "hang" never answers (the
   * client's timeout ends it), "drop" destroys the connection, "malformed" answers 200 with
   * truncated JSON.
   */
  breakNext(count: number, fault: TransportFault, match: Matcher = () => true): void {
    this.failures.push({ remaining: count, match, status: 200, body: null, fault });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Injected failures not yet used up. */
  get failuresLeft(): number {
    return this.failures.reduce((n, f) => n + f.remaining, 0);
  }

  callsTo(method: string, path: string | RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)));
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitForCall(match: Matcher, timeoutMs = 10_000): Promise<RecordedCall> {
    const seen = this.calls.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("discord stub: expected call did not arrive")), timeoutMs);
      this.waiters.push({ match, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  /** The interaction's callback (POST /interactions/:id/:token/callback). */
  callbackFor(interaction: { id: string; token: string }, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitForCall((c) => c.path === `/interactions/${interaction.id}/${interaction.token}/callback`, timeoutMs);
  }

  /** A slash command `/researcher <sub> …options`; "group sub" (e.g. "admin approve") for a subcommand group. */
  slashCommand(sub: string, options: Record<string, StubOption> = {}, at: InteractionOptions = {}) {
    const [first, second] = sub.split(" ");
    const option = second ? { type: 2, name: first!, options: [subOption(second, options)] } : subOption(first!, options);
    return this.dispatchInteraction(2, { id: "1500000000000000001", name: "researcher", type: 1, options: [option] }, at);
  }

  /**
   * A message context-menu command (APPLICATION_COMMAND with data.type 3, MESSAGE) used on a message
   * in the channel: data.target_id names it and data.resolved.messages carries it, as Discord sends it.
   */
  messageCommand(name: string, target: { content: string; embeds?: unknown[]; authorId?: string }, at: InteractionOptions = {}) {
    const channelId = at.channelId ?? this.channelId;
    const message = {
      ...this.message(channelId, { content: target.content, embeds: target.embeds }),
      author: this.apiUser({ id: target.authorId ?? "1400000000000000999", username: "someone" }),
    };
    const data = { id: "1500000000000000002", name, type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } };
    return this.dispatchInteraction(2, data, at);
  }

  /** An autocomplete request while the user types `focused` in `/researcher <sub>`. */
  autocomplete(sub: string, focused: string, value: string, at: InteractionOptions = {}) {
    const option = subOption(sub, {});
    option.options = [{ type: 3, name: focused, value, focused: true }];
    return this.dispatchInteraction(4, { id: "1500000000000000001", name: "researcher", type: 1, options: [option] }, at);
  }

  /** A press on a button with `customId`, on a message with these flags (64: an ephemeral one) and embeds. */
  button(customId: string, at: InteractionOptions = {}, on: { flags?: number; embeds?: unknown[] } = {}) {
    const message = { ...this.message(at.channelId ?? this.channelId, { content: "", components: [], embeds: on.embeds }), flags: on.flags ?? 0 };
    return this.dispatchInteraction(3, { custom_id: customId, component_type: 2 }, at, { message });
  }

  /** A modal submission: values by text input custom id. */
  modalSubmit(customId: string, values: Record<string, string>, at: InteractionOptions = {}) {
    const components = Object.entries(values).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
    return this.dispatchInteraction(5, { custom_id: customId, components }, at);
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- gateway -----------------------------------------------------------------------------

  private dispatchInteraction(type: number, data: object, at: InteractionOptions, extra: object = {}) {
    const user = at.user ?? this.defaultUser;
    const guildId = at.guildId === undefined ? this.guildId : at.guildId;
    const channelId = at.channelId ?? (guildId ? this.channelOf(guildId) : `dm-${user.id}`);
    const apiUser = this.apiUser(user);
    const interaction = {
      id: snowflake(),
      application_id: this.applicationId,
      type,
      token: `itok-${randomBytes(8).toString("hex")}`,
      version: 1,
      data,
      channel_id: channelId,
      channel: guildId ? { id: channelId, type: 0, guild_id: guildId, name: "general" } : { id: channelId, type: 1 },
      app_permissions: ALL_PERMISSIONS,
      locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": guildId ?? "0" },
      context: guildId ? 0 : 1,
      ...(guildId
        ? {
            guild_id: guildId,
            guild_locale: "en-US",
            member: {
              user: apiUser,
              roles: [],
              permissions: at.permissions ?? "0",
              joined_at: new Date(0).toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
            },
          }
        : { user: apiUser }),
      ...extra,
    };
    // Discord sends a guild's interactions to its shard, and DMs to shard 0.
    const shard = guildId ? this.shardOf(guildId) : 0;
    this.dispatches.push({ interactionId: interaction.id, shard });
    this.sendToShard(shard, "INTERACTION_CREATE", interaction);
    return interaction;
  }

  private apiUser(u: StubUser) {
    return { id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: "0", avatar: null };
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => {
      this.sockets.delete(ws);
      this.shardOfSocket.delete(ws);
    });
    ws.on("message", (raw: Buffer) => this.onGatewayMessage(ws, JSON.parse(raw.toString())));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
  }

  private onGatewayMessage(ws: WebSocket, msg: { op: number; d: any }): void {
    if (msg.op === 1) {
      this.heartbeats++;
      ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
    } else if (msg.op === 2) {
      const [shardId = 0, shardCount = 1] = msg.d.shard ?? [];
      const taken = [...this.shardOfSocket].some(([other, id]) => id === shardId && other !== ws && other.readyState === WebSocket.OPEN);
      if (shardCount !== this.shardCount || shardId < 0 || shardId >= shardCount || taken) {
        this.refusedIdentifies.push(msg.d);
        ws.close(4010, "Invalid shard");
        return;
      }
      this.identifies.push(msg.d);
      this.shardOfSocket.set(ws, shardId);
      const guilds = this.guildIds.filter((g) => this.shardOf(g) === shardId);
      this.send(ws, "READY", {
        v: 10,
        user: { ...this.apiUser({ id: this.botUserId, username: "peerlink" }), bot: true, flags: 0 },
        guilds: guilds.map((id) => ({ id, unavailable: true })),
        session_id: randomBytes(8).toString("hex"),
        resume_gateway_url: this.gatewayUrl,
        shard: [shardId, shardCount],
        application: { id: this.applicationId, flags: 0 },
      });
      for (const id of guilds) this.send(ws, "GUILD_CREATE", this.guild(id));
      const live = new Set([...this.shardOfSocket].filter(([other]) => other.readyState === WebSocket.OPEN).map(([, id]) => id));
      if (live.size === this.shardCount) this.identified?.();
    }
  }

  private guild(id = this.guildId) {
    return {
      id,
      name: "Peerlink test guild",
      icon: null,
      owner_id: this.defaultUser.id,
      unavailable: false,
      member_count: 2,
      large: false,
      joined_at: new Date(0).toISOString(),
      features: [],
      roles: [{ id, name: "@everyone", permissions: "0", position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      emojis: [],
      stickers: [],
      channels: [{ id: this.channelOf(id), type: 0, name: "general", position: 0, permission_overwrites: [] }],
      threads: [],
      members: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      premium_tier: 0,
      preferred_locale: "en-US",
      system_channel_flags: 0,
      nsfw_level: 0,
      verification_level: 0,
      mfa_level: 0,
      explicit_content_filter: 0,
      default_message_notifications: 0,
    };
  }

  private send(ws: WebSocket, event: string, d: unknown): void {
    ws.send(JSON.stringify({ op: 0, t: event, s: ++this.seq, d }));
  }

  private sendToShard(shard: number, event: string, d: unknown): void {
    const ws = [...this.shardOfSocket].find(([socket, id]) => id === shard && socket.readyState === WebSocket.OPEN)?.[0];
    if (!ws) throw new Error(`discord stub: no gateway client is connected for shard ${shard}`);
    this.send(ws, event, d);
  }

  // ---- REST --------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stub");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown = text;
    if ((req.headers["content-type"] ?? "").includes("json") && text) body = JSON.parse(text);
    else if ((req.headers["content-type"] ?? "").includes("multipart")) body = parsePayloadJson(text);
    const call: RecordedCall = {
      method: req.method ?? "GET",
      path: decodeURIComponent(url.pathname).replace(VERSION_PREFIX, ""),
      query: url.searchParams,
      body,
      authorization: req.headers.authorization,
      files: [...text.matchAll(/name="files\[\d+\]"; filename="([^"]*)"/g)].map((m) => m[1]!),
      at: wallClockMs(),
    };
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.match(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
    const failure = this.failures.find((f) => f.remaining > 0 && f.match(call));
    if (failure) {
      failure.remaining--;
      call.failed = true;
      if (failure.fault === "hang") return; // left open; close() ends it
      if (failure.fault === "drop") return void req.socket.destroy();
      if (failure.fault === "malformed") return void res.writeHead(200, { "content-type": "application/json" }).end('{"id": "12');
      return reply(res, failure.status, failure.body, failure.headers);
    }
    const [status, payload] = this.route(call);
    reply(res, status, payload);
  }

  private route(call: RecordedCall): [number, unknown] {
    const { method, path, body } = call;
    const p = path.split("/").filter(Boolean);
    if (method === "GET" && path === "/gateway/bot") {
      return [
        200,
        { url: this.gatewayUrl, shards: this.shardCount, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } },
      ];
    }
    if (method === "POST" && p[0] === "interactions" && p[3] === "callback") {
      return call.query.get("with_response") === "true" ? [200, { interaction: { id: p[1], type: body?.type } }] : [204, null];
    }
    if (p[0] === "webhooks" && p.length >= 3) {
      const channelId = this.channelId;
      if (method === "DELETE") return [204, null];
      return [200, this.message(channelId, body ?? {})];
    }
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String(body?.recipient_id);
      const id = this.dmChannels.get(recipient) ?? snowflake();
      this.dmChannels.set(recipient, id);
      return [200, { id, type: 1, recipients: [this.apiUser({ id: recipient, username: `user${recipient.slice(-4)}` })] }];
    }
    if (method === "POST" && p[0] === "channels" && p[2] === "messages" && p[3] && p[4] === "threads") {
      if (this.threads.has(p[3])) return [400, { code: 160004, message: "A thread has already been created for this message" }];
      this.threads.set(p[3], { parentId: p[1]!, name: String(body?.name ?? "") });
      return [201, { id: p[3], type: 11, parent_id: p[1], guild_id: this.guildId, name: body?.name, thread_metadata: { archived: false } }];
    }
    if (method === "POST" && p[0] === "channels" && p[2] === "messages") return [200, this.message(p[1]!, body ?? {})];
    if (method === "PATCH" && p[0] === "channels" && p[2] === "messages" && p[3]) {
      return [200, { ...this.message(p[1]!, body ?? {}), id: p[3], edited_timestamp: new Date(wallClockMs()).toISOString() }];
    }
    if (method === "PUT" && p[0] === "applications" && p.at(-1) === "commands" && Array.isArray(body)) {
      return [200, body.map((c: object) => ({ id: snowflake(), application_id: this.applicationId, version: snowflake(), ...c }))];
    }
    if (method === "GET" && p[0] === "applications" && p.at(-1) === "commands") return [200, []];
    return [404, { code: 0, message: `404: Not Found (stub has no route for ${method} ${path})` }];
  }

  private message(channelId: string, body: { content?: string; embeds?: unknown[]; components?: unknown[] }) {
    return {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      content: body.content ?? "",
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: 0,
      timestamp: new Date(wallClockMs()).toISOString(),
      edited_timestamp: null,
      author: { ...this.apiUser({ id: this.botUserId, username: "peerlink" }), bot: true },
    };
  }
}

/** An option value; strings, integers and booleans are typed automatically, others (e.g. a user, 6) explicitly. */
export type StubOption = string | number | boolean | { type: number; value: string | number | boolean };

function subOption(sub: string, options: Record<string, StubOption>): { type: number; name: string; options: any[] } {
  const typed = (v: StubOption) => (typeof v === "object" ? v : { type: typeof v === "boolean" ? 5 : typeof v === "number" ? 4 : 3, value: v });
  return { type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ name, ...typed(value) })) };
}

/** Multipart bodies (sent when files are attached) carry the JSON in a part named payload_json. */
function parsePayloadJson(text: string): unknown {
  const m = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text);
  return m ? JSON.parse(m[1]!) : text;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
