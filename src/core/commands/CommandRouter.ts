import type { CommandContext } from "../context.js";
import type { CoreServices } from "../CoreServices.js";
import { InFlight } from "../InFlight.js";
import { type CommandMetrics, noCommandMetrics, outcomeOf, type ReplyOutcome } from "../metrics.js";
import type { ErrorLog } from "../ports.js";
import { type ActionId, ephemeral, notice, type Response } from "../reply.js";
import { CONTROL_CHARS } from "../text.js";
import { apologyFor, newErrorRef } from "../apology.js";
import { withSomeCorrelationId } from "../correlation.js";
import type { AnyCommand, Command } from "./Command.js";
import { parseResearcherRef } from "../search/identifiers.js";
import { closestCommand, looksLikeName } from "./unknownCommand.js";
import { messageActions, messageText } from "../messageActions/messageActions.js";

export const MAX_COMMAND_LENGTH = 1000;

/** Maps `/researcher …` text, typed options and button presses to commands. Makes no decisions itself. */
export class CommandRouter {
  private readonly byName = new Map<string, AnyCommand>();
  private readonly actionHandlers = new Map<ActionId, NonNullable<Command["actions"]>[ActionId]>();
  private readonly inFlight = new InFlight();

  constructor(
    readonly commands: AnyCommand[],
    private readonly core: () => CoreServices,
    private readonly log: ErrorLog,
    private readonly metrics: CommandMetrics = noCommandMetrics,
  ) {
    for (const c of commands) {
      for (const name of [c.name, ...(c.aliases ?? [])]) this.byName.set(name, c);
      for (const [id, handler] of Object.entries(c.actions ?? {})) this.actionHandlers.set(id as ActionId, handler);
    }
  }

  command(name: string): AnyCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Resolves once no command is being answered (shutdown waits on it after intake has stopped). */
  idle(): Promise<void> {
    return this.inFlight.idle();
  }

  /** Handles the text after `/researcher` (a leading "/researcher" is tolerated). */
  handleText(raw: string, ctx: CommandContext): Promise<Response> {
    const text = raw.replace(/^\s*\/researcher\b/i, "").trim();
    const first = text.split(/\s+/)[0] ?? "";
    const name = !text ? "help" : (this.command(first)?.name ?? "lookup");
    return this.measured(name, ctx, () => this.answerText(text, ctx));
  }

  private async answerText(text: string, ctx: CommandContext): Promise<Response> {
    if (text.length > MAX_COMMAND_LENGTH) {
      return ephemeral(notice("error", `That command is too long (${MAX_COMMAND_LENGTH} characters at most).`));
    }
    if (CONTROL_CHARS.test(text)) {
      return ephemeral(notice("error", "That command contains control characters; please type it again."));
    }
    if (!text) return this.handleStructured("help", {}, ctx);
    const [first = "", ...rest] = text.split(/\s+/);
    const command = this.command(first);
    if (command) return this.run(command, () => command.fromText(rest.join(" ")), ctx);
    if (first.startsWith("-") && first !== "--share") {
      return ephemeral(notice("error", `Unknown option “${first}”. Try /researcher help.`));
    }
    return this.unknownFirstWord(first, rest.join(" "), text, ctx);
  }

  /**
   * The first word is no command: a slip of one ("folow Jonathan Frankle") gets "Did you mean
   * follow?"; text that reads like a name is looked up first, and a lone word nobody is called
   * ("frobnicate") is said to be neither a command nor a name.
   */
  private async unknownFirstWord(first: string, rest: string, text: string, ctx: CommandContext): Promise<Response> {
    const lookup = this.command("lookup")!;
    const near = closestCommand(first, this.commands);
    const didYouMean = (c: AnyCommand) =>
      ephemeral(
        notice(
          "warning",
          `Did you mean ${c.name}? “${first}” is not a command.\nUsage: ${c.usage}${rest ? `\nType: /researcher ${c.name} ${rest}` : ""}`,
        ),
      );
    if (near && near !== lookup && !looksLikeName(text)) return didYouMean(near);
    const response = await this.run(lookup, () => lookup.fromText(text), ctx);
    if (response.reply.kind !== "notice" || response.reply.ref) return response;
    // Text that reads like a name and finds nobody ("Shared Key One") is answered as a name, not as
    // a slip of a command ("saved"): a slip that reads like no name was answered above.
    // Several words, or an identifier (ORCID iD, OpenAlex id, DOI, arXiv id): the lookup's own answer says it all.
    if (rest || parseResearcherRef(text).kind !== "name") return response;
    return ephemeral(
      notice(
        response.reply.level,
        `“${first}” is not a command. ${response.reply.text}\nTo look someone up, type /researcher and their name (e.g. /researcher Jonathan Frankle); /researcher help lists every command.`,
      ),
    );
  }

  /** Handles a command with structured input (Discord options, modal submissions). */
  handle(name: string, input: unknown, ctx: CommandContext): Promise<Response> {
    return this.measured(this.command(name)?.name ?? "unknown", ctx, () => this.handleStructured(name, input, ctx));
  }

  private async handleStructured(name: string, input: unknown, ctx: CommandContext): Promise<Response> {
    const command = this.command(name);
    if (!command) return ephemeral(notice("error", `Unknown command “${name}”. Try /researcher help.`));
    return this.run(command, () => input, ctx);
  }

  /** Handles a button press. */
  handleAction(id: string, value: string, ctx: CommandContext): Promise<Response> {
    return this.measured("action", ctx, async () => {
      const handler = this.actionHandlers.get(id as ActionId);
      if (!handler) return ephemeral(notice("error", "That button is no longer supported."));
      if (CONTROL_CHARS.test(value)) return ephemeral(notice("error", "That button is no longer valid."));
      return this.guard({ action: id, value }, () => handler(value, ctx, this.core()));
    });
  }

  /** Handles a message action (Slack message shortcut, Discord message context menu) on a message's text. */
  handleMessageAction(id: string, text: unknown, ctx: CommandContext): Promise<Response> {
    return this.measured(`message_action:${id}`, ctx, async () => {
      const action = messageActions[id as keyof typeof messageActions] as (typeof messageActions)[keyof typeof messageActions] | undefined;
      if (!action) return ephemeral(notice("error", "That message action is no longer supported."));
      const parsed = messageText.safeParse(text);
      if (!parsed.success) return ephemeral(notice("error", "That message is too long for Peerlink to read."));
      return this.guard({ messageAction: id }, () => action.run(parsed.data, ctx, this.core()));
    });
  }

  /**
   * Times one answer (performance.now(): a duration, not a date) and counts it in flight meanwhile.
   * It runs under the adapter's correlation id, or a fresh one when the caller gave none.
   */
  private measured(command: string, ctx: CommandContext, work: () => Promise<Response>): Promise<Response> {
    return withSomeCorrelationId(() => this.timed(command, ctx, work));
  }

  private timed(command: string, ctx: CommandContext, work: () => Promise<Response>): Promise<Response> {
    const started = performance.now();
    return this.inFlight.track(async () => {
      try {
        const response = await work();
        this.report(command, ctx, outcomeOf(response), started);
        return response;
      } catch (error) {
        this.report(command, ctx, "error", started);
        throw error;
      }
    });
  }

  private report(command: string, ctx: CommandContext, outcome: ReplyOutcome, started: number) {
    const seconds = (performance.now() - started) / 1000;
    try {
      this.metrics.commandAnswered({ platform: ctx.actor.platform, command, outcome, seconds });
    } catch (err) {
      this.log.error({ err }, "command metrics failed");
    }
  }

  private async run(command: AnyCommand, raw: () => unknown, ctx: CommandContext): Promise<Response> {
    const input = raw();
    // Typed options and modal fields skip the text check above; Postgres refuses a NUL in text.
    const field = fieldWithControlChars(input);
    if (field !== undefined) {
      const message = "That contains control characters; please type it again.";
      return ephemeral(notice("error", `${message}\nUsage: ${command.usage}`, { fieldErrors: { [field]: message } }));
    }
    const parsed = command.input.safeParse(input);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "That input is not valid.";
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "")] ??= issue.message;
      return ephemeral(notice("error", `${message}\nUsage: ${command.usage}`, { fieldErrors }));
    }
    return this.guard({ command: command.name }, () => command.run(parsed.data, ctx, this.core()));
  }

  /** Bugs and outages become a short apology with a reference id; the details go to the log. */
  private async guard(what: object, work: () => Promise<Response>): Promise<Response> {
    try {
      return await work();
    } catch (error) {
      const ref = newErrorRef();
      this.log.error({ err: error, ref, ...what }, "command failed");
      return apologyFor(ref);
    }
  }
}

/** The first field of a command's structured input whose text holds a control character (tab and newline are fine). */
function fieldWithControlChars(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  for (const [key, value] of Object.entries(input)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((t) => typeof t === "string" && CONTROL_CHARS.test(t))) return key;
  }
  return undefined;
}
