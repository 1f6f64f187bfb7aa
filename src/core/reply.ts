// The platform-neutral reply model. The core returns these plain objects; each adapter has one
// render module that turns them into Block Kit, Discord embeds or console text and enforces that
// platform's limits. Nothing here knows about any platform.
import type { ResearchGraph } from "./graph/ResearchGraph.js";

/** Stable ids for buttons. Adapters encode `{ id, value }` into their own custom ids. */
export type ActionId =
  | "follow"
  | "unfollow"
  | "follow_target"
  | "unfollow_target"
  | "subscribe_target"
  | "unsubscribe_target"
  | "not_relevant"
  | "save_work"
  | "claim"
  | "invite"
  | "works"
  | "share"
  | "lookup"
  | "graph"
  | "accept_invite"
  | "decline_invite"
  | "approve_claim"
  | "reject_claim"
  | "watch_claim"
  | "block_sender"
  | "refresh_card"
  | "home_page"
  | "suggest"
  | "intro"
  | "ask_intro"
  | "privacy";

export interface Action {
  id: ActionId;
  label: string;
  /** Opaque argument handed back to the core when the action is used (e.g. a researcher id). */
  value: string;
  style?: "primary" | "danger";
}

export interface Field {
  label: string;
  value: string;
  /** Short fields may sit side by side. */
  inline?: boolean;
}

/** One entry under a card or in a list, e.g. a work or a search result. */
export interface Item {
  title: string;
  /** e.g. "preprint · 2024 · arXiv" */
  meta?: string;
  text?: string;
  url?: string;
  actions?: Action[];
}

export interface Card {
  kind: "card";
  /** One line shown before the card, about how it was found: "Showing X, the closest match to 'Y'". */
  note?: string;
  title: string;
  subtitle?: string;
  url?: string;
  fields: Field[];
  itemsTitle?: string;
  items: Item[];
  /** Small print at the bottom: sources, hints. */
  context?: string;
  actions: Action[];
  /** A picture shown with the card, as with a List's. */
  picture?: Picture;
  /**
   * People to @-mention with the card, as chat user ids on the platform it is sent to (the authors
   * of a paper posted in a channel who use Peerlink there). Only these are notified.
   */
  mentions?: string[];
}

export interface List {
  kind: "list";
  title: string;
  intro?: string;
  items: Item[];
  /** e.g. "Page 1 of 3 — /researcher works Jonathan Frankle 2" */
  footer?: string;
  actions?: Action[];
  /** A picture shown with the list (Slack: uploaded beside it; Discord: the embed's image; console: a file). */
  picture?: Picture;
}

/**
 * Several lists shown together as one screen, each paged on its own: a person's home (Slack's Home
 * tab or a message, Discord embeds, console text).
 */
export interface Dashboard {
  kind: "dashboard";
  title: string;
  intro?: string;
  sections: List[];
}

/**
 * A picture described as data: the core never draws. Adapters turn it into PNG bytes with
 * renderPicture (src/render/renderPicture.ts) and attach it the way their platform shows images.
 */
export interface Picture {
  kind: "research_graph";
  graph: ResearchGraph;
  /** Describes the picture for screen readers and clients that show no images. */
  alt: string;
  /** e.g. "research-graph-42.png" */
  filename: string;
  width: number;
  height: number;
}

/** A small form: a Slack modal, a Discord modal, a prompt in the console. */
export interface Form {
  kind: "form";
  title: string;
  submitLabel: string;
  /** Text shown above the inputs. */
  intro?: string;
  inputs: FormInput[];
  /** On submit the adapter calls router.handle(command, { ...fixed, ...values by input id }). */
  submit: { command: string; fixed: Record<string, string> };
  /** The same input typed as one command, for platforms without forms: "/researcher invite Ada Lovelace: <message>". */
  asCommand?: string;
}

export interface FormInput {
  id: string;
  label: string;
  placeholder?: string;
  initial?: string;
  multiline?: boolean;
  optional?: boolean;
  maxLength: number;
}

export type NoticeLevel = "info" | "success" | "warning" | "error";

export interface Notice {
  kind: "notice";
  level: NoticeLevel;
  text: string;
  /** Reference id shown with unexpected errors so operators can find the log line. */
  ref?: string;
  actions?: Action[];
  /** Input validation problems by input id, so a form can show them beside the right field. */
  fieldErrors?: Record<string, string>;
}

export type Reply = Card | List | Notice | Form | Dashboard;

/** The picture a reply carries, if any (cards and lists may have one). */
export const pictureOf = (reply: Reply): Picture | undefined => (reply.kind === "card" || reply.kind === "list" ? reply.picture : undefined);

export type Visibility = "ephemeral" | "in_channel";

export interface Response {
  reply: Reply;
  visibility: Visibility;
  /**
   * For a button press: what the message holding the button should show from now on (e.g. an
   * invitation without its Accept/Decline buttons once answered). Adapters edit that message in
   * place; without it, the message stays as it was.
   */
  source?: Reply;
  /**
   * For a button press: the reply takes the place of the message holding the button instead of
   * arriving as a new message (a private card whose Follow became Unfollow). Where the platform
   * cannot do that any more (an answer Discord had to defer), the reply arrives as a new message.
   */
  inPlace?: boolean;
}

export const notice = (level: NoticeLevel, text: string, extra: Partial<Notice> = {}): Notice => ({
  kind: "notice",
  level,
  text,
  ...extra,
});

export const ephemeral = (reply: Reply): Response => ({ reply, visibility: "ephemeral" });
export const inChannel = (reply: Reply): Response => ({ reply, visibility: "in_channel" });

/** Shortens text to at most `max` characters, ending on a word boundary with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
