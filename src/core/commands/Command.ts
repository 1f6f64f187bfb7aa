import type { z } from "zod";
import type { CoreServices } from "../CoreServices.js";
import type { CommandContext, Platform } from "../context.js";
import type { ActionId, Response } from "../reply.js";

/**
 * One subcommand of `/researcher`: its definition, input parsing and handler in one place.
 * Text adapters (Slack, console) go through `fromText`; Discord passes typed options straight to `input`.
 */
export interface Command<I = unknown> {
  name: string;
  aliases?: string[];
  /** e.g. "/researcher works <name> [page]" */
  usage: string;
  summary: string;
  /**
   * Where the command is offered (help, Discord's registered subcommands); default: everywhere.
   * Elsewhere it still answers if typed, with a line saying where it belongs.
   */
  platforms?: readonly Platform[];
  /** Validates the command's input; its messages are shown to users, so make them friendly. */
  input: z.ZodType<I>;
  /** Turns the text after the subcommand into the raw object `input` validates. */
  fromText(text: string): unknown;
  run(input: I, ctx: CommandContext, core: CoreServices): Promise<Response>;
  /** Buttons this command owns: action id → handler receiving the action's value. */
  actions?: Partial<Record<ActionId, (value: string, ctx: CommandContext, core: CoreServices) => Promise<Response>>>;
}

/**
 * A command of any input type, as lists of commands hold them: run() takes the command's own input,
 * which the router only has after that command's zod input parsed it, so no narrower type admits all.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type AnyCommand = Command<any>;

/** Helps keep each command's types checked while storing them in one list. */
export const defineCommand = <I>(command: Command<I>): Command<I> => command;

/** Splits a trailing page number off free text: "Jonathan Frankle 2" → ["Jonathan Frankle", 2]. */
export function splitTrailingPage(text: string): { query: string; page?: number } {
  const m = /^(.*\S)\s+(\d{1,4})$/.exec(text.trim());
  return m ? { query: m[1]!, page: Number(m[2]) } : { query: text.trim() };
}

/** Whether a command is offered on `platform` (see Command.platforms). */
export const offeredOn = (command: Pick<AnyCommand, "platforms">, platform: Platform): boolean =>
  !command.platforms || command.platforms.includes(platform);
