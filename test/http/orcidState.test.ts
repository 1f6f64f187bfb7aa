// Issue #17, item 4: the ORCID sign-in `state`, forged or replayed. Each row starts real claims
// (console adapter → authorize link), sends the browser's callback requests to Peerlink's real HTTP
// route (the ORCID stand-in issues the codes and answers the token exchange), and checks the page,
// the status, and what Postgres holds: who holds the record, at what level, how often it was verified.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../src/adapters/console/ConsoleAdapter.js";
import { newNonce, orcidRedirectUri, signState } from "../../src/core/claims/oauthState.js";
import { type Core, createCore } from "../../src/core/Core.js";
import { HttpServer } from "../../src/http/HttpServer.js";
import { registerOrcidRoutes } from "../../src/http/orcid.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { OrcidOAuthClient } from "../../src/sources/orcid/OrcidOAuthClient.js";
import { testClock } from "../support/clock.js";
import { createTestDatabase, type TestDatabase } from "../support/db.js";
import { type OrcidStub, startOrcidStub } from "../support/orcid-stub.js";

const FRANKLE_ORCID = "0000-0000-0000-001X";
const MALLORY = { orcid: "0000-0001-5109-3700", name: "Mallory Example" };
const SECRET = "orcid-state-signing-secret";
const client = { clientId: "APP-PEERLINKSTATE01", clientSecret: "stub-secret" };

let t: TestDatabase;
let stub: OrcidStub;
let http: HttpServer;
let core: Core;
let researcherId: number;
const errors: unknown[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  ({ researcherId } = await seedDemo(t.db));
  await t.db.researcher.update({ where: { id: researcherId }, data: { orcid: FRANKLE_ORCID } });
  stub = await startOrcidStub(client);
  http = new HttpServer((err) => errors.push(err));
  const publicUrl = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  const log = { error: (details: unknown) => errors.push(details) };
  core = createCore({
    db: t.db,
    log,
    clock: testClock(),
    claims: { verification: "orcid", orcid: { baseUrl: stub.url, clientId: client.clientId }, publicUrl, signingSecret: SECRET },
  });
  const orcid = new OrcidOAuthClient({ baseUrl: stub.url, ...client, redirectUri: orcidRedirectUri(publicUrl) });
  registerOrcidRoutes(http, { claims: core.claims, orcid, log });
});

afterAll(async () => {
  await http?.close();
  await stub?.close();
  await t?.drop();
});

beforeEach(async () => {
  await t.db.$transaction([
    t.db.$executeRawUnsafe("DELETE FROM oauth_state"),
    t.db.$executeRawUnsafe("DELETE FROM claim"),
    t.db.$executeRawUnsafe("DELETE FROM audit_log"),
    t.db.$executeRawUnsafe("UPDATE researcher SET claimed_by_account_id = NULL, claimed_at = NULL, verification_level = 1"),
  ]);
  stub.signIn({ orcid: FRANKLE_ORCID, name: "Jonathan Frankle" });
});

/** `who` runs /researcher claim Jonathan Frankle; the callback URL ORCID sends their browser back to, after signing in. */
async function callbackFor(who: string): Promise<URL> {
  const out = await new ConsoleAdapter(core, consoleContext(who)).answer("/researcher claim Jonathan Frankle");
  const link = /https?:\/\/\S+\/oauth\/authorize\?\S+/.exec(out)?.[0];
  if (!link) throw new Error(`no ORCID link in:\n${out}`);
  const atOrcid = await fetch(link, { redirect: "manual" });
  if (atOrcid.status !== 302) throw new Error(`ORCID stand-in answered ${atOrcid.status}`);
  return new URL(atOrcid.headers.get("location")!);
}

const withState = (callback: URL, state: string) => {
  const u = new URL(callback);
  u.searchParams.set("state", state);
  return u;
};

async function open(url: URL): Promise<{ status: number; page: string }> {
  const res = await fetch(url);
  return { status: res.status, page: await res.text() };
}

/** The callback visited once, successfully, by `who` (asserted): the URL, to visit again. */
async function verifiedBy(who: string): Promise<URL> {
  const callback = await callbackFor(who);
  const first = await open(callback);
  if (first.status !== 200) throw new Error(`setup: the first sign-in answered ${first.status}: ${first.page}`);
  return callback;
}

const accountOf = async (who: string) => (await core.accounts.resolve(consoleContext(who).actor)).accountId;

interface StateCase {
  name: string;
  /** The callback requests the row's browser sends, at once; what each answered, in order. */
  send: () => Promise<{ status: number; page: string }[]>;
  statuses: number[];
  /** Every refused answer is this friendly page. */
  refusedPage?: RegExp;
  /** Who holds Jonathan Frankle's record afterwards (by console name), at which level, after how many verifications. */
  holder: string | null;
  level: number;
  verified: number;
  /** Token exchanges ORCID was asked for: a refused state must not reach ORCID. */
  exchanges: number;
  /** Why each refusal was refused, as the audit log says (claim.oauth_state_refused). */
  reasons: string[];
}

const NOT_VALID = /This sign-in link is not valid[\s\S]*It may have expired or been used already\. Start again from chat/;

/** What every forged state leads to: the friendly page, nothing verified, ORCID never asked. */
const REFUSED_AS_FORGED = {
  statuses: [400],
  refusedPage: NOT_VALID,
  holder: null,
  level: 1,
  verified: 0,
  exchanges: 0,
  reasons: ["forged"],
} satisfies Omit<StateCase, "name" | "send">;

/** What a state used once already leads to: the friendly page; the record verified once, still Alice's. */
const REFUSED_AS_REPLAYED = {
  statuses: [400],
  refusedPage: NOT_VALID,
  holder: "alice",
  level: 2,
  verified: 1,
  exchanges: 1,
  reasons: ["replayed"],
} satisfies Omit<StateCase, "name" | "send">;

const cases: StateCase[] = [
  {
    name: "a made-up state is refused with a friendly page; nothing is verified and ORCID is never asked",
    send: async () => [await open(withState(await callbackFor("alice"), "made-up-state"))],
    ...REFUSED_AS_FORGED,
  },
  {
    name: "a well-formed state signed by someone else's key (never issued here) is refused",
    send: async () => {
      const callback = await callbackFor("alice");
      const [, claimId] = callback.searchParams.get("state")!.split(".");
      const forged = signState(
        { nonce: newNonce(), claimId: Number(claimId), expiresAt: new Date(core.clock.now().getTime() + 600_000) },
        "not-our-secret",
      );
      return [await open(withState(callback, forged))];
    },
    ...REFUSED_AS_FORGED,
  },
  {
    name: "a state signed with our key but never issued (no stored nonce) is refused",
    send: async () => {
      const callback = await callbackFor("alice");
      const [, claimId] = callback.searchParams.get("state")!.split(".");
      const unissued = signState({ nonce: newNonce(), claimId: Number(claimId), expiresAt: new Date(core.clock.now().getTime() + 600_000) }, SECRET);
      return [await open(withState(callback, unissued))];
    },
    ...REFUSED_AS_FORGED,
  },
  {
    name: "Mallory's own genuine state sent with Alice's claim number is refused: Alice's claim is not verified for Mallory",
    send: async () => {
      const alice = await callbackFor("alice");
      const mallory = await callbackFor("mallory");
      const [, aliceClaim] = alice.searchParams.get("state")!.split(".");
      const [nonce, , exp, sig] = mallory.searchParams.get("state")!.split(".");
      return [await open(withState(mallory, `${nonce}.${aliceClaim}.${exp}.${sig}`))];
    },
    ...REFUSED_AS_FORGED,
  },
  {
    name: "the same callback again after it verified the claim is refused; the record is verified once, still Alice's",
    send: async () => [await open(await verifiedBy("alice"))],
    ...REFUSED_AS_REPLAYED,
  },
  {
    name: "Alice's used state with a fresh ORCID code of Mallory's is refused before ORCID is asked; the record stays Alice's",
    send: async () => {
      const used = await verifiedBy("alice");
      // The same state, signed in again at ORCID, as Mallory: a fresh, genuine code for it.
      stub.signIn(MALLORY);
      const again = new URL(`${stub.url}/oauth/authorize`);
      again.search = new URLSearchParams({
        client_id: client.clientId,
        response_type: "code",
        scope: "/authenticate",
        redirect_uri: `${used.origin}${used.pathname}`,
        state: used.searchParams.get("state")!,
      }).toString();
      const fresh = new URL((await fetch(again, { redirect: "manual" })).headers.get("location")!);
      expect(fresh.searchParams.get("code")).not.toBe(used.searchParams.get("code"));
      return [await open(fresh)];
    },
    ...REFUSED_AS_REPLAYED,
  },
  {
    name: "the same callback twice at once: exactly one verifies, the other is refused",
    send: async () => {
      const callback = await callbackFor("alice");
      const both = await Promise.all([open(callback), open(callback)]);
      return both.sort((a, b) => a.status - b.status);
    },
    ...REFUSED_AS_REPLAYED,
    statuses: [200, 400],
  },
];

describe("ORCID sign-in state, forged or replayed", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const exchangesBefore = stub.tokenRequests.length;
      const answers = await c.send();
      expect(answers.map((a) => a.status)).toEqual(c.statuses);
      for (const a of answers.filter((x) => x.status !== 200)) expect(a.page).toMatch(c.refusedPage ?? /$^/);
      const r = await t.db.researcher.findUniqueOrThrow({ where: { id: researcherId } });
      expect({ holder: r.claimedByAccountId, level: r.verificationLevel }).toEqual({
        holder: c.holder === null ? null : await accountOf(c.holder),
        level: c.level,
      });
      expect(await t.db.auditLog.count({ where: { action: "claim.verified" } })).toBe(c.verified);
      expect(stub.tokenRequests.length - exchangesBefore).toBe(c.exchanges);
      const refused = await t.db.auditLog.findMany({ where: { action: "claim.oauth_state_refused" } });
      expect(refused.map((a) => (a.details as { reason: string }).reason)).toEqual(c.reasons);
      expect(errors).toEqual([]);
    });
  }
});
