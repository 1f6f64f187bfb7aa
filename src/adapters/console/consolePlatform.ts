// The console as a platform of its own, for the entry points that run it (cli.ts, main.ts).
import type { Config } from "../../config.js";
import { claimSettingsFrom } from "../../core/claims/claimSettings.js";
import type { ClaimSettings } from "../../core/claims/ClaimService.js";
import type { Core } from "../../core/Core.js";
import { ConsoleMessenger } from "./ConsoleMessenger.js";
import { CONSOLE_REVIEW_CHANNEL } from "./consoleContext.js";

/** Claim reviews are posted in the shell's channel, where the local admins answer them, unless configured elsewhere. */
export function consoleClaimSettings(config: Config): ClaimSettings {
  const settings = claimSettingsFrom(config);
  return { ...settings, reviewChannel: settings.reviewChannel ?? CONSOLE_REVIEW_CHANNEL };
}

/** Makes the console reachable: what the core sends to local users goes to their inbox and the shell. */
export function attachConsoleMessenger(core: Core): ConsoleMessenger {
  const messenger = new ConsoleMessenger(core.inbox);
  core.messengers.console = messenger;
  return messenger;
}
