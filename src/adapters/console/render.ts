// Renders the reply model as plain terminal text. Text from the database or users is stripped of
// control characters so nothing can move the cursor or recolour the terminal.
import type { Action, Card, Dashboard, Form, Item, List, Notice, Reply } from "../../core/reply.js";

export const clean = (s: string) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "");
const indent = (s: string, by: string) =>
  s
    .split("\n")
    .map((l) => by + l)
    .join("\n");

const LEVEL_MARK: Record<Notice["level"], string> = { info: "ℹ", success: "✓", warning: "!", error: "✗" };

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  for (const para of clean(text).split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.join("\n");
}

function item(i: Item, index?: number): string {
  const lines = [`${index === undefined ? "•" : `${index}.`} ${clean(i.title)}`];
  if (i.meta) lines.push(`  ${clean(i.meta)}`);
  if (i.text) lines.push(indent(wrap(i.text, 92), "  "));
  if (i.url) lines.push(`  ${clean(i.url)}`);
  return lines.join("\n");
}

/** Numbers every action of the reply, in order, so a shell user can type the number to use it. */
export function collectActions(reply: Reply): Action[] {
  if (reply.kind === "form") return [];
  if (reply.kind === "dashboard") return reply.sections.flatMap(collectActions);
  if (reply.kind === "notice") return reply.actions ?? [];
  const own = reply.actions ?? [];
  return reply.kind === "list" ? [...reply.items.flatMap((i) => i.actions ?? []), ...own] : [...own, ...reply.items.flatMap((i) => i.actions ?? [])];
}

function actionsLine(actions: Action[], from = 0): string {
  const shown = actions.slice(from);
  return shown.length ? `\nActions: ${shown.map((a, i) => `[${from + i + 1}] ${clean(a.label)}`).join("  ")}` : "";
}

function card(c: Card): string {
  const width = Math.max(...c.fields.map((f) => f.label.length));
  const parts = [...(c.note ? [`ℹ ${wrap(c.note)}`] : []), clean(c.title)];
  if (c.subtitle) parts.push(wrap(c.subtitle));
  if (c.url) parts.push(clean(c.url));
  parts.push("", ...c.fields.map((f) => `  ${f.label.padEnd(width)}  ${clean(f.value)}`));
  if (c.itemsTitle) parts.push("", clean(c.itemsTitle));
  parts.push(...c.items.map((i) => indent(item(i), "  ")));
  if (c.context) parts.push("", clean(c.context));
  return parts.join("\n") + actionsLine(collectActions(c));
}

/**
 * List entries with their own buttons (pick lists) are numbered in place: type the number to choose.
 * `from`: how many buttons came before this list on the screen (a dashboard's earlier sections).
 */
function list(l: List, from = 0): string {
  const parts = [clean(l.title)];
  if (l.intro) parts.push(wrap(l.intro));
  parts.push("");
  let n = from;
  for (const i of l.items) {
    const own = i.actions ?? [];
    const text = item({ ...i, title: own.length ? `${i.title} — ${own.map((a, k) => `[${n + k + 1}] ${a.label}`).join(" ")}` : i.title });
    n += own.length;
    parts.push(text);
  }
  if (l.footer) parts.push("", clean(l.footer));
  const own = l.actions ?? [];
  const line = own.length ? `\nActions: ${own.map((a, k) => `[${n + k + 1}] ${clean(a.label)}`).join("  ")}` : "";
  return parts.join("\n") + line;
}

/** Each section in turn, numbered on from the one before, so one number presses one button. */
function dashboard(d: Dashboard): string {
  const parts = [clean(d.title), ...(d.intro ? [wrap(d.intro)] : [])];
  let from = 0;
  for (const section of d.sections) {
    parts.push("", list(section, from).trimEnd());
    from += collectActions(section).length;
  }
  return parts.join("\n");
}

/**
 * The console has no modals: a one-input form is answered by the next line typed (ConsoleAdapter),
 * and every form says how to give the same input as one command.
 */
function form(f: Form): string {
  const inputs = f.inputs.map((i) => `  ${i.label}${i.optional ? " (optional)" : ""}: up to ${i.maxLength} characters`);
  const [only] = f.inputs.length === 1 ? f.inputs : [];
  const how = [
    ...(only ? [`Type your ${only.label.toLowerCase()} on the next line${f.asCommand ? ", or the whole command:" : "."}`] : []),
    ...(f.asCommand ? [`${only ? "  " : "Type: "}${clean(f.asCommand)}`] : []),
  ];
  return [clean(f.title), ...(f.intro ? [wrap(f.intro)] : []), ...inputs, "", ...how].join("\n");
}

export function renderText(reply: Reply): string {
  switch (reply.kind) {
    case "form":
      return form(reply);
    case "card":
      return card(reply);
    case "list":
      return list(reply);
    case "dashboard":
      return dashboard(reply);
    case "notice":
      return `${LEVEL_MARK[reply.level]} ${wrap(reply.text)}` + actionsLine(collectActions(reply));
  }
}
