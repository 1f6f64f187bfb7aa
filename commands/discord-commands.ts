// The `/researcher` application command for Discord: one subcommand per core command, with typed
// options named exactly like the core command's input fields, so the adapter can route any
// subcommand generically as router.handle(subcommand, options).
// Register with `npm run commands:register -- --guild <id>` (instant) or `-- --global`.
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from "discord.js";

/** The core's limits on what users type (src/core/commands/lookup.ts `query`, invite.ts `message`). */
const QUERY_MAX = 200;
const MESSAGE_MAX = 1000;

type Sub = SlashCommandSubcommandBuilder;

/** A researcher, by name (with autocomplete), ORCID iD or OpenAlex id. */
const researcher = (sub: Sub, description = "Name, ORCID iD or OpenAlex id") =>
  sub.addStringOption((o) =>
    o.setName("query").setDescription(description).setRequired(true).setAutocomplete(true).setMinLength(1).setMaxLength(QUERY_MAX),
  );

const page = (sub: Sub) => sub.addIntegerOption((o) => o.setName("page").setDescription("Page number").setMinValue(1).setMaxValue(10_000));

const share = (sub: Sub) => sub.addBooleanOption((o) => o.setName("share").setDescription("Post it in the channel for everyone"));

const person = (sub: Sub) => sub.addUserOption((o) => o.setName("user").setDescription("The person").setRequired(true));

export const researcherCommand = new SlashCommandBuilder()
  .setName("researcher")
  .setDescription("Look up researchers, follow their new papers, claim your profile, invite collaborators")
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((s) => share(researcher(s.setName("lookup").setDescription("Show a researcher's profile card"))))
  .addSubcommand((s) => page(researcher(s.setName("works").setDescription("Page through a researcher's works, most recent first"))))
  .addSubcommand((s) => researcher(s.setName("follow").setDescription("Get a message when a researcher publishes new work")))
  .addSubcommand((s) => researcher(s.setName("unfollow").setDescription("Stop following a researcher")))
  .addSubcommand((s) => page(s.setName("following").setDescription("List the researchers you follow")))
  // subscribe, unsubscribe, claim and link are being added to the core; their inputs follow the issue:
  // subscribe/unsubscribe/claim {query}, link {code}.
  .addSubcommand((s) => researcher(s.setName("subscribe").setDescription("Post a researcher's new papers in this channel")))
  .addSubcommand((s) => researcher(s.setName("unsubscribe").setDescription("Stop posting a researcher's new papers in this channel")))
  .addSubcommand((s) => researcher(s.setName("claim").setDescription("Claim your own researcher profile (verified with ORCID)")))
  .addSubcommand((s) =>
    s
      .setName("link")
      .setDescription("Link this Discord account to your Peerlink account on another platform")
      .addStringOption((o) => o.setName("code").setDescription("The one-time code you were given").setMinLength(1).setMaxLength(64)),
  )
  .addSubcommand((s) =>
    researcher(s.setName("invite").setDescription("Invite a researcher who has claimed their profile to collaborate")).addStringOption((o) =>
      o.setName("message").setDescription("Why you're getting in touch (leave out to write it in a form)").setMaxLength(MESSAGE_MAX),
    ),
  )
  .addSubcommand((s) => s.setName("invites").setDescription("Your collaboration invitations"))
  .addSubcommand((s) => share(researcher(s.setName("graph").setDescription("Picture of a researcher's collaboration network"))))
  .addSubcommand((s) =>
    s
      .setName("suggest")
      .setDescription("Who to talk to: people near a researcher, or the central people of a topic")
      .addStringOption((o) =>
        o.setName("query").setDescription("A researcher or a topic").setRequired(true).setAutocomplete(true).setMaxLength(QUERY_MAX),
      ),
  )
  .addSubcommand((s) => person(s.setName("block").setDescription("Stop someone from sending you invitations")))
  .addSubcommand((s) => person(s.setName("unblock").setDescription("Allow someone to send you invitations again")))
  .addSubcommand((s) => s.setName("help").setDescription("List every command"));

/** The JSON the register script PUTs to Discord. */
export const discordCommands: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [researcherCommand.toJSON()];
