// Discord hands a component's custom_id back verbatim on every press or modal submit, so buttons
// and modals carry what the core needs to continue: the action id and value, or the form's command
// and fixed values. Discord caps custom_id at 100 characters.
import type { Action } from "../../core/reply.js";

export const CUSTOM_ID_MAX = 100;
const BUTTON = "pl";
const FORM = "plf";

/** "pl:<actionId>:<value>", or null when it would not fit in a custom_id. */
export function buttonCustomId(action: Pick<Action, "id" | "value">): string | null {
  const id = `${BUTTON}:${action.id}:${action.value}`;
  return id.length <= CUSTOM_ID_MAX ? id : null;
}

export function parseButtonCustomId(customId: string): { actionId: string; value: string } | null {
  const m = /^pl:([a-z_]+):([\s\S]*)$/.exec(customId);
  return m ? { actionId: m[1]!, value: m[2]! } : null;
}

/** "plf:<command>:<fixed as a query string>", or null when it would not fit in a custom_id. */
export function formCustomId(submit: { command: string; fixed: Record<string, string> }): string | null {
  const id = `${FORM}:${submit.command}:${new URLSearchParams(submit.fixed).toString()}`;
  return id.length <= CUSTOM_ID_MAX ? id : null;
}

export function parseFormCustomId(customId: string): { command: string; fixed: Record<string, string> } | null {
  const m = /^plf:([a-z_]+):([\s\S]*)$/.exec(customId);
  return m ? { command: m[1]!, fixed: Object.fromEntries(new URLSearchParams(m[2])) } : null;
}
