// The console adapter (like Hubot's shell): the same commands as Slack and Discord, rendered as text.
import { userInfo } from "node:os";
import type { CommandContext } from "../../core/context.js";
import type { Core } from "../../core/Core.js";
import type { Action, Response } from "../../core/reply.js";
import { collectActions, renderText } from "./render.js";

export function consoleContext(userName = defaultUser()): CommandContext {
  const name = userName.trim() || "local";
  return {
    actor: { platform: "console", tenantId: "local", userId: name.toLowerCase(), displayName: name },
    channelId: "console",
    // The person at the terminal runs this deployment.
    permissions: { canManageChannel: true, isAdmin: true },
  };
}

function defaultUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "local";
  }
}

export class ConsoleAdapter {
  private lastActions: Action[] = [];

  constructor(
    private readonly core: Core,
    private readonly ctx: CommandContext = consoleContext(),
  ) {}

  /** Answers one line: a `/researcher …` command, or the number of an action from the last reply. */
  async answer(line: string): Promise<string> {
    const text = line.trim();
    let response: Response;
    const chosen = /^\d{1,3}$/.test(text) ? this.lastActions[Number(text) - 1] : undefined;
    if (/^\d{1,3}$/.test(text) && !chosen) return "✗ There is no action with that number in the last reply.";
    if (chosen) response = await this.core.router.handleAction(chosen.id, chosen.value, this.ctx);
    else response = await this.core.router.handleText(text, this.ctx);
    this.lastActions = collectActions(response.reply);
    return renderText(response.reply);
  }
}
