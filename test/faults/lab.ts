// The fault suite's laboratory: its own PostgreSQL cluster and redis-server (servers.ts), a database
// migrated with the real `npm run db:migrate` and seeded once as a template (followers of the demo
// researcher, daily-digest followers, claimed researchers who invite each other, invitations about
// to expire), and the stand-ins. Each scenario clones the template, so every one starts from the
// same data in about a second.
import { execFileSync } from "node:child_process";
import pg from "pg";
import { createDb } from "../../src/db/client.js";
import { searchName } from "../../src/core/text.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { TEST_START } from "../support/clock.js";
import { FRANKLE, type OpenAlexStub, startOpenAlexStub } from "../support/openalex-stub.js";
import { newFrankleWork } from "../jobs/notifications/harness.js";
import { type OwnPostgres, type OwnRedis, startOwnPostgres, startOwnRedis, stopAllServers } from "./servers.js";

export interface FaultSize {
  label: "ci" | "full";
  /** Followers of the demo researcher; each gets one message per new work. */
  followers: number;
  works: number;
  /** Followers on a daily digest at 13:00 UTC, the hour the clock jump crosses. */
  digestFollowers: number;
  invitations: number;
  /** Delivered invitations that expire at 12:30 on the test clock (the clock jump closes them). */
  expiring: number;
  /** How long each Slack failure mode lasts (the 429 storm: a minute in the full run). */
  stormMs: number;
  /** How long a scenario may take to deliver everything before what is missing counts as lost. */
  deadlineMs: number;
}

export const SIZES: Record<FaultSize["label"], FaultSize> = {
  // The size: 10,000 notification deliveries and 2,000 invitations in flight.
  full: { label: "full", followers: 2_500, works: 4, digestFollowers: 100, invitations: 2_000, expiring: 50, stormMs: 60_000, deadlineMs: 600_000 },
  ci: { label: "ci", followers: 60, works: 2, digestFollowers: 6, invitations: 40, expiring: 5, stormMs: 2_500, deadlineMs: 90_000 },
};

export const SLACK_TEAM = "T0FAULTS";
export const DISCORD_GUILD = "1200000000000000077";
export const DIGEST_HOUR = 13;

/** One claimed researcher per inviter; inviter i invites the researcher of person i+1. */
export interface Claimant {
  platform: "slack" | "discord";
  userId: string;
  name: string;
  researcherId: number;
}

export interface Lab {
  size: FaultSize;
  pg: OwnPostgres;
  redis: OwnRedis;
  openalex: OpenAlexStub;
  template: string;
  claimants: Claimant[];
  researcherId: number;
  /** A fresh database cloned from the template; returns its URL. */
  cloneDatabase(name: string): Promise<string>;
  close(): Promise<void>;
}

const slackUser = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, "0")}`; // 7 characters: the stand-in's DM id keeps 9
const discordUser = (prefix: string, i: number) => `${prefix}${String(i).padStart(8, "0")}`;

async function seed(url: string, size: FaultSize): Promise<{ researcherId: number; claimants: Claimant[] }> {
  const db = createDb(url, { poolSize: 4 });
  try {
    const { researcherId } = await seedDemo(db);
    await db.researcher.update({ where: { id: researcherId }, data: { openalexId: FRANKLE.openalexId, orcid: FRANKLE.orcid } });
    const since = new Date(TEST_START.getTime() - 86_400_000);
    const follower = (i: number) =>
      i % 2
        ? { platform: "slack" as const, tenantId: SLACK_TEAM, userId: slackUser("UF", i) }
        : { platform: "discord" as const, tenantId: DISCORD_GUILD, userId: discordUser("18", i) };
    const batch: Promise<unknown>[] = [];
    const flush = async () => void (await Promise.all(batch.splice(0)));
    for (let i = 0; i < size.followers; i++) {
      batch.push(
        db.account.create({
          data: { displayName: `Follower ${i}`, identities: { create: follower(i) }, follows: { create: { researcherId, createdAt: since } } },
        }),
      );
      if (batch.length >= 50) await flush();
    }
    for (let i = 0; i < size.digestFollowers; i++) {
      batch.push(
        db.account.create({
          data: {
            displayName: `Digest reader ${i}`,
            digestMode: "daily",
            digestHour: DIGEST_HOUR,
            timezone: "UTC",
            identities: { create: { platform: "slack", tenantId: SLACK_TEAM, userId: slackUser("UD", i) } },
            follows: { create: { researcherId, createdAt: since } },
          },
        }),
      );
      if (batch.length >= 50) await flush();
    }
    await flush();
    const claimants: Claimant[] = [];
    for (let i = 0; i < size.invitations; i++) {
      const platform = i % 2 ? ("slack" as const) : ("discord" as const);
      const userId = platform === "slack" ? slackUser("UR", i) : discordUser("19", i);
      const name = `Researcher Number${i}`;
      const account = await db.account.create({
        data: { displayName: name, identities: { create: { platform, tenantId: platform === "slack" ? SLACK_TEAM : DISCORD_GUILD, userId } } },
      });
      const r = await db.researcher.create({
        data: { displayName: name, searchName: searchName(name), claimedByAccountId: account.id, claimedAt: since },
      });
      claimants.push({ platform, userId, name, researcherId: r.id });
    }
    // Invitations sent and delivered the day before, unanswered, expiring at 12:30 on the test clock:
    // only the clock jump closes them, each with one notice to its sender.
    const accounts = await db.chatIdentity.findMany({ where: { userId: { in: claimants.map((c) => c.userId) } } });
    const identityOf = new Map(accounts.map((a) => [a.userId, a]));
    for (let i = 0; i < size.expiring; i++) {
      const sender = identityOf.get(claimants[i]!.userId)!;
      const target = claimants[(i + 2) % claimants.length]!;
      const recipient = identityOf.get(target.userId)!;
      await db.invitation.create({
        data: {
          senderAccountId: sender.accountId,
          senderIdentityId: sender.id,
          researcherId: target.researcherId,
          recipientAccountId: recipient.accountId,
          message: `An older question [fx-${i}]`,
          status: "delivered",
          originPlatform: sender.platform,
          originTenantId: sender.tenantId,
          originChannelId: "C0FAULTS",
          createdAt: since,
          expiresAt: new Date(TEST_START.getTime() + 30 * 60_000),
        },
      });
    }
    return { researcherId, claimants };
  } finally {
    await db.$disconnect();
  }
}

export async function openLab(size: FaultSize): Promise<Lab> {
  try {
    const [pgServer, redis, openalex] = await Promise.all([startOwnPostgres(), startOwnRedis(), startOpenAlexStub()]);
    for (let n = 1; n <= size.works; n++) openalex.addWork(newFrankleWork(n, TEST_START));
    const template = "faults_template";
    execFileSync("npm", ["run", "--silent", "db:migrate"], {
      env: { ...process.env, DATABASE_URL: pgServer.url(template) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const { researcherId, claimants } = await seed(pgServer.url(template), size);
    return {
      size,
      pg: pgServer,
      redis,
      openalex,
      template,
      claimants,
      researcherId,
      async cloneDatabase(name) {
        const admin = new pg.Client({ connectionString: pgServer.url("postgres") });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        } finally {
          await admin.end();
        }
        return pgServer.url(name);
      },
      async close() {
        await openalex.close();
        await Promise.all([pgServer.stop(), redis.stop()]);
        stopAllServers();
      },
    };
  } catch (error) {
    stopAllServers();
    throw error;
  }
}
