// Turns Discord interactions into core calls: `/researcher <subcommand>` options → router.handle,
// button presses → router.handleAction, modal submissions → the form's command, and autocomplete
// on researcher names → search candidates. Decisions live in the core; this file only translates.
import {
  type AutocompleteInteraction,
  DiscordAPIError,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import { apologyFor, newErrorRef } from "../../core/apology.js";
import { messageActions } from "../../core/messageActions/messageActions.js";
import { busyReply } from "../../core/CommandLimiter.js";
import type { Core } from "../../core/Core.js";
import { ephemeral, notice, type Response, truncate } from "../../core/reply.js";
import type { Logger } from "../../logger.js";
import { PlatformCallError, type PlatformFailures, platformFailures } from "../platformFailures.js";
import { parseButtonCustomId, parseFormCustomId } from "./customIds.js";
import { discordCall } from "./discordCall.js";
import type { CommandContext } from "../../core/context.js";
import { AUTOCOMPLETED_FIELD, DM_TENANT, interactionContext, subcommandInput } from "./interactionContext.js";
import { type EditAnswer, messageOptions, type RespondOptions, respondInTime } from "./respondInTime.js";

/** A fuller answer for later (CommandContext.replaceLater). */
type Later = () => Promise<Response | null>;

export const COMMAND_NAME = "researcher";
/** Discord allows 25 autocomplete choices of at most 100 characters each. */
export const MAX_CHOICES = 25;
const CHOICE_NAME_MAX = 100;
/** Shorter input matches too much to be useful. */
export const MIN_AUTOCOMPLETE_LENGTH = 2;
/** Discord's autocomplete deadline is 3 s; give up on the search well before it. */
const AUTOCOMPLETE_BUDGET_MS = 2000;
/** How long OpenAlex's autocomplete may take before the local names go out alone. */
const REMOTE_AUTOCOMPLETE_MS = 1000;

export interface DiscordAdapterOptions {
  /** Overrides when a slow answer is deferred (tests). */
  deferAfterMs?: number;
  /** Where handled Discord failures are counted (default: the process's registry). */
  failures?: PlatformFailures;
}

/** A message's words as a person reads them: its content, and its embeds' titles, links, text and fields. */
export function messageTextOf(message: Message): string {
  const parts = [message.content];
  for (const e of message.embeds) {
    parts.push(e.title ?? "", e.url ?? "", e.description ?? "", ...e.fields.flatMap((f) => [f.name, f.value]));
  }
  return parts.filter(Boolean).join("\n");
}

export class DiscordAdapter {
  constructor(
    private readonly core: Core,
    private readonly log: Logger,
    private readonly options: DiscordAdapterOptions = {},
  ) {}

  /** The Client's interactionCreate listener. Never throws: failures are logged with the interaction id. */
  async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) await this.autocomplete(interaction);
      else if (interaction.isChatInputCommand()) await this.command(interaction);
      else if (interaction.isMessageContextMenuCommand()) await this.messageCommand(interaction);
      else if (interaction.isButton()) await this.button(interaction);
      else if (interaction.isModalSubmit()) await this.modalSubmit(interaction);
    } catch (err) {
      this.report(interaction, err);
    }
  }

  /** Logs a failure once, with the interaction id; a failed Discord call is also counted. */
  private report(interaction: Interaction, err: unknown): void {
    const at = { interactionId: interaction.id, type: interaction.type };
    if (!(err instanceof PlatformCallError)) {
      this.log.error({ err, ...at }, "discord interaction failed");
      return;
    }
    const { call, reason } = err;
    (this.options.failures ?? platformFailures).record({ platform: "discord", call, reason });
    const code = err.cause instanceof DiscordAPIError ? err.cause.code : undefined;
    // A gone interaction is routine (an event loop busy for a second is enough): nothing to fix, nobody to tell.
    if (reason === "gone") this.log.warn({ ...at, call, code }, "discord interaction gone before it was answered");
    else this.log.error({ err: err.cause, ...at, call, reason, code }, "discord call failed");
  }

  /**
   * Answers in the interaction's turn (core.limiter): one that has to wait for it is deferred at
   * once, so the queue never costs Discord's 3 s. Too busy to start soon: the busy reply instead.
   */
  private respond(interaction: Parameters<typeof respondInTime>[0], work: () => Promise<Response>, extra: RespondOptions = {}) {
    const inTurn = async (deferNow: () => void) => {
      const run = await this.core.limiter.run("discord", () => this.apologizing(interaction, work), { onWait: deferNow });
      return run.ok ? run.value : busyReply();
    };
    return respondInTime(interaction, inTurn, { deferAfterMs: this.options.deferAfterMs, ...extra });
  }

  /** The router already turns command failures into apologies; this covers the adapter's own work (e.g. reading the context). */
  private async apologizing(interaction: Interaction, work: () => Promise<Response>): Promise<Response> {
    try {
      return await work();
    } catch (err) {
      const ref = newErrorRef();
      this.log.error({ err, ref, interactionId: interaction.id }, "discord interaction failed");
      return apologyFor(ref);
    }
  }

  /**
   * In a DM there is no guild. Buttons on the bot's own DMs (notifications, invitations) must act as
   * the identity the DM was sent to, so a DM channel we opened maps back to that identity's guild;
   * otherwise the user's most recently seen identity is used (Discord user ids are global), and a
   * first-time DM user gets the "dm" tenant.
   */
  private async contextOf(interaction: Interaction): Promise<CommandContext> {
    const ctx = interactionContext(interaction);
    if (ctx.actor.tenantId !== DM_TENANT) return ctx;
    const tenantId = await this.core.accounts.dmTenant("discord", ctx.actor.userId, ctx.channelId);
    return tenantId ? { ...ctx, actor: { ...ctx.actor, tenantId } } : ctx;
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    if (interaction.commandName !== COMMAND_NAME) return;
    const sub = subcommandInput(interaction.options.data);
    let later: Later | undefined;
    const edit = await this.respond(
      interaction,
      async () => {
        const ctx = await this.contextOf(interaction);
        ctx.replaceLater = (next) => (later = next);
        return sub ? this.core.router.handle(sub.name, sub.input, ctx) : this.core.router.handle("help", {}, ctx);
      },
      { expectPublic: sub?.input.share === true },
    );
    if (later && edit) this.showLater(interaction, later, edit);
  }

  /**
   * A message context-menu command (APPLICATION_COMMAND, type 3 MESSAGE): the message it was used on
   * comes resolved in the interaction (data.resolved.messages[data.target_id]); the core reads its text.
   */
  private async messageCommand(interaction: MessageContextMenuCommandInteraction): Promise<void> {
    const action = Object.values(messageActions).find((a) => a.label === interaction.commandName);
    if (!action) return;
    await this.respond(interaction, async () =>
      this.core.router.handleMessageAction(action.id, messageTextOf(interaction.targetMessage), await this.contextOf(interaction)),
    );
  }

  /**
   * A fuller answer the core offered (e.g. a card whose counts were still arriving) replaces the
   * answer when it comes. Not waited for at shutdown: a lost edit leaves a true, partial card.
   */
  private showLater(interaction: Interaction, later: Later, edit: EditAnswer): void {
    void later()
      .then((response) => response && edit(messageOptions(response)))
      .catch((err: unknown) => this.report(interaction, err));
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const parsed = parseButtonCustomId(interaction.customId);
    let source: Response["source"];
    let unanswered: unknown;
    let later: Later | undefined;
    const edit = await this.respond(
      interaction,
      async () => {
        if (!parsed) return ephemeral(notice("error", "That button is no longer supported."));
        const ctx = await this.contextOf(interaction);
        ctx.replaceLater = (next) => (later = next);
        const response = await this.core.router.handleAction(parsed.actionId, parsed.value, ctx);
        source = response.source;
        return response;
      },
      { expectPublic: parsed?.actionId === "share" },
    ).catch((err: unknown) => void (unanswered = err));
    if (later && edit) this.showLater(interaction, later, edit);
    // The message whose button was pressed changes in place (e.g. an answered invitation loses its
    // buttons), even when the answer could not be sent: the action happened. Not an ephemeral
    // message: those can only be changed through the interaction.
    if (source && !interaction.message.flags.has(MessageFlags.Ephemeral)) {
      const { embeds, components } = messageOptions({ reply: source });
      await discordCall("message_edit", () => interaction.message.edit({ embeds, components, allowedMentions: { parse: [] } })).catch(
        (err: unknown) => this.report(interaction, err),
      );
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a caught error, rethrown as it came
    if (unanswered !== undefined) throw unanswered;
  }

  private async modalSubmit(interaction: ModalSubmitInteraction): Promise<void> {
    const form = parseFormCustomId(interaction.customId);
    const values: Record<string, string> = {};
    for (const [id, field] of interaction.fields.fields) {
      if ("value" in field && typeof field.value === "string") values[id] = field.value;
    }
    await this.respond(interaction, async () =>
      form
        ? // Fixed values win: they identify what the form is about and are not the user's to change.
          this.core.router.handle(form.command, { ...values, ...form.fixed }, await this.contextOf(interaction))
        : ephemeral(notice("error", "That form is no longer supported.")),
    );
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value).trim();
    if (focused.name !== AUTOCOMPLETED_FIELD || typed.length < MIN_AUTOCOMPLETE_LENGTH) {
      await discordCall("autocomplete", () => interaction.respond([]));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), AUTOCOMPLETE_BUDGET_MS)));
    // Local names first, then OpenAlex's suggestions (cut off at about 1 s, well inside Discord's 3 s).
    const search = this.core.search
      .candidates(typed, MAX_CHOICES)
      .then((local) => this.core.live.suggest(typed, local, MAX_CHOICES, REMOTE_AUTOCOMPLETE_MS))
      .catch((err: unknown) => {
        this.log.error({ err, interactionId: interaction.id }, "autocomplete search failed");
        return [];
      });
    const suggestions = await Promise.race([search, timeout]).finally(() => clearTimeout(timer));
    const choices = suggestions.slice(0, MAX_CHOICES).map((c) => ({
      name: truncate(c.label, CHOICE_NAME_MAX) || c.query,
      // "#<id>" or an OpenAlex id: names exactly the researcher that was picked (core/search/identifiers.ts).
      value: c.query,
    }));
    await discordCall("autocomplete", () => interaction.respond(choices));
  }
}
