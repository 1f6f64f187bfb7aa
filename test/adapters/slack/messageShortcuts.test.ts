// Message shortcuts through the real Bolt app: Slack posts a signed message_action payload to
// /slack/events; the answer (cards with Follow and Invite) comes back privately via response_url.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleText } from "../contract/runContract.js";
import { buttonPress, messageShortcut, type SlackHarness, startSlackHarness } from "./slackHarness.js";

const ORCID = "0000-0002-1825-0097";
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.tdb.db.researcher.update({ where: { id: h.researcherId }, data: { orcid: ORCID } });
});
afterAll(() => h?.close());

type Button = { action_id?: string; value?: string; text?: { text: string } };
type Block = { type: string; elements?: Button[]; accessory?: Button };
/** Buttons in action rows and beside sections (an entry with one button carries it as an accessory). */
const buttons = (blocks: Block[]) => blocks.flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : b.accessory?.action_id ? [b.accessory] : []));

async function shortcut(callbackId: string, text: string) {
  const responseUrl = h.slack.responseUrl();
  const res = await h.interaction(messageShortcut(callbackId, { text }, responseUrl));
  expect(res.status).toBe(200);
  const reply = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)), 10_000);
  return reply.body as { response_type?: string; blocks: Block[]; text: string };
}

describe("Find researchers in this message (message shortcut)", () => {
  it("turns every arXiv id, ORCID iD and known name in the message into a card with Follow and Invite, privately", async () => {
    const reply = await shortcut(
      "find_researchers",
      `Reading group tomorrow: <https://arxiv.org/abs/2003.02389|the pruning paper> (arXiv:2003.02389), and ask Jonathan Frankle (ORCID ${ORCID}) about it. Also https://doi.org/10.9999/nobody-has-this.`,
    );
    expect(reply.response_type).toBe("ephemeral");
    const text = visibleText(reply.blocks);
    expect(text).toMatch(/Researchers in this message \(\d+\)/);
    expect(text).toMatch(/Jonathan Frankle/);
    expect(text).toMatch(/author of 2003\.02389/);
    const frankle = buttons(reply.blocks).filter((b) => b.value === String(h.researcherId));
    expect(frankle.map((b) => b.action_id?.split(":")[1])).toEqual(["follow", "watch_claim"]);
    // Each person once, however many identifiers name them.
    expect(text.match(/^Jonathan Frankle$/gm)?.length ?? (text.match(/Jonathan Frankle/g) ?? []).length).toBeGreaterThan(0);
    expect(
      new Set(
        buttons(reply.blocks)
          .filter((b) => b.action_id?.startsWith("pl:follow"))
          .map((b) => b.value),
      ).size,
    ).toBe(buttons(reply.blocks).filter((b) => b.action_id?.startsWith("pl:follow")).length);

    // Follow works from the list like from any card.
    const responseUrl = h.slack.responseUrl();
    await h.interaction(buttonPress("pl:follow:0", String(h.researcherId), responseUrl));
    const followed = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(visibleText(followed.body)).toMatch(/You now follow Jonathan Frankle/);
  });

  it("says so, kindly, when the message names nobody", async () => {
    const reply = await shortcut("find_researchers", "lunch at noon?");
    expect(reply.response_type).toBe("ephemeral");
    expect(visibleText(reply.blocks)).toMatch(/I found no researcher in that message/);
  });

  it("finds the people in a message that holds control characters (read as spaces), with no apology", async () => {
    const reply = await shortcut(
      "find_researchers",
      "ask Jonathan Fran\u0000kle\u001b[31m and Jonathan\u0000 Frankle (arXiv:2003.0\u00002389\u0007, doi:10.1\u0000/x)",
    );
    const text = visibleText(reply.blocks);
    expect(text).not.toMatch(/went wrong|reference/i);
    expect(text).toMatch(/Jonathan Frankle/);
  });
});

describe("Invite the authors of this paper (message shortcut)", () => {
  it("lists the linked paper's authors, each with Invite (or Tell me when they claim, while unclaimed)", async () => {
    const reply = await shortcut("invite_authors", "This one is great: https://arxiv.org/abs/2003.02389");
    const text = visibleText(reply.blocks);
    expect(text).toMatch(/Invite the authors of 2003\.02389/);
    expect(text).toMatch(/Jonathan Frankle/);
    expect(buttons(reply.blocks).every((b) => /^pl:(invite|watch_claim):/.test(b.action_id ?? ""))).toBe(true);
    expect(buttons(reply.blocks).length).toBeGreaterThan(1);
  });

  it("asks for one paper when the message links several, and for a paper when it links none", async () => {
    expect(visibleText((await shortcut("invite_authors", "arXiv:2003.02389 vs arXiv:1912.05671")).blocks)).toMatch(/links several papers/);
    expect(visibleText((await shortcut("invite_authors", "no links here")).blocks)).toMatch(/holds no paper link/);
  });
});
