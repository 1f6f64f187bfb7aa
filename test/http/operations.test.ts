// What an operator of a fleet sees and does, on the real entry point: health probes, a Prometheus
// scrape after real commands, the queue dashboard behind ADMIN_TOKEN, and a SIGTERM that lets a
// command in flight finish before the process exits 0.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { postSigned, slashCommandBody } from "../support/slackRequests.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { type OpenAlexStub, QUILLFEATHER, startOpenAlexStub } from "../support/openalex-stub.js";
import { type SlackStub, startSlackStub } from "../support/slack-stub.js";
import { type PeerlinkProcess, spawnPeerlink, stopAll } from "../support/spawnPeerlink.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SECRET = "operations-test-signing-secret";
const ADMIN_TOKEN = "operations-admin-token";
let t: TestDatabase;
let slack: SlackStub;
let openalex: OpenAlexStub;
let app: PeerlinkProcess;

beforeAll(async () => {
  [t, slack, openalex] = await Promise.all([createTestDatabase(), startSlackStub(), startOpenAlexStub()]);
  await seedDemo(t.db);
  app = await spawnPeerlink({
    DATABASE_URL: t.url,
    REDIS_URL: t.redisUrl,
    REDIS_PREFIX: t.redisPrefix,
    SLACK_BOT_TOKEN: "xoxb-operations-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENALEX_API_URL: openalex.url,
    OPENALEX_API_KEY: "operations-openalex-key",
    ADMIN_TOKEN,
    SHUTDOWN_GRACE_SECONDS: "20",
  });
});

afterAll(async () => {
  await stopAll();
  await Promise.all([slack?.close(), openalex?.close()]);
  await t?.drop();
});

/** A signed `/researcher <text>` as Slack posts it; resolves with the HTTP answer and the response_url used. */
async function slashCommand(text: string) {
  const responseUrl = slack.responseUrl();
  const body = slashCommandBody({ teamId: "T0OPS", channelId: "C0OPS", userId: "U0OPS", userName: "ada", text, responseUrl });
  const res = await postSigned(app.url("/slack/events"), body, SECRET);
  return { status: res.status, id: responseUrl.split("/").at(-1)! };
}

const responsesTo = (id: string) => slack.responses.filter((r) => r.id === id).map((r) => JSON.stringify(r.body));

/** The value of one sample line of a scrape, e.g. sample(text, 'peerlink_replies_total{platform="slack",…}'). */
function sample(scrape: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = scrape.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(0, l.indexOf("}")).includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("health", () => {
  it("is live, and ready with Postgres and Redis up; /health stays as it was", async () => {
    const live = await fetch(app.url("/health/live"));
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true });
    const ready = await fetch(app.url("/health/ready"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
    expect(await (await fetch(app.url("/health"))).json()).toEqual({ ok: true, checks: { postgres: true, redis: true } });
  });
});

describe("GET /metrics", () => {
  it("counts the commands answered through Slack by outcome, with their latency, queue depth and process metrics", async () => {
    const found = await slashCommand("Jonathan Frankle");
    const missing = await slashCommand("Zebediah Nonexistentname");
    expect([found.status, missing.status]).toEqual([200, 200]);
    await slack.waitFor(() => responsesTo(found.id).some((r) => r.includes("Jonathan Frankle")));
    await slack.waitFor(() => responsesTo(missing.id).some((r) => /No one|nobody|not find|no researcher/i.test(r)), 10_000);

    const res = await fetch(app.url("/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = await res.text();
    expect(sample(scrape, "peerlink_replies_total", { platform: "slack", command: "lookup", outcome: "ok" })).toBe(1);
    expect(sample(scrape, "peerlink_replies_total", { platform: "slack", command: "lookup", outcome: "not_found" })).toBe(1);
    expect(sample(scrape, "peerlink_command_duration_seconds_count", { platform: "slack", command: "lookup" })).toBe(2);
    expect(sample(scrape, "peerlink_queue_jobs", { queue: "invitations", state: "waiting" })).toBe(0);
    expect(sample(scrape, "peerlink_openalex_requests_today", { kind: "search" })).toBeGreaterThan(0);
    expect(scrape).toMatch(/^peerlink_openalex_spend_usd_today \d/m);
    expect(scrape).toMatch(/^peerlink_process_resident_memory_bytes \d+/m);
    // Each signed command was acknowledged by the HTTP response to it, well inside Slack's 3 s.
    expect(sample(scrape, "peerlink_ack_duration_seconds_count", { platform: "slack", kind: "http" })).toBe(2);
    expect(sample(scrape, "peerlink_ack_duration_seconds_bucket", { platform: "slack", kind: "http", le: "3" })).toBe(2);
    expect(sample(scrape, "peerlink_http_request_duration_seconds_count", { method: "POST", route: "/slack/events", status: "200" })).toBe(2);
    expect(sample(scrape, "peerlink_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    expect(sample(scrape, "peerlink_db_pool_connections", { state: "waiting" })).toBe(0);
    expect(sample(scrape, "peerlink_queue_oldest_waiting_seconds", { queue: "invitations" })).toBe(0);
    // Bounded labels: who asked and what they typed are nowhere in it.
    expect(scrape).not.toMatch(/U0OPS|Zebediah|Frankle/);
  });
});

describe("/admin/queues", () => {
  it("refuses every request without the admin token", async () => {
    for (const path of ["/admin/queues", "/admin/queues/api/queues", "/admin/queues/static/x.js"]) {
      const res = await fetch(app.url(path));
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    }
    const wrong = await fetch(app.url("/admin/queues"), { headers: { authorization: "Bearer not-the-token" } });
    expect(wrong.status).toBe(401);
  });

  it("shows the dashboard and its API with the token, as Bearer or basic auth", async () => {
    const page = await fetch(app.url("/admin/queues"), { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const basic = Buffer.from(`ops:${ADMIN_TOKEN}`).toString("base64");
    const api = await fetch(app.url("/admin/queues/api/queues"), { headers: { authorization: `Basic ${basic}` } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(["invitations", "notify-slack", "imports", "housekeeping"]));
  });
});

describe("SIGTERM", () => {
  it("stops taking commands, lets the one in flight answer, and exits 0", async () => {
    openalex.latencyMs = 1_500;
    const slow = await slashCommand(QUILLFEATHER.marta.displayName);
    expect(slow.status).toBe(200);
    // Slack shows "Looking up … in OpenAlex" while the lookup waits on OpenAlex.
    await slack.waitFor(() => responsesTo(slow.id).some((r) => r.includes("Looking up")), 10_000);
    app.child.kill("SIGTERM");
    await vi.waitFor(() => expect(app.stderr()).toContain('"msg":"shutting down"'));
    const ready = await fetch(app.url("/health/ready"));
    expect(ready.status).toBe(503);
    expect((await slashCommand("Jonathan Frankle")).status).toBe(503);

    expect(await app.exited).toBe(0);
    expect(responsesTo(slow.id).some((r) => r.includes(QUILLFEATHER.marta.displayName) && !r.includes("Looking up"))).toBe(true);
    expect(app.stderr()).toContain('"msg":"stopped"');
    expect(app.stderr()).not.toContain("grace period over");
  });
});
