import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, fallbackText, LIMITS, parseActionId, renderBlocks, renderModal } from "../../../src/adapters/slack/render.js";
import type { Card, Form, List } from "../../../src/core/reply.js";
import { notice } from "../../../src/core/reply.js";
import { workItem } from "../../../src/core/profiles/profileCard.js";

const card = (over: Partial<Card> = {}): Card => ({
  kind: "card",
  title: "Jonathan Frankle",
  subtitle: "Works on neural network sparsity",
  url: "https://openalex.org/A5011233049",
  fields: [
    { label: "Trust", value: "72 · established", inline: true },
    { label: "Verification", value: "Matched to ORCID", inline: true },
    { label: "Claim", value: "Unclaimed author", inline: true },
    { label: "Counts", value: "8 works · 2 followers" },
  ],
  itemsTitle: "Recent works (3 of 8)",
  items: [{ title: "The Lottery Ticket Hypothesis", meta: "article · 2019 · ICLR", text: "We find that…", url: "https://arxiv.org/abs/1803.03635" }],
  context: "Claim this author record to unlock invitations.",
  actions: [
    { id: "follow", label: "Follow", value: "1", style: "primary" },
    { id: "works", label: "More works", value: "1:1" },
  ],
  ...over,
});

type AnyBlock = Record<string, any>;
const allText = (blocks: AnyBlock[]) => JSON.stringify(blocks);

describe("Block Kit renderer", () => {
  it("renders a card as header, fields, works, context and buttons carrying the core action", () => {
    const blocks = renderBlocks(card()) as AnyBlock[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text", text: "Jonathan Frankle" } });
    const fields = blocks.find((b) => b.type === "section" && b.fields);
    expect(fields!.fields.map((f: AnyBlock) => f.text)).toEqual([
      "*Trust*\n72 · established",
      "*Verification*\nMatched to ORCID",
      "*Claim*\nUnclaimed author",
    ]);
    expect(allText(blocks)).toContain("<https://arxiv.org/abs/1803.03635|The Lottery Ticket Hypothesis>");
    expect(blocks.some((b) => b.type === "context")).toBe(true);
    const actions = blocks.at(-1)!;
    expect(actions.type).toBe("actions");
    expect(actions.elements.map((e: AnyBlock) => [parseActionId(e.action_id), e.value, e.style])).toEqual([
      ["follow", "1", "primary"],
      ["works", "1:1", undefined],
    ]);
  });

  it("escapes &, < and > in user text so nobody can ping the channel or hide a link", () => {
    const blocks = renderBlocks(card({ subtitle: "<!channel> & <https://evil.example|click>", items: [{ title: "<@U123> hi", text: "a > b" }] }));
    const text = allText(blocks);
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    expect(text).toContain("&lt;@U123&gt; hi");
    expect(escapeMrkdwn("a&b<c>d")).toBe("a&amp;b&lt;c&gt;d");
  });

  it("never renders more than 50 blocks and says how many works were left out", () => {
    const items = Array.from({ length: 80 }, (_, i) => ({ title: `Work ${i}`, text: "abstract" }));
    const blocks = renderBlocks(card({ items })) as AnyBlock[];
    expect(blocks).toHaveLength(LIMITS.blocks);
    expect(blocks.at(-1)!.type).toBe("actions"); // the buttons survive truncation
    expect(allText(blocks)).toMatch(/and \d+ more not shown/);
  });

  it("cuts section text at 3,000 characters even after escaping", () => {
    const long = "<".repeat(5000);
    const blocks = renderBlocks(notice("info", long)) as AnyBlock[];
    expect(blocks[0]!.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(blocks[0]!.text.text).toMatch(/(&lt;){500,}…$/); // cut between entities, never inside one
    const list: List = { kind: "list", title: "x", items: [{ title: "t", text: "&".repeat(9000) }] };
    for (const b of renderBlocks(list) as AnyBlock[]) if (b.text?.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
  });

  it("cuts a header at 150 characters and a button label at 75", () => {
    const blocks = renderBlocks(card({ title: "N".repeat(400), actions: [{ id: "follow", label: "L".repeat(200), value: "1" }] })) as AnyBlock[];
    expect(blocks[0]!.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(blocks.at(-1)!.elements[0].text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
  });

  it("puts at most 10 fields in a section and at most 2,000 characters in a field", () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: "v".repeat(3000), inline: true }));
    const sections = (renderBlocks(card({ fields })) as AnyBlock[]).filter((b) => b.fields);
    expect(sections.map((s) => s.fields.length)).toEqual([10, 10, 3]);
    for (const s of sections) for (const f of s.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
  });

  it("splits more than 25 buttons over several action rows and drops values Slack would reject", () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({ id: "lookup" as const, label: `P${i}`, value: String(i) }));
    actions.push({ id: "lookup", label: "too big", value: "x".repeat(2001) });
    const rows = (renderBlocks(card({ actions, items: [] })) as AnyBlock[]).filter((b) => b.type === "actions");
    expect(rows.map((r) => r.elements.length)).toEqual([25, 5]);
    const ids = rows.flatMap((r) => r.elements.map((e: AnyBlock) => e.action_id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("renders a form as a modal that remembers its command and fixed input", () => {
    const form: Form = {
      kind: "form",
      title: "Invite Jonathan Frankle to collaborate",
      submitLabel: "Send invitation",
      intro: "Say what you'd like to work on.",
      inputs: [{ id: "message", label: "Message", multiline: true, maxLength: 1000, initial: "Hi" }],
      submit: { command: "invite", fixed: { query: "#1" } },
    };
    const view = renderModal(form, { command: "invite", fixed: { query: "#1" }, channelId: "C1" }) as AnyBlock;
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(view.callback_id).toBe("peerlink_form");
    expect(JSON.parse(view.private_metadata)).toEqual({ command: "invite", fixed: { query: "#1" }, channelId: "C1" });
    const input = view.blocks.find((b: AnyBlock) => b.type === "input");
    expect(input).toMatchObject({
      block_id: "message",
      element: { type: "plain_text_input", max_length: 1000, multiline: true, initial_value: "Hi" },
    });
  });

  it("gives notifications a plain fallback text", () => {
    expect(fallbackText(card())).toBe("Jonathan Frankle");
    expect(fallbackText(notice("info", "a <b>"))).toBe("a &lt;b&gt;");
  });
});

describe("Block Kit renderer: abstracts with TeX", () => {
  // The demo's real abstracts, as arXiv gives them.
  const demo = JSON.parse(readFileSync("src/sources/demo/reference-profile.json", "utf8")) as { works: { title: string; abstract: string }[] };
  const work = (title: string) => demo.works.find((w) => w.title.startsWith(title))!;
  const summary = (w: { title: string; abstract: string }) => ({
    id: 1,
    type: "preprint",
    year: 2022,
    venue: "arXiv",
    title: w.title,
    abstract: w.abstract,
    doi: null,
    arxivId: null,
    openalexId: null,
  });

  it("shows $\\unicode{x2014}$ as a dash and TeX's --- as an em dash", () => {
    const diet = work("Lottery Tickets on a Data Diet");
    expect(diet.abstract).toContain("$\\unicode{x2014}$");
    const text = allText(renderBlocks(card({ items: [workItem(summary(diet)), workItem(summary(work("What is the State")))] })));
    expect(text).toContain("is that — after just a few hundred steps of dense training — the method");
    expect(text).toContain("Neural network pruning—the task");
    expect(text).not.toMatch(/unicode|\$|---/);
  });
});

describe("Block Kit renderer: how a card was found", () => {
  it("puts a card's note above its header", () => {
    const blocks = renderBlocks(card({ note: "Showing Jonathan Frankle, the closest match to “Jonathon Frankel”." })) as AnyBlock[];
    expect(blocks[0]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Showing Jonathan Frankle, the closest match to “Jonathon Frankel”." }],
    });
    expect(blocks[1]).toMatchObject({ type: "header" });
  });
});
