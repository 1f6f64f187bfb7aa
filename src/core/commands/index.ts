import type { AnyCommand } from "./Command.js";
import { approveCommand, rejectCommand } from "./approve.js";
import { blockCommand, unblockCommand } from "./block.js";
import { claimCommand } from "./claim.js";
import { digestCommand } from "./digest.js";
import { followAny, followingAll, subscribeAny, subscriptionsAll, unfollowAny, unsubscribeAny } from "./alertCommands.js";
import { followCommand, unfollowCommand } from "./follow.js";
import { graphCommand } from "./graph.js";
import { helpCommand } from "./help.js";
import { homeCommand } from "./home.js";
import { inboxCommand } from "./inbox.js";
import { introCommand } from "./intro.js";
import { inviteCommand } from "./invite.js";
import { invitesCommand } from "./invites.js";
import { linkCommand } from "./link.js";
import { lookupCommand } from "./lookup.js";
import { muteCommand, unmuteCommand } from "./mute.js";
import { notifyCommand } from "./notify.js";
import { privacyCommand } from "./privacy.js";
import { suggestCommand } from "./suggest.js";
import { teamCommand } from "./team.js";
import { releaseCommand, revokeCommand } from "./release.js";
import { savedCommand } from "./saved.js";
import { verifyCommand } from "./verify.js";
import { snoozeCommand } from "./snooze.js";
import { subscribeCommand, unsubscribeCommand } from "./subscribe.js";
import { usageCommand } from "./usage.js";
import { worksCommand } from "./works.js";

/** Every `/researcher` subcommand, in the order help lists them. */
export const allCommands: AnyCommand[] = [
  lookupCommand,
  homeCommand,
  worksCommand,
  followAny(followCommand),
  unfollowAny(unfollowCommand),
  followingAll,
  muteCommand,
  unmuteCommand,
  subscribeAny(subscribeCommand),
  unsubscribeAny(unsubscribeCommand),
  subscriptionsAll,
  digestCommand,
  snoozeCommand,
  notifyCommand,
  graphCommand,
  suggestCommand,
  introCommand,
  teamCommand,
  inviteCommand,
  invitesCommand,
  inboxCommand,
  savedCommand,
  blockCommand,
  unblockCommand,
  privacyCommand,
  claimCommand,
  releaseCommand,
  linkCommand,
  approveCommand,
  rejectCommand,
  revokeCommand,
  verifyCommand,
  usageCommand,
  helpCommand(() => allCommands),
];
