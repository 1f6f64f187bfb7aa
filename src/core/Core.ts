import type { Db } from "../db/client.js";
import { AccountService } from "./accounts/AccountService.js";
import { CommandRouter, type ErrorLog } from "./commands/CommandRouter.js";
import { allCommands } from "./commands/index.js";
import { type Clock, systemClock } from "./context.js";
import { FollowService } from "./follows/FollowService.js";
import type { Messengers } from "./ports.js";
import { ProfileService } from "./profiles/ProfileService.js";
import { ResearcherSearch } from "./search/ResearcherSearch.js";

export interface CoreDeps {
  db: Db;
  log: ErrorLog;
  clock?: Clock;
  /** Outbound messaging per platform, provided by the adapters that are running. */
  messengers?: Messengers;
}

/** The platform-neutral application: services plus the command router adapters call. */
export interface Core {
  db: Db;
  clock: Clock;
  accounts: AccountService;
  search: ResearcherSearch;
  profiles: ProfileService;
  follows: FollowService;
  messengers: Messengers;
  router: CommandRouter;
}

export function createCore(deps: CoreDeps): Core {
  const core: Core = {
    db: deps.db,
    clock: deps.clock ?? systemClock,
    accounts: new AccountService(deps.db),
    search: new ResearcherSearch(deps.db),
    profiles: new ProfileService(deps.db),
    follows: new FollowService(deps.db),
    messengers: deps.messengers ?? {},
    router: new CommandRouter(allCommands, () => core, deps.log),
  };
  return core;
}
