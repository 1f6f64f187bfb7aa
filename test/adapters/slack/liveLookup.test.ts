// Live lookup through the real Slack adapter: acknowledged at once, "Looking up … in OpenAlex"
// replaced by the answer through response_url, the OpenAlex stand-in behind the core.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { liveLookupFor } from "../../support/liveLookup.js";
import { QUILLFEATHER, startOpenAlexStub, type OpenAlexStub } from "../../support/openalex-stub.js";
import { type SlackHarness, startSlackHarness } from "./slackHarness.js";

type AnyBlock = Record<string, any>;

let h: SlackHarness;
let openalex: OpenAlexStub;

beforeAll(async () => {
  openalex = await startOpenAlexStub();
  h = await startSlackHarness((core) => {
    core.live = liveLookupFor(core, openalex.url).live;
  });
});
afterAll(async () => {
  await h?.close();
  await openalex?.close();
});
beforeEach(() => {
  h.slack.reset();
  openalex.requests.length = 0;
});

/** Everything posted to this command's response_url, in order. */
async function answers(responseUrl: string, count: number) {
  await h.slack.waitFor(() => h.slack.responses.filter((r) => responseUrl.endsWith(r.id)).length >= count);
  return h.slack.responses.filter((r) => responseUrl.endsWith(r.id)).map((r) => r.body);
}
/** The answer after any interim "Looking up …" line. */
async function finalAnswer(responseUrl: string) {
  return h.slack
    .waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id) && !/^Looking up/.test(String(r.body.text))))
    .then((r) => r.body as AnyBlock);
}
const searches = () => openalex.requests.filter((r) => r.query.search !== undefined);

describe("Slack live lookup", () => {
  it("acknowledges at once, says it is looking in OpenAlex, then replaces that with a pick list for a surname", async () => {
    const res = await h.command("Quillfeather");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const [interim, answer] = await answers(res.responseUrl, 2);
    expect(interim!.text).toBe("Looking up “Quillfeather” in OpenAlex…");
    expect(answer!.replace_original).toBe(true);
    const text = JSON.stringify(answer!.blocks as AnyBlock[]);
    expect(text).toMatch(/Several researchers match “Quillfeather”/);
    expect(text).toMatch(/Marta Quillfeather/);
    expect(text).toMatch(/Mårten Quillfeather/);
    expect(text).toMatch(/ORCID 0000-0000-0000-0028/);
    expect(searches()).toHaveLength(1);
  });

  it("shows the card for a full name, and a repeat lookup sends OpenAlex nothing", async () => {
    const first = await h.command("Marta Quillfeather");
    const [, card] = await answers(first.responseUrl, 2);
    expect(card!.blocks[0]).toMatchObject({ type: "header", text: { text: "Marta Quillfeather" } });
    expect(JSON.stringify(card!.blocks)).toMatch(/14 works/);

    openalex.requests.length = 0;
    const again = await h.command("Marta Quillfeather");
    const [repeat] = await answers(again.responseUrl, 1);
    expect(repeat!.blocks[0].text.text).toBe("Marta Quillfeather");
    expect(openalex.requests).toEqual([]);
  });

  it("finds the right person from an ORCID URL and an OpenAlex URL as Slack escapes them", async () => {
    const byUrl = await h.command(`<https://openalex.org/${QUILLFEATHER.marten.openalexId}>`);
    const card = await finalAnswer(byUrl.responseUrl);
    expect(card.blocks[0].text.text).toBe("Mårten Quillfeather");
    const byOrcid = await h.command(`<https://orcid.org/${QUILLFEATHER.marta.orcid}|orcid.org/${QUILLFEATHER.marta.orcid}>`);
    const [found] = await answers(byOrcid.responseUrl, 1);
    expect(found!.blocks[0].text.text).toBe("Marta Quillfeather");
  });

  it("answers kindly when OpenAlex is down, and still answers for researchers already here", async () => {
    const live = h.core.live;
    h.core.live = liveLookupFor(h.core, "http://127.0.0.1:9").live;
    try {
      const down = await h.command("Zebedee Nobody");
      const [, reply] = await answers(down.responseUrl, 2);
      expect(reply!.text).toMatch(/cannot be reached right now/);
      const local = await h.command("Jonathan Frankle");
      const [card] = await answers(local.responseUrl, 1);
      expect(card!.blocks[0].text.text).toBe("Jonathan Frankle");
    } finally {
      h.core.live = live;
    }
  });

  it("refuses politely once the day's OpenAlex budget is spent", async () => {
    const live = h.core.live;
    h.core.live = liveLookupFor(h.core, openalex.url, { dailyBudgetUsd: 0 }).live;
    try {
      const res = await h.command("Zebedee Quillfeather");
      const [, reply] = await answers(res.responseUrl, 2);
      expect(reply!.text).toMatch(/used today's OpenAlex allowance/);
      expect(searches()).toHaveLength(0);
    } finally {
      h.core.live = live;
    }
  });

  it("shows a workspace admin today's OpenAlex requests and spend by kind, only to them, and refuses anyone else", async () => {
    await h.command("Zebedee Quillfeather Usage").then((r) => answers(r.responseUrl, 2));
    const usage = await h.core.live.directory!.usage();
    expect(usage.requests.search).toBeGreaterThan(0);

    h.slack.users.set("U0USAGEADMIN", { is_admin: true, name: "admin" });
    const res = await h.command("usage", { user_id: "U0USAGEADMIN", user_name: "admin" });
    expect(res.status).toBe(200);
    const [reply] = await answers(res.responseUrl, 1);
    expect(reply!.response_type).toBe("ephemeral");
    expect(reply!.blocks[0]).toMatchObject({ type: "header", text: { text: `OpenAlex usage on ${usage.day} (UTC)` } });
    const text = JSON.stringify(reply!.blocks);
    expect(text).toContain(`Searches ($1 per 1,000)`);
    // What OpenAlex's own rate-limit headers said of the key, beside Peerlink's count.
    expect(text).toMatch(/OpenAlex reports.*\$0\.\d{2,4} left of this key's \$1\.00 today \(at \d{2}:\d{2} UTC\)/);
    expect(text).toContain(`${usage.requests.search} request`);
    expect(text).toContain(`of $1.00`);

    const member = await h.command("usage");
    const [refused] = await answers(member.responseUrl, 1);
    expect(refused!.response_type).toBe("ephemeral");
    expect(refused!.text).toMatch(/Only workspace admins can see the OpenAlex usage/);
  });
});
