// `npm start` end to end: the real entry point in a child process, configured with Slack and Discord
// credentials that point at the local stand-ins, chooses both adapters, answers on both, reports
// health, and shuts down cleanly.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../src/sources/demo/seedDemo.js";
import { createTestDatabase, type TestDatabase } from "./support/db.js";
import { DiscordStub } from "./support/discord-stub.js";
import { type SlackStub, startSlackStub } from "./support/slack-stub.js";
import { wallClockMs } from "./support/clock.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SECRET = "main-test-signing-secret";
let t: TestDatabase;
let slack: SlackStub;
let discord: DiscordStub;
let app: ChildProcess;
let port: number;
let stderr = "";

beforeAll(async () => {
  [t, slack, discord] = await Promise.all([createTestDatabase(), startSlackStub(), DiscordStub.start()]);
  await seedDemo(t.db);
  app = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: t.redisUrl,
      REDIS_PREFIX: t.redisPrefix,
      PORT: "0",
      LOG_LEVEL: "info",
      SLACK_BOT_TOKEN: "xoxb-main-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      // Nothing listens here: ingest fails and retries later, which must not stop the app.
      OPENALEX_API_URL: "http://127.0.0.1:9",
    },
  });
  port = await new Promise<number>((resolve, reject) => {
    app.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const started = /"port":(\d+)[^\n]*"msg":"peerlink started"/.exec(stderr);
      if (started) resolve(Number(started[1]));
    });
    app.on("exit", (code) => reject(new Error(`app exited with ${code}: ${stderr}`)));
  });
});

afterAll(async () => {
  if (app.exitCode === null) app.kill("SIGKILL");
  await Promise.all([slack?.close(), discord?.close()]);
  await t?.drop();
});

describe("npm start with Slack and Discord credentials", () => {
  it("starts both adapters and reports healthy Postgres and Redis", async () => {
    expect(stderr).toMatch(/"platforms":\["slack","discord"\]/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
  });

  it("answers a signed Slack slash command with a profile card through response_url", async () => {
    const responseUrl = slack.responseUrl();
    const body = new URLSearchParams({
      team_id: "T0MAIN",
      channel_id: "C0MAIN",
      user_id: "U0MAIN",
      user_name: "ada",
      command: "/researcher",
      text: "Jonathon Frankel",
      response_url: responseUrl,
      trigger_id: "1.2.3",
    }).toString();
    const timestamp = Math.floor(wallClockMs() / 1000);
    const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": signature,
      },
      body,
    });
    expect(res.status).toBe(200);
    const posted = await slack.waitFor(() => slack.responses.find((r) => JSON.stringify(r).includes("Jonathan Frankle")));
    expect(JSON.stringify(posted)).toMatch(/21 · Emerging/);
  });

  it("answers a Discord slash command over the gateway with an embed", async () => {
    await discord.ready();
    const interaction = discord.slashCommand("lookup", { query: "Jonathan Frankle" });
    const callback = await discord.callbackFor(interaction);
    expect(JSON.stringify(callback.body)).toMatch(/Jonathan Frankle/);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => app.on("exit", resolve));
    app.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
