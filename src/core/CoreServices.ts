// The services commands work with: everything the core holds except the command router, so that
// commands depend on services and the router, never on Core.ts (which builds the router from them).
import type { Db } from "../db/client.js";
import type { AccountService } from "./accounts/AccountService.js";
import type { AuditLog } from "./audit/AuditLog.js";
import type { ClaimService } from "./claims/ClaimService.js";
import type { Clock } from "./context.js";
import type { FollowService } from "./follows/FollowService.js";
import type { HomeService } from "./home/HomeService.js";
import type { InboxService } from "./inbox/InboxService.js";
import type { IntroService } from "./intros/IntroService.js";
import type { BlockService } from "./invitations/BlockService.js";
import type { InvitationConnector } from "./invitations/InvitationConnector.js";
import type { InvitationDeliverer } from "./invitations/InvitationDeliverer.js";
import type { InvitationService } from "./invitations/InvitationService.js";
import type { LinkService } from "./linking/LinkService.js";
import type { Messengers } from "./ports.js";
import type { ProfileService } from "./profiles/ProfileService.js";
import type { LiveLookup } from "./search/LiveLookup.js";
import type { ReminderService } from "./reminders/ReminderService.js";
import type { ResearcherSearch } from "./search/ResearcherSearch.js";

export interface CoreServices {
  db: Db;
  clock: Clock;
  accounts: AccountService;
  search: ResearcherSearch;
  live: LiveLookup;
  profiles: ProfileService;
  follows: FollowService;
  invitations: InvitationService;
  invitationDeliverer: InvitationDeliverer;
  invitationConnector: InvitationConnector;
  /** Unanswered-invitation, expired-invitation and open-claim-review reminders (run by the invitation maintenance worker). */
  reminders: ReminderService;
  blocks: BlockService;
  audit: AuditLog;
  claims: ClaimService;
  linking: LinkService;
  messengers: Messengers;
  /** What the console messenger delivered to local users. */
  inbox: InboxService;
  /** Warm introductions: members' co-author paths to a researcher, the privacy opt-in, the team map. */
  intros: IntroService;
  /** A person's dashboard: Slack's Home tab and `/researcher home` everywhere. */
  home: HomeService;
}
