// Issue #17, item 4: the ORCID sign-in `state`, forged or replayed. Each row starts real claims
// (console adapter → authorize link), sends the browser's callback requests to Peerlink's real HTTP
// route (the ORCID stand-in issues the codes and answers the token exchange), and checks the page,
// the status, and what Postgres holds: who holds the record, at what level, how often it was verified.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consoleContext } from "../../src/adapters/console/ConsoleAdapter.js";
import { newNonce, signState } from "../../src/core/claims/oauthState.js";
import { FRANKLE_ORCID, type OrcidHarness, startOrcidHarness } from "../support/orcidHarness.js";

const MALLORY = { orcid: "0000-0001-5109-3700", name: "Mallory Example" };
const SECRET = "orcid-state-signing-secret";

let h: OrcidHarness;
beforeAll(async () => {
  h = await startOrcidHarness({ clientId: "APP-PEERLINKSTATE01", signingSecret: SECRET });
});
afterAll(async () => h?.close());

beforeEach(async () => {
  const { db } = h.t;
  await db.$transaction([
    db.$executeRawUnsafe("DELETE FROM oauth_state"),
    db.$executeRawUnsafe("DELETE FROM claim"),
    db.$executeRawUnsafe("DELETE FROM audit_log"),
    db.$executeRawUnsafe("UPDATE researcher SET claimed_by_account_id = NULL, claimed_at = NULL, verification_level = 1"),
  ]);
  h.stub.signIn({ orcid: FRANKLE_ORCID, name: "Jonathan Frankle" });
});

/** `who` runs /researcher claim Jonathan Frankle; the callback URL ORCID sends their browser back to, after signing in. */
const callbackFor = async (who: string): Promise<URL> => h.callbackOf(await h.claimLink(who));

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

const accountOf = async (who: string) => (await h.core.accounts.resolve(consoleContext(who).actor)).accountId;

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
        { nonce: newNonce(), claimId: Number(claimId), expiresAt: new Date(h.clock.now().getTime() + 600_000) },
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
      const unissued = signState({ nonce: newNonce(), claimId: Number(claimId), expiresAt: new Date(h.clock.now().getTime() + 600_000) }, SECRET);
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
      h.stub.signIn(MALLORY);
      const again = new URL(`${h.stub.url}/oauth/authorize`);
      again.search = new URLSearchParams({
        client_id: h.client.clientId,
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
      const exchangesBefore = h.stub.tokenRequests.length;
      const answers = await c.send();
      expect(answers.map((a) => a.status)).toEqual(c.statuses);
      for (const a of answers.filter((x) => x.status !== 200)) expect(a.page).toMatch(c.refusedPage ?? /$^/);
      const r = await h.t.db.researcher.findUniqueOrThrow({ where: { id: h.researcherId } });
      expect({ holder: r.claimedByAccountId, level: r.verificationLevel }).toEqual({
        holder: c.holder === null ? null : await accountOf(c.holder),
        level: c.level,
      });
      expect(await h.t.db.auditLog.count({ where: { action: "claim.verified" } })).toBe(c.verified);
      expect(h.stub.tokenRequests.length - exchangesBefore).toBe(c.exchanges);
      const refused = await h.t.db.auditLog.findMany({ where: { action: "claim.oauth_state_refused" } });
      expect(refused.map((a) => (a.details as { reason: string }).reason)).toEqual(c.reasons);
      expect(h.errors).toEqual([]);
    });
  }
});
