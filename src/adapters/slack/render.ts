// Renders the reply model as Block Kit. Every Block Kit limit is enforced here, by truncating or
// dropping what does not fit, and every piece of user or database text is escaped for mrkdwn.
import type { types } from "@slack/bolt";
import type { Home, HomePages } from "../../core/home/HomeService.js";
import type { Action, ActionId, Card, Dashboard, Form, Item, List, Notice, Reply } from "../../core/reply.js";
import { truncate } from "../../core/reply.js";

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type ModalView = types.ModalView;
type HomeView = types.HomeView;

/** Block Kit limits (https://api.slack.com/reference/block-kit). */
export const LIMITS = {
  blocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  placeholder: 150,
  inputMaxLength: 3000,
  privateMetadata: 3000,
  fallbackText: 3000,
} as const;

/** Prefix of every action_id Peerlink renders: `pl:<ActionId>:<n>` (n keeps ids unique within a block). */
export const ACTION_PREFIX = "pl:";
export const ACTION_PATTERN = /^pl:/;
export const FORM_CALLBACK_ID = "peerlink_form";
/** Modal inputs use the form input id as block_id and this as action_id. */
export const INPUT_ACTION_ID = "value";

/** Escapes the three characters mrkdwn gives meaning to, so `<!channel>` or `<http://x|y>` stays text. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Truncates, escapes, and if escaping made it too long, cuts again without splitting an entity. */
const safe = (text: string, max: number) => {
  const out = escapeMrkdwn(truncate(text, max));
  if (out.length <= max) return out;
  return `${out.slice(0, max - 1).replace(/&[a-z]{0,3}$/, "")}…`;
};

/** Only http(s) links are rendered; `|` and `>` would end the link early, so they are encoded. */
function link(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url) || url.length > 1000) return label;
  return `<${url.replace(/\|/g, "%7C").replace(/>/g, "%3E").replace(/</g, "%3C")}|${label}>`;
}

export function actionIdOf(id: ActionId, index: number): string {
  return `${ACTION_PREFIX}${id}:${index}`;
}

/** Reads the core ActionId back from an action_id rendered by `button`. */
export function parseActionId(actionId: string): string | null {
  const m = /^pl:([a-z_]+):\d+$/.exec(actionId);
  return m ? m[1]! : null;
}

function button(a: Action, index: number): Button | null {
  if (a.value.length > LIMITS.buttonValue) return null; // a cut value would act on the wrong thing
  return {
    type: "button",
    action_id: actionIdOf(a.id, index),
    text: { type: "plain_text", text: truncate(a.label, LIMITS.buttonText), emoji: true },
    value: a.value,
    ...(a.style ? { style: a.style } : {}),
  };
}

function actionBlocks(actions: Action[] | undefined, start = 0): KnownBlock[] {
  const buttons = (actions ?? []).map((a, i) => button(a, start + i)).filter((b): b is Button => b !== null);
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    blocks.push({ type: "actions", elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  return blocks;
}

const header = (text: string): KnownBlock => ({
  type: "header",
  text: { type: "plain_text", text: truncate(text || " ", LIMITS.headerText), emoji: true },
});
const section = (mrkdwn: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: mrkdwn.slice(0, LIMITS.sectionText) || " " } });
const context = (mrkdwn: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: mrkdwn.slice(0, LIMITS.contextText) }] });

/** One work or search result: a section, plus its own buttons (one as an accessory, more as a row). */
function itemBlocks(item: Item, firstActionIndex: number): KnownBlock[] {
  const titleBudget = 300;
  const lines = [`*${link(item.url, safe(item.title, titleBudget))}*`];
  if (item.meta) lines.push(`_${safe(item.meta, 300)}_`);
  const used = lines.join("\n").length + 1;
  if (item.text) lines.push(safe(item.text, LIMITS.sectionText - used));
  const block = section(lines.join("\n")) as types.SectionBlock;
  const actions = item.actions ?? [];
  if (actions.length === 1) {
    const b = button(actions[0]!, firstActionIndex);
    if (b) block.accessory = b;
    return [block];
  }
  return [block, ...actionBlocks(actions, firstActionIndex)];
}

function fieldBlocks(fields: Card["fields"]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let row: types.MrkdwnElement[] = [];
  const flush = () => {
    if (row.length) blocks.push({ type: "section", fields: row });
    row = [];
  };
  for (const f of fields) {
    const label = `*${safe(f.label, 100)}*\n`;
    const text = label + safe(f.value, LIMITS.fieldText - label.length);
    if (!f.inline) {
      // a wide field gets its own line, after whatever side-by-side fields came before it
      flush();
      blocks.push(section(text));
      continue;
    }
    row.push({ type: "mrkdwn", text });
    if (row.length === LIMITS.fields) flush();
  }
  flush();
  return blocks;
}

/**
 * Fits head + items + tail into `max` blocks: the header and the message's own buttons always stay;
 * items are dropped from the end, with a line saying how many are not shown.
 */
function fit(head: KnownBlock[], items: KnownBlock[][], tail: KnownBlock[], max: number): KnownBlock[] {
  const fixed = head.length + tail.length;
  let kept = items.length;
  const size = (n: number) => items.slice(0, n).reduce((s, b) => s + b.length, 0);
  while (kept > 0 && fixed + size(kept) + (kept < items.length ? 1 : 0) > max) kept--;
  const more = items.length - kept;
  const body = items.slice(0, kept).flat();
  if (more > 0) body.push(context(`…and ${more} more not shown here.`));
  return [...head, ...body, ...tail].slice(0, max);
}

/** A card's mentions as Slack writes them (`<@U123>`); ids that are not Slack user ids are left out, never sent as text. */
function mentionsOf(c: Card): string {
  return (c.mentions ?? [])
    .filter((id) => /^[UW][A-Z0-9]{2,20}$/.test(id))
    .map((id) => `<@${id}>`)
    .join(", ");
}

function renderCard(c: Card, max: number): KnownBlock[] {
  const head: KnownBlock[] = [...(c.note ? [context(safe(c.note, LIMITS.contextText))] : []), header(c.title)];
  const sub = [c.subtitle ? safe(c.subtitle, LIMITS.sectionText - 200) : "", c.url ? link(c.url, "View full profile") : ""].filter(Boolean);
  if (sub.length) head.push(section(sub.join("\n")));
  const mentions = mentionsOf(c);
  if (mentions) head.push(section(`Authors here: ${mentions}`));
  head.push(...fieldBlocks(c.fields));
  let index = c.actions.length;
  const items = c.items.map((i) => {
    const blocks = itemBlocks(i, index);
    index += i.actions?.length ?? 0;
    return blocks;
  });
  if (c.itemsTitle) head.push({ type: "divider" }, section(`*${safe(c.itemsTitle, 500)}*`));
  const tail: KnownBlock[] = [];
  if (c.context) tail.push(context(safe(c.context, LIMITS.contextText)));
  tail.push(...actionBlocks(c.actions));
  return fit(head, items, tail, max);
}

function renderList(l: List, max: number): KnownBlock[] {
  const head: KnownBlock[] = [header(l.title)];
  if (l.intro) head.push(section(safe(l.intro, LIMITS.sectionText)));
  let index = l.actions?.length ?? 0;
  const items = l.items.map((i) => {
    const blocks = itemBlocks(i, index);
    index += i.actions?.length ?? 0;
    return blocks;
  });
  const tail: KnownBlock[] = [];
  if (l.footer) tail.push(context(safe(l.footer, LIMITS.contextText)));
  tail.push(...actionBlocks(l.actions));
  return fit(head, items, tail, max);
}

const LEVEL_EMOJI: Record<Notice["level"], string> = {
  info: ":information_source:",
  success: ":white_check_mark:",
  warning: ":warning:",
  error: ":x:",
};

function renderNotice(n: Notice, max: number): KnownBlock[] {
  const prefix = `${LEVEL_EMOJI[n.level]} `;
  const blocks = [section(prefix + safe(n.text, LIMITS.sectionText - prefix.length))];
  return [...blocks, ...actionBlocks(n.actions)].slice(0, max);
}

/** A form shown as a message (where no modal can open): its intro and how to use it. */
function renderFormAsMessage(f: Form): KnownBlock[] {
  return [header(f.title), ...(f.intro ? [section(safe(f.intro, LIMITS.sectionText))] : [])];
}

/** Blocks for a message (max 50) or a Home tab (pass LIMITS.homeBlocks). */
export function renderBlocks(reply: Reply, max: number = LIMITS.blocks): KnownBlock[] {
  switch (reply.kind) {
    case "card":
      return renderCard(reply, max);
    case "list":
      return renderList(reply, max);
    case "notice":
      return renderNotice(reply, max);
    case "form":
      return renderFormAsMessage(reply);
    case "dashboard":
      return renderDashboard(reply, max);
  }
}

/** Plain fallback text: shown in notifications and by clients that cannot draw blocks. */
export function fallbackText(reply: Reply): string {
  const text = reply.kind === "notice" ? reply.text : reply.title;
  // The push notification names the people mentioned, so they see it is about them.
  const mentions = reply.kind === "card" ? mentionsOf(reply) : "";
  return mentions ? `${mentions}: ${safe(text, LIMITS.fallbackText - mentions.length - 2)}` : safe(text, LIMITS.fallbackText);
}

/** A message's text and blocks; `note` (e.g. where a picture went) is added as a last context line. */
export function renderMessage(reply: Reply, note?: string): { text: string; blocks: KnownBlock[] } {
  if (!note) return { text: fallbackText(reply), blocks: renderBlocks(reply) };
  return { text: fallbackText(reply), blocks: [...renderBlocks(reply, LIMITS.blocks - 1), context(safe(note, LIMITS.contextText))] };
}

/** What a modal carries between opening and submission (Slack's private_metadata). */
export interface FormMetadata {
  command: string;
  fixed: Record<string, string>;
  /** Where to post the outcome once the modal closes. */
  channelId?: string;
  responseUrl?: string;
}

const plain = (text: string, max: number) => ({ type: "plain_text" as const, text: truncate(text || " ", max), emoji: true });

export function renderModal(form: Form, meta: FormMetadata): ModalView {
  let privateMetadata = JSON.stringify(meta);
  // a response_url is a convenience; the command and its fixed input are not
  if (privateMetadata.length > LIMITS.privateMetadata) privateMetadata = JSON.stringify({ ...meta, responseUrl: undefined });
  if (privateMetadata.length > LIMITS.privateMetadata) throw new Error(`form metadata exceeds ${LIMITS.privateMetadata} characters`);
  const blocks: KnownBlock[] = [];
  if (form.intro) blocks.push(section(safe(form.intro, LIMITS.sectionText)));
  for (const input of form.inputs) {
    blocks.push({
      type: "input",
      block_id: input.id,
      optional: Boolean(input.optional),
      label: plain(input.label, LIMITS.inputLabel),
      element: {
        type: "plain_text_input",
        action_id: INPUT_ACTION_ID,
        multiline: Boolean(input.multiline),
        max_length: Math.min(input.maxLength, LIMITS.inputMaxLength),
        ...(input.initial ? { initial_value: input.initial.slice(0, Math.min(input.maxLength, LIMITS.inputMaxLength)) } : {}),
        ...(input.placeholder ? { placeholder: plain(input.placeholder, LIMITS.placeholder) } : {}),
      },
    });
  }
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submitLabel, LIMITS.modalButton),
    close: plain("Cancel", LIMITS.modalButton),
    private_metadata: privateMetadata,
    blocks: blocks.slice(0, 100),
  };
}

/** A modal that only shows a reply (e.g. why a submission could not be accepted). */
export function renderResultModal(title: string, reply: Reply): ModalView {
  const blocks = renderBlocks(reply).filter((b) => b.type !== "actions");
  return { type: "modal", title: plain(title, LIMITS.modalTitle), close: plain("Close", LIMITS.modalButton), blocks };
}

/** A dashboard: a header, the intro, then each section as a list, sharing `max` blocks between them. */
function renderDashboard(d: Dashboard, max: number): KnownBlock[] {
  const blocks: KnownBlock[] = [header(d.title), ...(d.intro ? [section(safe(d.intro, LIMITS.sectionText))] : [])];
  d.sections.forEach((list, i) => {
    const room = max - blocks.length - 1;
    if (room < 3) return;
    // leave each later section room for at least its header and one line
    const share = Math.max(3, Math.floor(room / (d.sections.length - i)));
    blocks.push({ type: "divider" }, ...renderList(list, share));
  });
  return blocks.slice(0, max);
}

/** The App Home tab: the dashboard in up to 100 blocks. */
export function renderHome(home: Home, pages: HomePages = {}): HomeView {
  // the pages shown travel with the view (the buttons' values carry them too)
  return { type: "home", private_metadata: JSON.stringify(pages), blocks: renderDashboard(home, LIMITS.homeBlocks) };
}
