// Many people using /researcher at once: signed slash commands posted to Slack's HTTP endpoint, and
// interactions sent over the Discord gateway stand-in, a fixed number in flight, each timed from
// sending to its acknowledgement (the HTTP answer; Discord's first callback) and to its answer (the
// response_url post; the reply, or the edit after a deferral). Shared by the CI load test
// (test/adapters/load.test.ts) and `npm run bench -- chat-load`.
import type { DiscordStub, RecordedCall, StubOption } from "./discord-stub.js";
import type { SlackStub } from "./slack-stub.js";
import { wallClockMs } from "./clock.js";
import { createHmac } from "node:crypto";

/** What a user saw: an answer, the apology for a failure, the busy reply, or nothing in time. */
export type LoadOutcome = "answer" | "apology" | "busy" | "unanswered";

export interface LoadSample {
  ackMs: number;
  /** Acknowledged with HTTP 200 (Slack) or a callback (Discord) inside the platform's 3 s. */
  acked: boolean;
  answerMs?: number;
  outcome: LoadOutcome;
}

export interface LoadRun {
  samples: LoadSample[];
  seconds: number;
}

/** Slack shows an error and Discord "The application did not respond" past this. */
export const ACK_WINDOW_MS = 3000;

/** Exact names, typos, one-word names, works and help: the mix of the issue's measurement. */
export const SLACK_MIX = [
  "Jonathan Frankle",
  "Jonathon Frankel",
  "Frankle",
  "works Jonathan Frankle",
  "help",
  "Devin Kwok",
  "Gintare Dziugait",
  "Carbin",
  "Mansheej Paul",
  "works Michael Carbin",
];

export const DISCORD_MIX: Array<[string, Record<string, StubOption>]> = [
  ["lookup", { query: "Jonathan Frankle" }],
  ["lookup", { query: "Jonathon Frankel" }],
  ["lookup", { query: "Frankle" }],
  ["works", { query: "Jonathan Frankle" }],
  ["help", {}],
  ["lookup", { query: "Devin Kwok" }],
  ["lookup", { query: "Gintare Dziugait" }],
  ["lookup", { query: "Carbin" }],
  ["lookup", { query: "Mansheej Paul" }],
  ["works", { query: "Michael Carbin" }],
];

export function outcomeOf(body: unknown): LoadOutcome {
  const text = JSON.stringify(body);
  if (text.includes("Sorry, something went wrong")) return "apology";
  if (text.includes("Peerlink is busy")) return "busy";
  return "answer";
}

const since = (start: number) => performance.now() - start;

/**
 * Runs `total` tasks, `inFlight` at a time. One told Peerlink is busy waits `busyPauseMs` before
 * its next task, as the reply asks ("try again in a moment"); meanwhile it is not in flight.
 */
async function pool(total: number, inFlight: number, task: (i: number) => Promise<LoadSample>, busyPauseMs = 0): Promise<LoadRun> {
  const samples: LoadSample[] = new Array<LoadSample>(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, total) }, async () => {
      while (next < total) {
        const i = next++;
        samples[i] = await task(i);
        if (samples[i].outcome === "busy" && busyPauseMs > 0) await new Promise((resolve) => setTimeout(resolve, busyPauseMs));
      }
    }),
  );
  return { samples, seconds: since(started) / 1000 };
}

/** Things the stand-ins recorded, by key, for whoever waits for them (before or after they arrive). */
class Arrivals<T> {
  private readonly waiting = new Map<string, (value: T) => void>();
  private readonly early = new Map<string, T>();

  feed(key: string, value: T): void {
    const resolve = this.waiting.get(key);
    if (!resolve) {
      if (!this.early.has(key)) this.early.set(key, value);
      return;
    }
    this.waiting.delete(key);
    resolve(value);
  }

  /** The first value fed for `key`, or undefined after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<T | undefined> {
    const seen = this.early.get(key);
    if (seen !== undefined) {
      this.early.delete(key);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.waiting.delete(key), resolve(undefined)), timeoutMs);
      this.waiting.set(key, (v) => (clearTimeout(timer), resolve(v)));
    });
  }
}

/** Reads what was appended to `list` since the last look, every few milliseconds. */
function follow<T>(list: T[], each: (item: T) => void): () => void {
  let seen = list.length;
  const timer = setInterval(() => {
    for (; seen < list.length; seen++) each(list[seen]!);
  }, 5);
  return () => clearInterval(timer);
}

export interface SlackLoadOptions {
  /** POST /slack/events of the app under load. */
  eventsUrl: string;
  signingSecret: string;
  slack: SlackStub;
  total: number;
  inFlight: number;
  users?: number;
  answerTimeoutMs?: number;
  mix?: readonly string[];
  /** How long someone told Peerlink is busy waits before their next command (default 0). */
  busyPauseMs?: number;
}

/** Signed `/researcher` slash commands from `users` people, `inFlight` at once. */
export async function slackLoad(o: SlackLoadOptions): Promise<LoadRun> {
  const mix = o.mix ?? SLACK_MIX;
  const users = o.users ?? 50;
  const responses = new Arrivals<unknown>();
  const stop = follow(o.slack.responses, (r) => responses.feed(r.id, r.body));
  try {
    return await pool(
      o.total,
      o.inFlight,
      async (i) => {
        const id = `L${process.pid}x${i}x${Math.random().toString(36).slice(2, 8)}`;
        const user = `U0LOAD${i % users}`;
        const body = new URLSearchParams({
          token: "legacy-verification-token",
          team_id: "T0LOAD",
          team_domain: "peerlink-load",
          channel_id: "C0LOAD",
          channel_name: "general",
          user_id: user,
          user_name: `user${i % users}`,
          command: "/researcher",
          text: mix[i % mix.length]!,
          api_app_id: "A0PEERLINK",
          response_url: o.slack.responseUrl(id),
          trigger_id: `${i}.1234.load`,
        }).toString();
        const timestamp = Math.floor(wallClockMs() / 1000);
        const signature = `v0=${createHmac("sha256", o.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
        const start = performance.now();
        const answered = responses.wait(id, o.answerTimeoutMs ?? 30_000).then((b) => ({ body: b, ms: since(start) }));
        const res = await fetch(o.eventsUrl, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": String(timestamp),
            "x-slack-signature": signature,
          },
          body,
        });
        await res.arrayBuffer();
        const ackMs = since(start);
        const answer = await answered;
        return {
          ackMs,
          acked: res.status === 200 && ackMs <= ACK_WINDOW_MS,
          answerMs: answer.body === undefined ? undefined : answer.ms,
          outcome: answer.body === undefined ? "unanswered" : outcomeOf(answer.body),
        };
      },
      o.busyPauseMs,
    );
  } finally {
    stop();
  }
}

export interface DiscordLoadOptions {
  stub: DiscordStub;
  total: number;
  inFlight: number;
  users?: number;
  answerTimeoutMs?: number;
  busyPauseMs?: number;
}

const CALLBACK_REPLY = 4;
const CALLBACK_DEFER = 5;

/** `/researcher` interactions over the gateway stand-in from `users` people, `inFlight` at once. */
export async function discordLoad(o: DiscordLoadOptions): Promise<LoadRun> {
  const users = o.users ?? 50;
  const timeoutMs = o.answerTimeoutMs ?? 30_000;
  const webhook = `/webhooks/${o.stub.applicationId}/`;
  // By interaction token: its callback, and the edit of (or follow-up to) a deferred reply.
  const callbacks = new Arrivals<RecordedCall>();
  const edits = new Arrivals<RecordedCall>();
  const stop = follow(o.stub.calls, (c) => {
    const callback = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(c.path);
    if (callback && c.method === "POST") callbacks.feed(callback[1]!, c);
    // The "Posted in the channel." note on a deferred reply is not the answer; the follow-up is.
    else if (c.path.startsWith(webhook) && c.method !== "DELETE" && !JSON.stringify(c.body ?? {}).includes("Posted in the channel"))
      edits.feed(c.path.slice(webhook.length).split("/")[0]!, c);
  });
  try {
    return await pool(
      o.total,
      o.inFlight,
      async (i) => {
        const [sub, options] = DISCORD_MIX[i % DISCORD_MIX.length]!;
        const n = i % users;
        const user = { id: `14000000000${String(n).padStart(8, "0")}`, username: `user${n}` };
        const start = performance.now();
        const interaction = o.stub.slashCommand(sub, options, { user });
        const callback = await callbacks.wait(interaction.token, timeoutMs);
        const ackMs = since(start);
        if (!callback) return { ackMs, acked: false, outcome: "unanswered" };
        const acked = ackMs <= ACK_WINDOW_MS;
        const type = (callback.body as { type?: number }).type;
        if (type === CALLBACK_REPLY) return { ackMs, acked, answerMs: ackMs, outcome: outcomeOf(callback.body) };
        if (type !== CALLBACK_DEFER) return { ackMs, acked, answerMs: ackMs, outcome: "answer" };
        const edit = await edits.wait(interaction.token, timeoutMs);
        return edit ? { ackMs, acked, answerMs: since(start), outcome: outcomeOf(edit.body) } : { ackMs, acked, outcome: "unanswered" };
      },
      o.busyPauseMs,
    );
  } finally {
    stop();
  }
}
