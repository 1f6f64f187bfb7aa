// Discord drops an interaction that gets no response within 3 seconds. If the core answers quickly
// the reply goes out directly (and a Form can still open as a modal); if not, the interaction is
// deferred at DEFER_AFTER_MS and the answer edited in when it arrives.
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import type { Response } from "../../core/reply.js";
import { notice, pictureOf } from "../../core/reply.js";
import { renderPicture } from "../../render/renderPicture.js";
import { discordCall } from "./discordCall.js";
import { attachmentName, renderMessage, renderModal } from "./render.js";

export const DEFER_AFTER_MS = 1500;

export type AnswerableInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export interface RespondOptions {
  deferAfterMs?: number;
  /** The answer will probably be public (e.g. `share: true`), so a deferral should be public too. */
  expectPublic?: boolean;
}

/** Every message the bot sends: rendered reply (with its picture drawn), no pings for anything user-supplied. */
export function messageOptions(response: Response | { reply: Response["reply"] }) {
  const { embeds, components, picture } = renderMessage(response.reply);
  const files = picture
    ? [{ attachment: Buffer.from(renderPicture(picture).data), name: attachmentName(picture), description: picture.alt.slice(0, 1024) }]
    : [];
  return { embeds, components, files, allowedMentions: { parse: [] } } satisfies InteractionReplyOptions;
}

type Prepared = { response: Response; message: ReturnType<typeof messageOptions> };

function prepare(response: Response): Prepared {
  return { response, message: messageOptions(response) };
}

const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;

/**
 * Runs `work` (a core call) and answers the interaction with its Response, deferring if it is slow
 * or when `work` says it will be (`deferNow`, e.g. it waits for its turn).
 * A failed Discord call rejects with a PlatformCallError naming it. A refused deferral is held, never
 * left unhandled, while `work` still runs (its effects stand); then nothing more is sent, since the
 * interaction is gone.
 */
/** Edits the message that holds the answer (the reply, or the follow-up that carried it). */
export type EditAnswer = (message: ReturnType<typeof messageOptions>) => Promise<unknown>;

export async function respondInTime(
  interaction: AnswerableInteraction,
  work: (deferNow: () => void) => Promise<Response>,
  options: RespondOptions = {},
): Promise<EditAnswer | undefined> {
  const deferPublic = options.expectPublic ?? false;
  // Settles with the deferral's failure (or undefined): it may fail while `work` runs, and must not
  // reject with nobody listening.
  let deferral: Promise<unknown> | undefined;
  const defer = () =>
    (deferral ??= discordCall("deferral", () => interaction.deferReply(deferPublic ? {} : EPHEMERAL)).then(
      () => undefined,
      (error: unknown) => error,
    ));
  const timer = setTimeout(() => void defer(), options.deferAfterMs ?? DEFER_AFTER_MS);
  let prepared: Prepared;
  try {
    const response = await work(() => {
      clearTimeout(timer);
      void defer();
    });
    // Drawing a picture blocks the event loop (and so this timer): acknowledge first, then draw.
    if (pictureOf(response.reply)) {
      clearTimeout(timer);
      await rethrow(defer());
    }
    prepared = prepare(response);
  } finally {
    clearTimeout(timer);
  }
  if (deferral) {
    await rethrow(deferral);
    return completeDeferred(interaction, prepared, deferPublic);
  }
  return replyDirectly(interaction, prepared);
}

const editOriginal =
  (interaction: AnswerableInteraction): EditAnswer =>
  (message) =>
    discordCall("edit", () => interaction.editReply(message));

async function rethrow(settled: Promise<unknown>): Promise<void> {
  const error = await settled;
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a caught error, rethrown as it came
  if (error !== undefined) throw error;
}

async function replyDirectly(interaction: AnswerableInteraction, { response, message }: Prepared): Promise<EditAnswer | undefined> {
  const ephemeral = response.visibility === "ephemeral";
  if (response.reply.kind === "form" && !interaction.isModalSubmit()) {
    const modal = renderModal(response.reply);
    if (modal) {
      await discordCall("modal", () => interaction.showModal(modal));
      return undefined;
    }
  }
  if (response.inPlace && interaction.isButton()) {
    // UPDATE_MESSAGE: the message holding the button becomes the answer, ephemeral or not.
    await discordCall("message_edit", () => interaction.update(message));
    return editOriginal(interaction);
  }
  await discordCall(message.files.length ? "upload" : "reply", () => interaction.reply({ ...message, ...(ephemeral ? EPHEMERAL : {}) }));
  return editOriginal(interaction);
}

/**
 * The deferral fixed the original reply's visibility before the answer was known. When they differ,
 * the original becomes a short note (or is removed) and the answer goes out as a follow-up with the
 * right visibility, so nothing private is ever shown publicly.
 */
async function completeDeferred(interaction: AnswerableInteraction, prepared: Prepared, deferredPublic: boolean): Promise<EditAnswer | undefined> {
  const { response } = prepared;
  const wantPublic = response.visibility === "in_channel";
  // A modal can only be the first response; after a deferral the form is described instead.
  const message = response.reply.kind === "form" ? messageOptions({ reply: formFallback(response.reply.title) }) : prepared.message;
  const posted = message.files.length ? "upload" : undefined;
  if (wantPublic === deferredPublic) {
    await discordCall(posted ?? "edit", () => interaction.editReply(message));
    return response.reply.kind === "form" ? undefined : editOriginal(interaction);
  }
  let followUp;
  if (wantPublic) {
    await discordCall("edit", () => interaction.editReply(messageOptions({ reply: notice("success", "Posted in the channel.") })));
    followUp = await discordCall(posted ?? "follow_up", () => interaction.followUp(message));
  } else {
    await discordCall("delete", () => interaction.deleteReply());
    followUp = await discordCall(posted ?? "follow_up", () => interaction.followUp({ ...message, ...EPHEMERAL }));
  }
  const id = followUp.id;
  return (edited) => discordCall("edit", () => interaction.editReply({ ...edited, message: id }));
}

function formFallback(title: string) {
  return notice("info", `“${title}” needs a form, which Discord can only open right away. Please try again.`);
}
