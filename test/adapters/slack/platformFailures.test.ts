// Slack failing the calls the bot makes, through the real Bolt app and the Slack stand-in: a
// response_url that refuses or hangs, Web API methods answering `ok: false` with real error codes,
// 429 with Retry-After, 5xx, timeouts and dropped connections. After each, the failure was logged
// and counted, the user heard what they could, nothing reached unhandledRejection, and the next
// command is answered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FailureReason, type PlatformCall, PlatformFailures } from "../../../src/adapters/platformFailures.js";
import type { Failure } from "../../support/slack-stub.js";
import { captureLogs, type LogCapture, type LogLine } from "../../support/logCapture.js";
import { type UnhandledWatch, watchUnhandled } from "../../support/unhandled.js";
import { buttonPress, CHANNEL, type SlackHarness, startSlackHarness, TEAM, USER } from "./slackHarness.js";

/** Past this a listener gives up on a Slack call (Web API and response_url alike). */
const TIMEOUT_MS = 300;

const WEB_API_FAILURES: Array<{ name: string; failure: Failure; reason: FailureReason }> = [
  { name: "ok: false, channel_not_found", failure: { error: "channel_not_found" }, reason: "refused" },
  { name: "ok: false, not_in_channel", failure: { error: "not_in_channel" }, reason: "refused" },
  { name: "429 ratelimited with Retry-After", failure: { status: 429, retryAfter: 30 }, reason: "rate_limited" },
  { name: "ok: false, invalid_auth", failure: { error: "invalid_auth" }, reason: "auth" },
  { name: "503", failure: { httpStatus: 503 }, reason: "server_error" },
  { name: "a hang past the timeout", failure: { hang: true }, reason: "timeout" },
  { name: "a dropped connection", failure: { drop: true }, reason: "network" },
];

describe("Slack platform failures", () => {
  let h: SlackHarness;
  let logs: LogCapture;
  let unhandled: UnhandledWatch;
  const failures = new PlatformFailures();

  beforeAll(async () => {
    logs = captureLogs("warn");
    h = await startSlackHarness(undefined, {}, { logger: logs.logger, tuning: { timeoutMs: TIMEOUT_MS, retries: 0, failures } });
    // Invitations go only to claimed researchers: Bob claims Jonathan Frankle's record, so Invite opens a form.
    const bob = await h.tdb.db.chatIdentity.create({
      data: { platform: "slack", tenantId: TEAM, userId: "U0BOB", displayName: "bob", account: { create: { displayName: "Bob" } } },
    });
    await h.tdb.db.researcher.update({ where: { id: h.researcherId }, data: { claimedByAccountId: bob.accountId, claimedAt: h.core.clock.now() } });
    unhandled = watchUnhandled();
  });
  afterAll(async () => {
    unhandled?.stop();
    await h?.close();
  });
  beforeEach(() => h.slack.reset());

  /** The next log line about a failed `call`, from now on. */
  function nextFailureLog(call: PlatformCall): Promise<LogLine> {
    const mark = logs.lines.length;
    return logs.waitFor((l) => logs.lines.indexOf(l) >= mark && l.call === call);
  }

  const responseTo = (url: string) => h.slack.waitFor(() => h.slack.responses.find((r) => url.endsWith(r.id)));
  /** An apology the user got some other way than a response_url: ephemeral in the channel, or the DM. */
  const apologyPosted = () =>
    h.slack.waitFor(() =>
      [...h.slack.callsTo("chat.postEphemeral"), ...h.slack.callsTo("chat.postMessage")].find(
        (c) => !c.failed && /Sorry|slow down/.test(String(c.args.text)),
      ),
    );

  async function nextCommandIsAnswered() {
    const next = await h.command("Jonathan Frankle");
    const reply = await responseTo(next.responseUrl);
    expect(reply.body.blocks[0].text.text).toBe("Jonathan Frankle");
    expect(h.slack.failuresLeft).toBe(0);
    expect(await unhandled.settle()).toEqual([]);
  }

  describe("a response_url", () => {
    const cases: Array<{ name: string; failure: Parameters<SlackHarness["slack"]["failNextResponse"]>[0]; reason: FailureReason }> = [
      { name: "that has expired (404 expired_url)", failure: { httpStatus: 404, error: "expired_url" }, reason: "gone" },
      { name: "that answers 500", failure: { httpStatus: 500, error: "internal_error" }, reason: "server_error" },
      { name: "that hangs", failure: { hang: true }, reason: "timeout" },
    ];
    for (const c of cases) {
      it(`${c.name}: the apology goes to the channel instead, and the next command works`, async () => {
        const before = failures.count({ platform: "slack", call: "response_url", reason: c.reason });
        h.slack.failNextResponse(c.failure);
        const logged = nextFailureLog("response_url");
        await h.command("Jonathan Frankle");
        const line = await logged;
        expect(line).toMatchObject({ user: USER, channel: CHANNEL, reason: c.reason });
        const apology = await apologyPosted();
        expect(apology.method).toBe("chat.postEphemeral");
        expect(apology.args).toMatchObject({ channel: CHANNEL, user: USER });
        expect(failures.count({ platform: "slack", call: "response_url", reason: c.reason })).toBe(before + 1);
        await nextCommandIsAnswered();
      });
    }
  });

  type Scenario = { method: string; call: PlatformCall; trigger(): Promise<void>; told?: "response_url" | "dm" | "nobody" };
  const scenarios: Scenario[] = [
    {
      method: "views.open",
      call: "modal",
      told: "response_url",
      async trigger() {
        const url = h.slack.responseUrl();
        await h.interaction(buttonPress("pl:invite:2", String(h.researcherId), url));
        const apology = await responseTo(url);
        expect(apology.body.text).toMatch(/Sorry|slow down/);
      },
    },
    {
      method: "views.publish",
      call: "home",
      told: "nobody",
      async trigger() {
        await h.event({ type: "app_home_opened", user: USER, channel: "D0ADA", tab: "home", event_ts: "1700000000.000300" });
      },
    },
    {
      method: "chat.unfurl",
      call: "unfurl",
      told: "nobody",
      async trigger() {
        const work = await h.tdb.db.work.findFirstOrThrow({ where: { arxivId: { not: null } } });
        const url = `https://arxiv.org/abs/${work.arxivId}`;
        await h.event({
          type: "link_shared",
          channel: CHANNEL,
          user: USER,
          message_ts: "1700000000.000400",
          links: [{ url, domain: "arxiv.org" }],
          event_ts: "1700000000.000400",
        });
      },
    },
  ];

  for (const s of scenarios) {
    describe(`${s.method} failing`, () => {
      for (const f of WEB_API_FAILURES) {
        it(`with ${f.name} is logged, counted and survived`, async () => {
          const before = failures.count({ platform: "slack", call: s.call, reason: f.reason });
          h.slack.failNext(s.method, f.failure);
          const logged = nextFailureLog(s.call);
          await s.trigger();
          const line = await logged;
          expect(line.reason).toBe(f.reason);
          if ("error" in f.failure) expect(line.code).toBe(f.failure.error);
          expect(failures.count({ platform: "slack", call: s.call, reason: f.reason })).toBe(before + 1);
          await nextCommandIsAnswered();
        });
      }
    });
  }

  describe("a failed reply whose apology cannot go to the channel either", () => {
    for (const f of WEB_API_FAILURES) {
      it(`(chat.postEphemeral with ${f.name}) reaches the user's DM`, async () => {
        h.slack.failNextResponse({ httpStatus: 404, error: "expired_url" });
        h.slack.failNext("chat.postEphemeral", f.failure);
        await h.command("Jonathan Frankle");
        const dm = await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage").find((c) => c.args.channel === USER), 5000);
        expect(dm.args.text).toMatch(/Sorry/);
        await nextCommandIsAnswered();
      });
    }
  });

  it("a picture upload failing (files.getUploadURLExternal 503) leaves the reply and says sorry", async () => {
    h.slack.failNext("files.getUploadURLExternal", { httpStatus: 503 });
    const logged = nextFailureLog("upload");
    const res = await h.command("graph Jonathan Frankle");
    expect((await logged).reason).toBe("server_error");
    await h.slack.waitFor(() => h.slack.responses.filter((r) => res.responseUrl.endsWith(r.id)).length === 2, 15_000);
    const [reply, apology] = h.slack.responses.filter((r) => res.responseUrl.endsWith(r.id));
    expect(JSON.stringify(reply!.body.blocks)).toContain("Jonathan Frankle");
    expect(apology!.body.text).toMatch(/Sorry/);
    await nextCommandIsAnswered();
  });

  it("under load, 40 commands with refused and hanging response_urls and failing Web API calls among them, answers the rest and the next", async () => {
    h.slack.failNextResponse({ httpStatus: 404, error: "expired_url" }, 6);
    h.slack.failNextResponse({ hang: true }, 3);
    h.slack.failNext("chat.postEphemeral", { error: "not_in_channel" }, 3);
    const commands = await Promise.all(Array.from({ length: 40 }, (_, i) => h.command(i % 2 ? "Jonathan Frankle" : "help")));
    expect(commands.every((c) => c.status === 200)).toBe(true);
    // Every command ends answered through its response_url or with its apology posted elsewhere.
    const apologies = () =>
      [...h.slack.callsTo("chat.postEphemeral"), ...h.slack.callsTo("chat.postMessage")].filter((c) => !c.failed && /Sorry/.test(String(c.args.text)))
        .length;
    await h.slack.waitFor(
      () => commands.filter((c) => h.slack.responses.some((r) => c.responseUrl.endsWith(r.id))).length + apologies() === 40,
      10_000,
    );
    expect(apologies()).toBe(9);
    expect(await unhandled.settle()).toEqual([]);
    await nextCommandIsAnswered();
  });
});
