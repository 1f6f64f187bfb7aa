// Renders the reply model as Discord embeds, buttons and modals, and enforces Discord's limits here
// so nothing else has to: a message Discord would reject is a reply the user never sees.
// All text from the core (names, titles, abstracts, user input) is plain text, so it is escaped for
// Discord markdown; mentions are neutralised separately with allowed_mentions on every send.
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackComponent,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import {
  type Action,
  type Card,
  type Dashboard,
  type Form,
  type List,
  type Notice,
  type Picture,
  pictureOf,
  type Reply,
  truncate,
} from "../../core/reply.js";
import { buttonCustomId, formCustomId } from "./customIds.js";

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits and component limits. */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
  embeds: 10,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  inputPlaceholder: 100,
  inputValue: 4000,
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface DiscordMessage {
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** A picture the embed shows as `attachment://<filename>`; the sender attaches its PNG. */
  picture?: Picture;
  /** Message text naming the people to @-mention (`<@id>`), and their ids for allowed_mentions: no one else is pinged. */
  content?: string;
  mentionUsers?: string[];
}

/** Attachment names are referenced from the embed, so keep them to safe characters. */
export const attachmentName = (p: Picture) => p.filename.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) || "picture.png";

const COLOR = { card: 0x2b6cb0, list: 0x4a5568, info: 0x5865f2, success: 0x57f287, warning: 0xfee75c, error: 0xed4245 };
const ICON: Record<Notice["level"], string> = { info: "ℹ️", success: "✅", warning: "⚠️", error: "❌" };
const EMPTY = "—";
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Escapes plain text for Discord markdown. discord.js's escapeMarkdown pairs up markers (so a run
 * like "***" comes out partly unescaped) and leaves masked links alone; escaping every marker
 * character is simpler and total, and Discord shows an escaped punctuation mark as the mark itself.
 */
export function escapeText(raw: string): string {
  return (
    raw
      .replace(CONTROL, "")
      .replace(/[\\*_~`|[\]]/g, "\\$&")
      .replace(/^(\s*)([#>-])/gm, "$1\\$2")
      // Only punctuation can be escaped, so a numbered list is broken at its dot: "1\." not "\1.".
      .replace(/^(\s*\d+)\./gm, "$1\\.")
  );
}

/** Escapes `raw` and fits it in `max` characters (ending in "…"), never splitting an escape. */
export function fit(raw: string, max: number): string {
  const whole = escapeText(raw);
  if (whole.length <= max) return whole;
  // The longest shortened prefix whose escaped form fits.
  let lo = 0;
  let hi = Math.min(raw.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeText(truncate(raw, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? escapeText(truncate(raw, lo)) : "…".slice(0, max);
}

/** A URL safe to put in a markdown link or an embed url (http(s) only, parentheses encoded). */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return url.replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/** Joins already-escaped lines, stopping (with a count of what was left out) before `max`. */
function joinWithin(lines: string[], max: number, separator = "\n"): string {
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const next = out ? `${out}${separator}${lines[i]}` : lines[i]!;
    const more = `${separator}…and ${lines.length - i} more`;
    if (next.length > max || (i < lines.length - 1 && next.length + more.length > max && out.length + more.length <= max)) {
      return out ? out + more.slice(0, max - out.length) : fit(lines[i]!, max);
    }
    out = next;
  }
  return out;
}

function itemLine(item: { title: string; url?: string; meta?: string }): string {
  const url = safeUrl(item.url);
  const title = fit(item.title, 300);
  const head = url ? `**[${title}](${url})**` : `**${title}**`;
  return item.meta ? `${head}\n${fit(item.meta, 200)}` : head;
}

function renderCard(card: Card): APIEmbed {
  const fields: APIEmbedField[] = card.fields.map((f) => ({
    name: fit(f.label, LIMITS.fieldName),
    value: fit(f.value, LIMITS.fieldValue) || EMPTY,
    inline: f.inline ?? false,
  }));
  if (card.itemsTitle) {
    fields.push({
      name: fit(card.itemsTitle, LIMITS.fieldName),
      value: card.items.length ? joinWithin(card.items.map(itemLine), LIMITS.fieldValue) : EMPTY,
    });
  }
  return {
    title: fit(card.title, LIMITS.title),
    url: safeUrl(card.url),
    // The note says how the card was found, so it leads: "Showing X, the closest match to …".
    description:
      [card.note && `*${fit(card.note, 300)}*`, card.subtitle && fit(card.subtitle, LIMITS.description - (card.note ? 320 : 0))]
        .filter(Boolean)
        .join("\n\n") || undefined,
    color: COLOR.card,
    fields,
    footer: card.context ? { text: fit(card.context, LIMITS.footer) } : undefined,
    image: card.picture ? { url: `attachment://${attachmentName(card.picture)}` } : undefined,
  };
}

function renderList(list: List): APIEmbed {
  const shown = list.items.length > LIMITS.fields ? list.items.slice(0, LIMITS.fields - 1) : list.items;
  const fields: APIEmbedField[] = shown.map((item) => {
    const url = safeUrl(item.url);
    const parts = [item.meta && `*${fit(item.meta, 300)}*`, item.text && fit(item.text, 900), url && `[Link](${url})`].filter(Boolean);
    return { name: fit(item.title, LIMITS.fieldName), value: joinWithin(parts as string[], LIMITS.fieldValue) || EMPTY };
  });
  if (shown.length < list.items.length) fields.push({ name: `…and ${list.items.length - shown.length} more`, value: EMPTY });
  return {
    title: fit(list.title, LIMITS.title),
    description: list.intro ? fit(list.intro, LIMITS.description) : undefined,
    color: COLOR.list,
    fields,
    footer: list.footer ? { text: fit(list.footer, LIMITS.footer) } : undefined,
    image: list.picture ? { url: `attachment://${attachmentName(list.picture)}` } : undefined,
  };
}

function renderNotice(n: Notice): APIEmbed {
  return {
    description: `${ICON[n.level]} ${fit(n.text, LIMITS.description - 4)}`,
    color: COLOR[n.level],
    footer: n.ref ? { text: `Reference: ${fit(n.ref, 100)}` } : undefined,
  };
}

/** A form outside an interaction (e.g. sent as a DM) cannot open a modal: show what it asks for. */
function renderFormAsEmbed(form: Form): APIEmbed {
  return {
    title: fit(form.title, LIMITS.title),
    description: fit(form.intro ?? "Use the button or command to answer this.", LIMITS.description),
    color: COLOR.info,
  };
}

const embedSize = (e: APIEmbed) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.author?.name.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** Keeps at most 10 embeds and 6,000 characters across them: drops fields from the end, then shortens descriptions. */
export function fitEmbeds(input: APIEmbed[]): APIEmbed[] {
  const embeds = input.slice(0, LIMITS.embeds).map((e) => ({ ...e, fields: e.fields?.slice(0, LIMITS.fields) }));
  const total = () => embeds.reduce((n, e) => n + embedSize(e), 0);
  for (let i = embeds.length - 1; i >= 0 && total() > LIMITS.total; i--) {
    const e = embeds[i]!;
    while (e.fields?.length && total() > LIMITS.total) e.fields.pop();
    const over = total() - LIMITS.total;
    if (over > 0 && e.description) {
      const keep = e.description.length - over - 1;
      e.description = keep > 0 ? `${e.description.slice(0, keep).replace(/\\+$/, "")}…` : undefined;
    }
  }
  while (embeds.length > 1 && total() > LIMITS.total) embeds.pop();
  return embeds;
}

const STYLE: Record<NonNullable<Action["style"]> | "default", ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/**
 * Buttons in rows of five, at most five rows. Buttons whose custom_id would be too long or repeat
 * an earlier one (Discord rejects duplicates in one message) are left out.
 */
export function buttonRows(actions: Array<Action & { context?: string }>): ButtonRow[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const a of actions) {
    const customId = buttonCustomId(a);
    if (!customId || seen.has(customId)) continue;
    if (buttons.length === LIMITS.rows * LIMITS.buttonsPerRow) break;
    seen.add(customId);
    const label = a.context ? `${a.label} · ${a.context}` : a.label;
    buttons.push({ type: ComponentType.Button, custom_id: customId, label: truncate(label, LIMITS.buttonLabel), style: STYLE[a.style ?? "default"] });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** A section's name for its buttons: its title without the count ("Researchers you follow (7)"). */
const sectionName = (list: List) => list.title.replace(/\s*\(\d+\)$/, "");

/**
 * A dashboard's buttons: every section's paging first (named by section, since each has a More),
 * then the entries' own, section by section, as many as Discord's 25 allow.
 */
function dashboardActions(d: Dashboard): Array<Action & { context?: string }> {
  const paging = d.sections.flatMap((s) => (s.actions ?? []).map((a) => ({ ...a, context: sectionName(s) })));
  const entries = d.sections.flatMap((s) => s.items.flatMap((i) => (i.actions ?? []).map((a) => ({ ...a, context: i.title }))));
  return [...paging, ...entries];
}

/** Every button of a reply; an entry's own buttons name the entry, since several may share a label. */
function actionsOf(reply: Reply): Array<Action & { context?: string }> {
  if (reply.kind === "form") return [];
  if (reply.kind === "dashboard") return dashboardActions(reply);
  if (reply.kind === "notice") return reply.actions ?? [];
  const itemActions = reply.items.flatMap((i) => (i.actions ?? []).map((a) => ({ ...a, context: i.title })));
  return reply.kind === "list" ? [...itemActions, ...(reply.actions ?? [])] : [...reply.actions, ...itemActions];
}

/** A dashboard: its title and intro, then one embed per section (ten embeds at most in a message). */
function renderDashboard(d: Dashboard): APIEmbed[] {
  const head: APIEmbed = {
    title: fit(d.title, LIMITS.title),
    description: d.intro ? fit(d.intro, LIMITS.description) : undefined,
    color: COLOR.info,
  };
  return [head, ...d.sections.slice(0, LIMITS.embeds - 1).map(renderList)];
}

function embedsOf(reply: Reply): APIEmbed[] {
  switch (reply.kind) {
    case "card":
      return [renderCard(reply)];
    case "list":
      return [renderList(reply)];
    case "notice":
      return [renderNotice(reply)];
    case "form":
      return [renderFormAsEmbed(reply)];
    case "dashboard":
      return renderDashboard(reply);
  }
}

/** A message for a reply: embeds within Discord's limits plus its buttons. */
export function renderMessage(reply: Reply): DiscordMessage {
  const picture = pictureOf(reply);
  // Discord snowflakes only: anything else in a mention list is left out rather than sent as text.
  const mentionUsers = reply.kind === "card" ? (reply.mentions ?? []).filter((id) => /^\d{15,21}$/.test(id)) : [];
  return {
    embeds: fitEmbeds(embedsOf(reply)),
    components: buttonRows(actionsOf(reply)),
    ...(picture ? { picture } : {}),
    ...(mentionUsers.length ? { content: `Authors here: ${mentionUsers.map((id) => `<@${id}>`).join(", ")}`, mentionUsers } : {}),
  };
}

/** A modal for a form, or null when its command and fixed values do not fit in a custom_id. */
export function renderModal(form: Form): APIModalInteractionResponseCallbackData | null {
  const customId = formCustomId(form.submit);
  if (!customId) return null;
  const inputs = form.inputs.slice(0, LIMITS.modalInputs);
  const components: APIModalInteractionResponseCallbackComponent[] = [];
  if (form.intro && inputs.length < LIMITS.modalInputs) {
    components.push({ type: ComponentType.TextDisplay, content: fit(form.intro, 1000) });
  }
  for (const input of inputs) {
    components.push({
      type: ComponentType.Label,
      label: truncate(input.label, LIMITS.inputLabel),
      component: {
        type: ComponentType.TextInput,
        custom_id: input.id,
        style: input.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: !input.optional,
        max_length: Math.min(Math.max(1, input.maxLength), LIMITS.inputValue),
        ...(input.placeholder ? { placeholder: truncate(input.placeholder, LIMITS.inputPlaceholder) } : {}),
        ...(input.initial ? { value: input.initial.slice(0, LIMITS.inputValue) } : {}),
      },
    });
  }
  return { custom_id: customId, title: truncate(form.title, LIMITS.modalTitle), components };
}
