// Who is at the console: a local user by name (never the OS account), an admin when configured so.
import { DEFAULT_CONSOLE_ADMINS, DEFAULT_CONSOLE_USER } from "../../config.js";
import type { CommandContext } from "../../core/context.js";
import type { ReviewChannel } from "../../core/claims/ClaimNotifier.js";

export const CONSOLE_TENANT = "local";
/** The one channel of the shell: every local user is in it, and claim reviews are posted to it. */
export const CONSOLE_CHANNEL = "console";
export const CONSOLE_REVIEW_CHANNEL: ReviewChannel = { platform: "console", tenantId: CONSOLE_TENANT, channelId: CONSOLE_CHANNEL };

/** `admins` are lower-case names (config CONSOLE_ADMINS); names are matched without case. */
export function consoleContext(userName: string = DEFAULT_CONSOLE_USER, admins: readonly string[] = DEFAULT_CONSOLE_ADMINS): CommandContext {
  const name = userName.trim() || DEFAULT_CONSOLE_USER;
  const isAdmin = admins.includes(name.toLowerCase());
  return {
    actor: { platform: "console", tenantId: CONSOLE_TENANT, userId: name.toLowerCase(), displayName: name },
    channelId: CONSOLE_CHANNEL,
    permissions: { canManageChannel: isAdmin, isAdmin },
  };
}
