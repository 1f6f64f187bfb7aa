// Who is asking, from where, with what rights: built from the interaction alone (no cache, no API call).
import {
  ApplicationCommandOptionType,
  type BaseInteraction,
  type CommandInteractionOption,
  InteractionContextType,
  PermissionFlagsBits,
} from "discord.js";
import type { CommandContext } from "../../core/context.js";

/** A DM has no guild; its chat identities live under the "dm" tenant. */
export const DM_TENANT = "dm";

export function interactionContext(interaction: BaseInteraction): CommandContext {
  const perms = interaction.memberPermissions; // null outside guilds
  const user = interaction.user;
  return {
    actor: {
      platform: "discord",
      tenantId: interaction.guildId ?? DM_TENANT,
      userId: user.id,
      displayName: user.globalName ?? user.username,
    },
    channelId: interaction.channelId ?? undefined,
    permissions: {
      // has() also answers true for Administrator. In a DM with the bot the user is the only person
      // the channel concerns, as on Slack: they may subscribe it.
      canManageChannel: perms?.has(PermissionFlagsBits.ManageChannels) ?? interaction.context === InteractionContextType.BotDM,
      isAdmin: perms ? perms.has(PermissionFlagsBits.Administrator) || perms.has(PermissionFlagsBits.ManageGuild) : false,
    },
  };
}

/**
 * The subcommand and its options as the core command's input object: option names are the core's
 * input field names in snake_case (Discord wants lower case: claim_id → claimId). A user option
 * becomes a mention, which is how the core's text commands name people. A subcommand group
 * (`admin approve`) routes by the subcommand's own name.
 */
export function subcommandInput(data: readonly CommandInteractionOption[]): { name: string; input: Record<string, unknown> } | null {
  let options = data;
  let sub = options[0];
  if (sub?.type === ApplicationCommandOptionType.SubcommandGroup) {
    options = sub.options ?? [];
    sub = options[0];
  }
  if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) return null;
  const input: Record<string, unknown> = {};
  for (const o of sub.options ?? []) {
    input[camelCase(o.name)] = o.type === ApplicationCommandOptionType.User ? `<@${String(o.value)}>` : o.value;
  }
  return { name: sub.name, input };
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The Discord option for a core input field: claimId → claim_id (the inverse of what subcommandInput does). */
export const optionName = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The option Discord autocompletes: every command names a researcher in its `query` field. */
export const AUTOCOMPLETED_FIELD = "query";
