// The `/researcher` application command for Discord, derived from the core's commands: one
// subcommand per core command, one option per field of its zod input, named like the field (in
// snake_case), so the adapter can route any subcommand generically as router.handle(subcommand,
// options). Types, required, lengths, ranges and choices come from the zod input; what Discord
// alone needs (descriptions, the admin group, user pickers) is below.
// Register with `npm run commands:register -- --guild <id>` (instant) or `-- --global`.
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  type RESTPostAPIApplicationCommandsJSONBody,
  InteractionContextType,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
  type SlashCommandSubcommandGroupBuilder,
} from "discord.js";
import { z } from "zod";
import { AUTOCOMPLETED_FIELD, optionName } from "../src/adapters/discord/interactionContext.js";
import { type Command, offeredOn } from "../src/core/commands/Command.js";
import { allCommands } from "../src/core/commands/index.js";
import { messageActions } from "../src/core/messageActions/messageActions.js";

/** Discord's text for a subcommand (at most 100 characters) and for its options, by field name. */
interface Presentation {
  description: string;
  options?: Record<string, string>;
}

/** What most options mean, whichever command they belong to. */
const OPTION_DESCRIPTIONS: Record<string, string> = {
  query: "Name, ORCID iD or OpenAlex id",
  page: "Page number",
  share: "Post it in the channel for everyone",
  claimId: "The claim number, e.g. 12",
  kind: "What to follow: a researcher (default), topic, institution, search or citations",
  type: "Only these work types, e.g. preprint or article,review",
  minCitations: "Only works with an author with at least this many citations",
  exclude: "Leave out: words, co-author:<name>, topic:<name> (comma-separated)",
  frequency: "How often its papers arrive (default: your digest setting)",
  noFilters: "Remove the filters",
  user: "The person",
  via: "The member to ask (leave out to see who can introduce you)",
};

const SUBCOMMANDS: Record<string, Presentation> = {
  lookup: { description: "Show a researcher's profile card" },
  home: { description: "Your dashboard: claim, invitations waiting for you, follows, this week's papers" },
  works: {
    description: "Page through a researcher's works, most recent first",
  },
  follow: {
    description: "New work by a researcher, on a topic, from an institution, matching a search, or citing someone",
    options: {
      query: "Name, ORCID iD or OpenAlex id; or the topic, institution, search words",
    },
  },
  unfollow: {
    description: "Stop following a researcher, topic, institution, search or citations",
    options: { query: "What you follow" },
  },
  following: {
    description: "List what you follow, with filters and frequency",
  },
  mute: {
    description: "Keep following a researcher but stop messages about their papers",
  },
  unmute: { description: "Hear about a muted researcher's new papers again" },
  subscribe: {
    description: "Post new papers of a researcher, topic, institution, search or citations here (managers)",
    options: {
      query: "Name, ORCID iD or OpenAlex id; or the topic, institution, search words",
    },
  },
  unsubscribe: {
    description: "Stop posting new papers of one of this channel's subscriptions (managers)",
    options: { query: "The subscription" },
  },
  subscriptions: {
    description: "List the researchers whose new papers this channel gets",
  },
  digest: {
    description: "Get new papers one by one, or as a daily or weekly message",
    options: {
      mode: "How often",
      hour: "Your local hour for the digest, 0-23",
      timezone: "e.g. Europe/Berlin",
      missed: "Monday summary of papers you missed while snoozed (on by default)",
    },
  },
  snooze: {
    description: "Pause all new-paper messages for a while (at most 30 days)",
    options: { duration: "e.g. 30m, 2h, 3d, 1w, or off" },
  },
  notify: {
    description: "Where new-paper messages go, @-mentions of you, paper news in this channel",
    options: {
      setting: "here: DMs on this account · mentions: in posts about your papers · also-in-channel: thread news",
      value: "on or off",
    },
  },
  graph: { description: "Picture of a researcher's collaboration network" },
  suggest: {
    description: "Who to talk to: people near a researcher, or the central people of a topic",
    options: { query: "A researcher or a topic" },
  },
  invite: {
    description: "Invite a researcher who has claimed their profile to collaborate",
    options: {
      message: "Why you're getting in touch (leave out to write it in a form)",
    },
  },
  intro: {
    description: "Who in this server can introduce you to a researcher, through co-authors",
    options: {
      query: "The researcher you'd like to meet",
      message: "Why you'd like to meet them (with via)",
    },
  },
  team: {
    description: "Who works on what here: a map of the people who joined intros",
  },
  privacy: {
    description: "Join or leave this server's intros and team map",
    options: { choice: "on to join, off to leave" },
  },
  invites: { description: "Your collaboration invitations" },
  saved: { description: "Your reading list: papers you saved from new-paper messages" },
  block: { description: "Stop someone from sending you invitations" },
  unblock: { description: "Allow someone to send you invitations again" },
  claim: {
    description: "Claim your own author record so invitations reach you",
  },
  release: { description: "Give up your claim on an author record" },
  link: {
    description: "Join your Slack and Discord identities: run without a code on one, with the code on the other",
    options: { code: "The code you were given, e.g. ABCD-EFGH" },
  },
  approve: { description: "Approve a claim sent for review" },
  reject: { description: "Reject a claim sent for review" },
  revoke: { description: "Take a verified claim away from its claimant" },
  verify: {
    description: "Mark a claimed record as verified by the institution",
  },
  usage: {
    description: "Today's OpenAlex requests and spend against the daily budget",
  },
  help: { description: "List every command" },
};

/**
 * Discord allows 25 subcommands per level, so the admin commands sit in an `admin` group
 * (`/researcher admin approve claim_id:12`); the adapter routes by the subcommand's own name.
 */
const ADMIN_GROUP = {
  name: "admin",
  description: "Server admins: review claims, see OpenAlex usage",
};
const ADMIN_COMMANDS = new Set(["approve", "reject", "revoke", "verify", "usage"]);

/**
 * People in this server (`/researcher people intro query:…`): the top level was full, and a group
 * takes an option too, so block and unblock moved in with the new commands.
 */
const PEOPLE_GROUP = {
  name: "people",
  description: "People in this server: warm intros, the team map, your privacy, blocks",
};
const PEOPLE_COMMANDS = new Set(["intro", "team", "privacy", "block", "unblock"]);

/** Fields that name a person: Discord's user picker, which the adapter turns into a mention. */
const USER_FIELDS = new Set(["user", "via"]);

/** The parts of a zod input's JSON Schema (z.toJSONSchema, as the input is typed) that Discord can express. */
export interface FieldSchema {
  type?: "string" | "integer" | "number" | "boolean";
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: (string | number)[];
  const?: string | number;
}

/** A command's input fields as JSON Schema, in the order they are declared, and which are required. */
export function inputFields(command: Command<unknown>): {
  fields: [string, FieldSchema][];
  required: Set<string>;
} {
  const schema = z.toJSONSchema(command.input, {
    io: "input",
    unrepresentable: "any",
  }) as {
    properties?: Record<string, FieldSchema>;
    required?: string[];
  };
  return {
    fields: Object.entries(schema.properties ?? {}),
    required: new Set(schema.required ?? []),
  };
}

const choicesOf = (field: FieldSchema) => {
  const values = field.enum ?? (field.const !== undefined ? [field.const] : undefined);
  return values?.map((v) => ({ name: String(v), value: v }));
};

function addOptions(sub: SlashCommandSubcommandBuilder, command: Command<unknown>, presentation: Presentation): SlashCommandSubcommandBuilder {
  const { fields, required } = inputFields(command);
  for (const [field, schema] of fields) {
    const description = presentation.options?.[field] ?? OPTION_DESCRIPTIONS[field];
    if (!description) throw new Error(`/researcher ${command.name}: no Discord description for option ${field}`);
    const base = <
      O extends {
        setName(n: string): O;
        setDescription(d: string): O;
        setRequired(r: boolean): O;
      },
    >(
      o: O,
    ) => o.setName(optionName(field)).setDescription(description).setRequired(required.has(field));
    if (USER_FIELDS.has(field)) {
      sub.addUserOption((o) => base(o));
    } else if (schema.type === "boolean") {
      sub.addBooleanOption((o) => base(o));
    } else if (schema.type === "integer" || schema.type === "number") {
      const range = <O extends { setMinValue(n: number): O; setMaxValue(n: number): O }>(o: O) => {
        if (schema.minimum !== undefined) o.setMinValue(schema.minimum);
        if (schema.maximum !== undefined) o.setMaxValue(schema.maximum);
        return o;
      };
      if (schema.type === "integer") sub.addIntegerOption((o) => range(base(o)));
      else sub.addNumberOption((o) => range(base(o)));
    } else if (schema.type === "string") {
      sub.addStringOption((o) => {
        base(o);
        const choices = choicesOf(schema);
        if (choices) o.addChoices(...choices.map((c) => ({ name: c.name, value: String(c.value) })));
        if (field === AUTOCOMPLETED_FIELD) o.setAutocomplete(true);
        if (schema.minLength !== undefined) o.setMinLength(schema.minLength);
        if (schema.maxLength !== undefined) o.setMaxLength(schema.maxLength);
        return o;
      });
    } else {
      throw new Error(`/researcher ${command.name}: option ${field} has no Discord type (${JSON.stringify(schema)})`);
    }
  }
  return sub;
}

function subcommand(command: Command<unknown>) {
  const presentation = SUBCOMMANDS[command.name];
  if (!presentation) throw new Error(`/researcher ${command.name} has no Discord description in commands/discord-commands.ts`);
  return (s: SlashCommandSubcommandBuilder) => addOptions(s.setName(command.name).setDescription(presentation.description), command, presentation);
}

function buildResearcherCommand(commands: readonly Command<unknown>[]) {
  const builder = new SlashCommandBuilder()
    .setName("researcher")
    .setDescription("Look up researchers, follow their new papers, claim your profile, invite collaborators")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  // Each group stands where its first command is in the core's order.
  const groups = new Map<string, SlashCommandSubcommandGroupBuilder>();
  for (const command of commands) {
    if (!offeredOn(command, "discord")) continue;
    const group = ADMIN_COMMANDS.has(command.name) ? ADMIN_GROUP : PEOPLE_COMMANDS.has(command.name) ? PEOPLE_GROUP : null;
    if (!group) {
      builder.addSubcommand(subcommand(command));
      continue;
    }
    if (!groups.has(group.name))
      builder.addSubcommandGroup((g) => (groups.set(group.name, g), g.setName(group.name).setDescription(group.description)));
    groups.get(group.name)!.addSubcommand(subcommand(command));
  }
  return builder;
}

export const researcherCommand = buildResearcherCommand(allCommands);

/**
 * The core's message actions as message context-menu commands (type 3, MESSAGE: Apps → "Find
 * researchers in this message"); the name is what the adapter routes by, at most 32 characters.
 */
export const messageCommands = Object.values(messageActions).map((a) =>
  new ContextMenuCommandBuilder()
    .setName(a.label)
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .toJSON(),
);

/** The JSON the register script PUTs to Discord: /researcher, then the message context-menu commands. */
export const discordCommands: RESTPostAPIApplicationCommandsJSONBody[] = [researcherCommand.toJSON(), ...messageCommands];
