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

const claimNumber = (sub: Sub) =>
  sub.addIntegerOption((o) => o.setName("claim_id").setDescription("The claim number, e.g. 12").setRequired(true).setMinValue(1));

const person = (sub: Sub) => sub.addUserOption((o) => o.setName("user").setDescription("The person").setRequired(true));

/**
 * Discord allows 25 options per command, so the four admin commands sit in an `admin` group
 * (`/researcher admin approve claim_id:12`); the adapter routes by the subcommand's own name.
 * Option names are snake_case (Discord wants lower case); the adapter turns them into the core's
 * camelCase field names (claim_id → claimId).
 */
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
  .addSubcommand((s) => researcher(s.setName("mute").setDescription("Keep following a researcher but stop messages about their papers")))
  .addSubcommand((s) => researcher(s.setName("unmute").setDescription("Hear about a muted researcher's new papers again")))
  .addSubcommand((s) => researcher(s.setName("subscribe").setDescription("Post a researcher's new papers in this channel (channel managers)")))
  .addSubcommand((s) => researcher(s.setName("unsubscribe").setDescription("Stop posting a researcher's new papers here (channel managers)")))
  .addSubcommand((s) => page(s.setName("subscriptions").setDescription("List the researchers whose new papers this channel gets")))
  .addSubcommand((s) =>
    s
      .setName("digest")
      .setDescription("Get new papers one by one, or as a daily or weekly message")
      .addStringOption((o) =>
        o
          .setName("mode")
          .setDescription("How often")
          .addChoices({ name: "instant", value: "instant" }, { name: "daily", value: "daily" }, { name: "weekly", value: "weekly" }),
      )
      .addIntegerOption((o) => o.setName("hour").setDescription("Your local hour for the digest, 0-23").setMinValue(0).setMaxValue(23))
      .addStringOption((o) => o.setName("timezone").setDescription("e.g. Europe/Berlin").setMaxLength(64)),
  )
  .addSubcommand((s) =>
    s
      .setName("snooze")
      .setDescription("Pause all new-paper messages for a while (at most 30 days)")
      .addStringOption((o) => o.setName("duration").setDescription("e.g. 30m, 2h, 3d, 1w, or off").setRequired(true).setMaxLength(20)),
  )
  .addSubcommand((s) =>
    s
      .setName("notify")
      .setDescription("Send your new-paper messages to this Discord account")
      .addStringOption((o) => o.setName("where").setDescription("Where to send them").setRequired(true).addChoices({ name: "here", value: "here" })),
  )
  .addSubcommand((s) => share(researcher(s.setName("graph").setDescription("Picture of a researcher's collaboration network"))))
  .addSubcommand((s) =>
    s
      .setName("suggest")
      .setDescription("Who to talk to: people near a researcher, or the central people of a topic")
      .addStringOption((o) =>
        o.setName("query").setDescription("A researcher or a topic").setRequired(true).setAutocomplete(true).setMaxLength(QUERY_MAX),
      ),
  )
  .addSubcommand((s) =>
    researcher(s.setName("invite").setDescription("Invite a researcher who has claimed their profile to collaborate")).addStringOption((o) =>
      o.setName("message").setDescription("Why you're getting in touch (leave out to write it in a form)").setMaxLength(MESSAGE_MAX),
    ),
  )
  .addSubcommand((s) => s.setName("invites").setDescription("Your collaboration invitations"))
  .addSubcommand((s) => s.setName("inbox").setDescription("Console only: messages kept for local users (here they arrive as DMs)"))
  .addSubcommand((s) => person(s.setName("block").setDescription("Stop someone from sending you invitations")))
  .addSubcommand((s) => person(s.setName("unblock").setDescription("Allow someone to send you invitations again")))
  .addSubcommand((s) => researcher(s.setName("claim").setDescription("Claim your own author record so invitations reach you")))
  .addSubcommand((s) => researcher(s.setName("release").setDescription("Give up your claim on an author record")))
  .addSubcommand((s) =>
    s
      .setName("link")
      .setDescription("Join your Slack and Discord identities: run without a code on one, with the code on the other")
      .addStringOption((o) => o.setName("code").setDescription("The code you were given, e.g. ABCD-EFGH").setMaxLength(20)),
  )
  .addSubcommandGroup((g) =>
    g
      .setName("admin")
      .setDescription("Server admins: review claims")
      .addSubcommand((s) => claimNumber(s.setName("approve").setDescription("Approve a claim sent for review")))
      .addSubcommand((s) => claimNumber(s.setName("reject").setDescription("Reject a claim sent for review")))
      .addSubcommand((s) => researcher(s.setName("revoke").setDescription("Take a verified claim away from its claimant")))
      .addSubcommand((s) => researcher(s.setName("verify").setDescription("Mark a claimed record as verified by the institution"))),
  )
  .addSubcommand((s) => s.setName("help").setDescription("List every command"));

/** The JSON the register script PUTs to Discord. */
export const discordCommands: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [researcherCommand.toJSON()];
