import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buttonCustomId, formCustomId, parseButtonCustomId, parseFormCustomId } from "../../../src/adapters/discord/customIds.js";
import { buttonRows, fit, fitEmbeds, LIMITS, renderMessage, renderModal } from "../../../src/adapters/discord/render.js";
import type { Action, Card, Form, List } from "../../../src/core/reply.js";
import { notice } from "../../../src/core/reply.js";
import { workItem } from "../../../src/core/profiles/profileCard.js";

const size = (e: { title?: string; description?: string; footer?: { text: string }; fields?: Array<{ name: string; value: string }> }) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

const card = (over: Partial<Card> = {}): Card => ({
  kind: "card",
  title: "Jonathan Frankle",
  fields: [{ label: "Trust", value: "72 · established", inline: true }],
  itemsTitle: "Recent works (1 of 8)",
  items: [{ title: "The Lottery Ticket Hypothesis", meta: "article · 2019 · ICLR", url: "https://arxiv.org/abs/1803.03635" }],
  actions: [{ id: "follow", label: "Follow", value: "7", style: "primary" }],
  ...over,
});

describe("Discord renderer", () => {
  it("escapes user-supplied text for Discord markdown", () => {
    const { embeds } = renderMessage(notice("info", "**bold** _it_ `code` ~~x~~ ||spoiler|| [link](https://evil.example) # head"));
    const text = embeds[0]!.description!;
    expect(text).toContain("\\*\\*bold\\*\\*");
    expect(text).toContain("\\_it\\_");
    expect(text).toContain("\\`code\\`");
    expect(text).toContain("\\|\\|spoiler\\|\\|");
    expect(text).not.toContain("[link](https://evil.example)");
  });

  it("escapes line-start markers (headings, lists, quotes) but not punctuation inside words", () => {
    expect(fit("# Title\n- item\n> quote\n1. first\npre-print snake_case", 200)).toBe(
      "\\# Title\n\\- item\n\\> quote\n1\\. first\npre-print snake\\_case",
    );
  });

  it("leaves mentions as text (allowed_mentions stops the ping) and strips control characters", () => {
    expect(fit("hi @everyone <@123>\u0007", 100)).toBe("hi @everyone <@123>");
  });

  it("fits text in a limit without leaving half an escape", () => {
    const escaped = fit("*".repeat(300), 256);
    expect(escaped.length).toBeLessThanOrEqual(256);
    expect(escaped.replace(/…$/, "")).toMatch(/^(\\\*)+$/);
  });

  it("renders a profile card as one embed with fields, linked recent works and buttons", () => {
    const { embeds, components } = renderMessage(card());
    expect(embeds).toHaveLength(1);
    expect(embeds[0]!.title).toBe("Jonathan Frankle");
    expect(embeds[0]!.fields).toEqual([
      { name: "Trust", value: "72 · established", inline: true },
      { name: "Recent works (1 of 8)", value: "**[The Lottery Ticket Hypothesis](https://arxiv.org/abs/1803.03635)**\narticle · 2019 · ICLR" },
    ]);
    expect(components).toEqual([{ type: 1, components: [{ type: 2, custom_id: "pl:follow:7", label: "Follow", style: 1 }] }]);
  });

  it("enforces title, description, field and footer limits", () => {
    const long = "word ".repeat(3000);
    const list: List = {
      kind: "list",
      title: long,
      intro: long,
      items: Array.from({ length: 40 }, (_, i) => ({ title: `${i} ${long}`, text: long })),
      footer: long,
    };
    const [embed] = renderMessage(list).embeds;
    expect(embed!.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed!.description!.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embed!.footer!.text.length).toBeLessThanOrEqual(LIMITS.footer);
    expect(embed!.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of embed!.fields!) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(size(embed!)).toBeLessThanOrEqual(LIMITS.total);
  });

  it("keeps at most 10 embeds and 6,000 characters across them", () => {
    const big = { title: "t".repeat(256), description: "d".repeat(4096), fields: [{ name: "n".repeat(256), value: "v".repeat(1024) }] };
    const embeds = fitEmbeds(Array.from({ length: 12 }, () => structuredClone(big)));
    expect(embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(embeds.reduce((n, e) => n + size(e), 0)).toBeLessThanOrEqual(LIMITS.total);
  });

  it("lays out at most 5 rows of 5 buttons, labels at most 80 characters, no duplicate or oversized custom ids", () => {
    const actions: Action[] = Array.from({ length: 30 }, (_, i) => ({ id: "follow", label: "L".repeat(120), value: String(i) }));
    actions.push({ id: "follow", label: "again", value: "0" }, { id: "works", label: "too long", value: "9".repeat(120) });
    const rows = buttonRows(actions);
    expect(rows).toHaveLength(5);
    const buttons = rows.flatMap((r) => r.components);
    expect(buttons).toHaveLength(25);
    expect(new Set(buttons.map((b) => b.custom_id)).size).toBe(25);
    for (const b of buttons) {
      expect(b.label!.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
      expect(b.custom_id.length).toBeLessThanOrEqual(100);
    }
  });

  it("names the entry on a list entry's own buttons", () => {
    const list: List = { kind: "list", title: "Pick", items: [{ title: "Ada", actions: [{ id: "lookup", label: "View profile", value: "1" }] }] };
    expect(renderMessage(list).components[0]!.components[0]!.label).toBe("View profile · Ada");
  });

  it("renders a form as a modal whose custom id carries the command and fixed values", () => {
    const form: Form = {
      kind: "form",
      title: "Invite Jonathan Frankle to collaborate — a title longer than Discord allows",
      submitLabel: "Send",
      intro: "They will get a DM.",
      inputs: [{ id: "message", label: "Message", multiline: true, maxLength: 1000, placeholder: "Hi!" }],
      submit: { command: "invite", fixed: { query: "#7" } },
    };
    const modal = renderModal(form)!;
    expect(modal.custom_id).toBe("plf:invite:query=%237");
    expect(parseFormCustomId(modal.custom_id)).toEqual({ command: "invite", fixed: { query: "#7" } });
    expect(modal.title.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(modal.components).toEqual([
      { type: 10, content: "They will get a DM." },
      {
        type: 18,
        label: "Message",
        component: { type: 4, custom_id: "message", style: 2, required: true, max_length: 1000, placeholder: "Hi!" },
      },
    ]);
    expect(renderModal({ ...form, submit: { command: "invite", fixed: { query: "x".repeat(100) } } })).toBeNull();
  });

  it("round-trips button custom ids and refuses ones over 100 characters", () => {
    expect(parseButtonCustomId(buttonCustomId({ id: "works", value: "7:2" })!)).toEqual({ actionId: "works", value: "7:2" });
    expect(buttonCustomId({ id: "works", value: "9".repeat(100) })).toBeNull();
    expect(formCustomId({ command: "invite", fixed: { query: "#1" } })).toBe("plf:invite:query=%231");
    expect(parseButtonCustomId("something-else")).toBeNull();
  });
});

describe("Discord renderer: abstracts with TeX", () => {
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
    const list: List = { kind: "list", title: "Works", items: [workItem(summary(diet)), workItem(summary(work("What is the State")))] };
    const text = JSON.stringify(renderMessage(list).embeds);
    expect(text).toContain("is that — after just a few hundred steps of dense training — the method");
    expect(text).toContain("Neural network pruning—the task");
    expect(text).not.toMatch(/unicode|\$|---/);
  });
});

describe("Discord renderer: how a card was found", () => {
  it("leads the embed's description with a card's note", () => {
    const note = "Showing Jonathan Frankle, the closest match to “Jonathon Frankel”.";
    const { embeds } = renderMessage({
      kind: "card",
      note,
      title: "Jonathan Frankle",
      subtitle: "Works on sparsity",
      fields: [],
      items: [],
      actions: [],
    });
    expect(embeds[0]!.description).toBe(`*${fit(note, 300)}*\n\nWorks on sparsity`);
  });
});
