import type { Db } from "../db/client.js";
import { AccountService } from "./accounts/AccountService.js";
import { AuditLog } from "./audit/AuditLog.js";
import { ClaimNotifier } from "./claims/ClaimNotifier.js";
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy, ReminderService } from "./reminders/ReminderService.js";
import { ClaimService, type ClaimSettings } from "./claims/ClaimService.js";
import { DEFAULT_CLAIM_SETTINGS, linkSecretFrom } from "./claims/claimSettings.js";
import { CommandLimiter, type CommandLimits } from "./CommandLimiter.js";
import { CommandRouter } from "./commands/CommandRouter.js";
import { allCommands } from "./commands/index.js";
import type { Clock } from "./context.js";
import type { CoreServices } from "./CoreServices.js";
import { FollowService } from "./follows/FollowService.js";
import { InboxService } from "./inbox/InboxService.js";
import { IntroService } from "./intros/IntroService.js";
import { HomeService } from "./home/HomeService.js";
import { BlockService } from "./invitations/BlockService.js";
import { InvitationConnector } from "./invitations/InvitationConnector.js";
import { InvitationDeliverer } from "./invitations/InvitationDeliverer.js";
import { DEFAULT_INVITATION_POLICY, type InvitationPolicy, type InvitationQueue } from "./invitations/InvitationQueue.js";
import { InvitationService } from "./invitations/InvitationService.js";
import { DEFAULT_LINK_SETTINGS, LinkService, type LinkSettings } from "./linking/LinkService.js";
import type { CommandMetrics } from "./metrics.js";
import type { ErrorLog, Messengers } from "./ports.js";
import { ProfileService } from "./profiles/ProfileService.js";
import { ResearcherSearch } from "./search/ResearcherSearch.js";
import { DEFAULT_LIVE_LOOKUP_SETTINGS, LiveLookup, type LiveLookupSettings } from "./search/LiveLookup.js";
import type { ImportProgress, ImportQueue, ScholarlyDirectory } from "./search/ScholarlyDirectory.js";

export interface CoreDeps {
  db: Db;
  log: ErrorLog;
  /** Every time the core reads (leases, expiries, daily limits, digests): systemClock in production, pinned in tests. */
  clock: Clock;
  /** Outbound messaging per platform, provided by the adapters that are running. */
  messengers?: Messengers;
  /** Where answered commands are counted and timed (Prometheus in main.ts); none by default. */
  metrics?: CommandMetrics;
  /** How many commands run at once and how long one may wait its turn (config COMMAND_*); DEFAULT_COMMAND_LIMITS otherwise. */
  commands?: Partial<CommandLimits>;
  /**
   * Invitation delivery queue (the BullMQ producer from src/jobs/invitations) and policy (config
   * INVITE_*). Without a queue, invitations are delivered inline, once, with no retries.
   */
  invitations?: {
    queue?: InvitationQueue;
    policy?: Partial<InvitationPolicy>;
    /** How long a worker holds an invitation it is delivering before another may take it over (default 2 min). */
    deliveryLeaseMs?: number;
    /** When an unanswered invitation reminds its recipient (config INVITE_REMIND_AFTER_HOURS; default 48 h). */
    reminders?: Partial<ReminderPolicy>;
  };
  /** Claim verification (claimSettingsFrom(config)) and link-code limits; defaults suit the console. */
  claims?: Partial<ClaimSettings>;
  linking?: Partial<LinkSettings>;
  /**
   * Live lookup in the open scholarly graph (OpenAlexDirectory) and where the rest of an import runs
   * (the BullMQ producer from src/jobs/import; without one, inline). Without a directory, lookups are local only.
   */
  scholarly?: {
    directory?: ScholarlyDirectory;
    imports?: ImportQueue;
    settings?: Partial<LiveLookupSettings>;
    onImportProgress?: ImportProgress;
  };
}

/** The platform-neutral application: services plus the command router adapters call. */
export interface Core extends CoreServices {
  router: CommandRouter;
  /** Adapters run each command's work under it, after the platform's acknowledgement. */
  limiter: CommandLimiter;
}

export function createCore(deps: CoreDeps): Core {
  // Read through core.clock, so a test that swaps the clock moves claims and link codes with it.
  const clock: Clock = { now: () => core.clock.now() };
  const audit = new AuditLog(deps.db, () => clock.now());
  const claimSettings = { ...DEFAULT_CLAIM_SETTINGS, ...deps.claims };
  const inlineQueue: InvitationQueue = {
    enqueueDelivery: async (id) => {
      await core.invitationDeliverer.deliver(id);
      await core.invitationDeliverer.settled();
    },
  };
  const accounts = new AccountService(deps.db, clock);
  const intros = new IntroService(deps.db, clock, () => core.invitations);
  const core: Core = {
    db: deps.db,
    clock: deps.clock,
    accounts,
    search: new ResearcherSearch(deps.db),
    live: new LiveLookup(
      deps.db,
      clock,
      deps.scholarly?.directory,
      () => deps.scholarly?.imports,
      deps.log,
      { ...DEFAULT_LIVE_LOOKUP_SETTINGS, ...deps.scholarly?.settings },
      deps.scholarly?.onImportProgress,
    ),
    profiles: new ProfileService(deps.db),
    follows: new FollowService(deps.db, clock),
    invitations: new InvitationService(
      deps.db,
      { now: () => core.clock.now() },
      { ...DEFAULT_INVITATION_POLICY, ...deps.invitations?.policy },
      () => deps.invitations?.queue ?? inlineQueue,
      () => core.messengers,
      deps.log,
    ),
    invitationDeliverer: new InvitationDeliverer(
      deps.db,
      { now: () => core.clock.now() },
      () => core.messengers,
      deps.log,
      deps.invitations?.deliveryLeaseMs,
    ),
    reminders: new ReminderService(
      deps.db,
      clock,
      () => core.messengers,
      deps.log,
      { ...DEFAULT_REMINDER_POLICY, ...deps.invitations?.reminders },
      claimSettings.reviewChannel,
    ),
    invitationConnector: new InvitationConnector(deps.db, () => core.messengers, deps.log),
    blocks: new BlockService(deps.db, clock),
    audit,
    claims: new ClaimService(deps.db, audit, clock, new ClaimNotifier(deps.db, () => core.messengers, deps.log, clock), claimSettings),
    linking: new LinkService(deps.db, audit, clock, {
      ...DEFAULT_LINK_SETTINGS,
      secret: linkSecretFrom(claimSettings.signingSecret),
      ...deps.linking,
    }),
    messengers: deps.messengers ?? {},
    inbox: new InboxService(deps.db, clock),
    intros,
    home: new HomeService(deps.db, accounts, intros),
    router: new CommandRouter(allCommands, () => core, deps.log, deps.metrics),
    limiter: new CommandLimiter(deps.commands ?? {}, clock, deps.metrics),
  };
  return core;
}
