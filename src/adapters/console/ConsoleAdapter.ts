// The console adapter (like Hubot's shell): the same commands as Slack and Discord, rendered as text.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandContext } from "../../core/context.js";
import type { Core } from "../../core/Core.js";
import { type Action, type Form, type Picture, pictureOf, type Response } from "../../core/reply.js";
import { renderPicture } from "../../render/renderPicture.js";
import { editDistance } from "../../core/commands/unknownCommand.js";
import { CONTROL_CHARS } from "../../core/text.js";
import { clean, collectActions, renderText } from "./render.js";
import { consoleContext } from "./consoleContext.js";

export { consoleContext } from "./consoleContext.js";

/** Slack and Discord only send what follows the slash command; the shell sees whatever was typed. */
function commandsStartWith(text: string): string {
  const [first = "", ...rest] = text.split(/\s+/);
  // "/reseacher help" or "/help" → "/researcher help"; "help" → "/researcher help"
  const meant = first.startsWith("/") && editDistance(first.slice(1).toLowerCase(), "researcher") <= 3 ? rest.join(" ") : text.replace(/^\//, "");
  return `ℹ Commands start with /researcher. Did you mean “/researcher ${clean(meant) || "help"}”? Type /researcher help for every command, or the number of an action to use it.`;
}

/** The project's `pictures/` folder (git-ignored): near the work, and kept until you delete it. */
export const CONSOLE_PICTURES = fileURLToPath(new URL("../../../pictures/", import.meta.url));

export class ConsoleAdapter {
  private lastActions: Action[] = [];
  private openForm: Form | undefined;

  constructor(
    private readonly core: Core,
    private ctx: CommandContext = consoleContext(),
    /** Where pictures in replies (e.g. a research graph) are written; the path is printed. */
    private readonly pictureDir: string = CONSOLE_PICTURES,
  ) {}

  /** Who the console acts as now. */
  get context(): CommandContext {
    return this.ctx;
  }

  /** Switches the local user (the shell's /as); the last reply's buttons and form were theirs, not the new user's. */
  actAs(ctx: CommandContext): void {
    this.ctx = ctx;
    this.lastActions = [];
    this.openForm = undefined;
  }

  /** Answers one line: a `/researcher …` command, or the number of an action from the last reply. */
  async answer(line: string): Promise<string> {
    const text = line.trim();
    let response: Response;
    const chosen = /^\d{1,3}$/.test(text) ? this.lastActions[Number(text) - 1] : undefined;
    if (/^\d{1,3}$/.test(text) && !chosen) return "✗ There is no action with that number in the last reply.";
    const isCommand = /^\/researcher(\s|$)/i.test(text);
    const form = this.openForm;
    this.openForm = undefined;
    // Control characters are the router's to refuse, whatever the line starts with.
    if (!chosen && !form && !CONTROL_CHARS.test(text) && !isCommand) return commandsStartWith(text);
    if (chosen) response = await this.core.router.handleAction(chosen.id, chosen.value, this.ctx);
    else if (form && !isCommand)
      response = await this.core.router.handle(form.submit.command, { ...form.submit.fixed, [form.inputs[0]!.id]: text }, this.ctx);
    else response = await this.core.router.handleText(text, this.ctx);
    // The console's modal: the line after a one-input form is its input.
    if (response.reply.kind === "form" && response.reply.inputs.length === 1) this.openForm = response.reply;
    // Slack and Discord edit the message holding an answered button; here, its copy in the inbox.
    if (chosen && response.source) await this.core.inbox.answered(this.reader(), chosen, response.source);
    this.lastActions = collectActions(response.reply);
    const picture = pictureOf(response.reply);
    if (!picture) return renderText(response.reply);
    return `${renderText(response.reply)}\nPicture: ${this.writePicture(picture)}`;
  }

  private reader() {
    return { tenantId: this.ctx.actor.tenantId, userId: this.ctx.actor.userId, channelId: this.ctx.channelId };
  }

  /** A terminal shows no images: the PNG goes to a file whose path is printed with the list. */
  private writePicture(picture: Picture): string {
    const image = renderPicture(picture);
    mkdirSync(this.pictureDir, { recursive: true });
    const path = this.freshPath(image.filename);
    writeFileSync(path, image.data);
    return path;
  }
  /** One file per render, named for the picture and the time: a later graph never overwrites an earlier one. */
  private freshPath(filename: string): string {
    const stamp = this.core.clock.now().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    const base = filename.replace(/\.png$/, "");
    for (let n = 1; ; n++) {
      const path = join(this.pictureDir, `${base}-${stamp}${n > 1 ? `-${n}` : ""}.png`);
      if (!existsSync(path)) return path;
    }
  }
}
