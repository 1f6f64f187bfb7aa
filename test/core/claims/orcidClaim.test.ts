// Claims verified by ORCID sign-in, driven end to end: console command → authorize link → the ORCID
// stand-in's redirect → Peerlink's real HTTP callback route → token exchange → claim decided.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleAdapter, consoleContext } from "../../../src/adapters/console/ConsoleAdapter.js";
import type { Core } from "../../../src/core/Core.js";
import { TEST_START, testClock } from "../../support/clock.js";
import type { TestDatabase } from "../../support/db.js";
import type { OrcidStub } from "../../support/orcid-stub.js";
import { authorizeLink, FRANKLE_ORCID, type OrcidHarness, startOrcidHarness } from "../../support/orcidHarness.js";

let h: OrcidHarness;
let t: TestDatabase;
let stub: OrcidStub;
let core: Core;
let researcherId: number;
let errors: unknown[];

/** Follows the link like a browser: ORCID's redirect, then Peerlink's callback page. */
async function signInVia(link: string): Promise<{ status: number; page: string; callback: string }> {
  const callback = (await h.callbackOf(link)).toString();
  const res = await fetch(callback);
  return { status: res.status, page: await res.text(), callback };
}

const researcher = () => t.db.researcher.findUniqueOrThrow({ where: { id: researcherId } });
const actions = async () => (await t.db.auditLog.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);

beforeAll(async () => {
  // Stopped at TEST_START: the expiry row moves it on by hand.
  h = await startOrcidHarness({
    clientId: "APP-PEERLINKTEST0001",
    signingSecret: "test-signing-secret",
    clock: testClock(TEST_START, { frozen: true }),
  });
  ({ t, stub, core, researcherId, errors } = h);
});
afterAll(async () => h?.close());

describe("claiming with ORCID sign-in", () => {
  it("answers /researcher claim with a single-use ORCID authorize link for this deployment", async () => {
    const out = await new ConsoleAdapter(core, consoleContext("alice")).answer("/researcher claim Jonathan Frankle");
    const link = new URL(authorizeLink(out));
    expect(`${link.origin}${link.pathname}`).toBe(`${stub.url}/oauth/authorize`);
    expect(link.searchParams.get("client_id")).toBe(h.client.clientId);
    expect(link.searchParams.get("response_type")).toBe("code");
    expect(link.searchParams.get("scope")).toBe("/authenticate");
    expect(link.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/orcid\/callback$/);
    expect(link.searchParams.get("state")).toBeTruthy();
    expect(await t.db.claim.count({ where: { researcherId, status: "pending", method: "orcid" } })).toBe(1);
  });

  it("refuses a sign-in whose ORCID iD is not the record's, and leaves the record unclaimed", async () => {
    const out = await new ConsoleAdapter(core, consoleContext("mallory")).answer("/researcher claim Jonathan Frankle");
    stub.signIn({ orcid: "0000-0001-5109-3700", name: "Mallory Example" });
    const { status, page } = await signInVia(authorizeLink(out));
    expect(status).toBe(403);
    expect(page).toContain("Claim refused");
    expect((await researcher()).claimedByAccountId).toBeNull();
    expect((await researcher()).verificationLevel).toBe(1);
    const claim = await t.db.claim.findFirstOrThrow({ where: { account: { displayName: "mallory" } } });
    expect(claim).toMatchObject({ status: "rejected", evidence: "0000-0001-5109-3700" });
  });

  it("refuses a forged state without ever asking ORCID", async () => {
    const out = await new ConsoleAdapter(core, consoleContext("alice")).answer("/researcher claim Jonathan Frankle");
    stub.signIn({ orcid: FRANKLE_ORCID, name: "Jonathan Frankle" });
    const atOrcid = await fetch(authorizeLink(out), { redirect: "manual" });
    const callback = new URL(atOrcid.headers.get("location")!);
    const before = stub.tokenRequests.length;

    const [nonce, claimId, exp, sig] = callback.searchParams.get("state")!.split(".");
    for (const forged of [`${nonce}.${Number(claimId) + 1}.${exp}.${sig}`, "made-up-state", `${nonce}.${claimId}.${exp}.${"A".repeat(43)}`]) {
      callback.searchParams.set("state", forged);
      const res = await fetch(callback);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("not valid");
    }
    expect(stub.tokenRequests.length).toBe(before);
    expect((await researcher()).claimedByAccountId).toBeNull();
  });

  it("refuses a state that has expired", async () => {
    const out = await new ConsoleAdapter(core, consoleContext("alice")).answer("/researcher claim Jonathan Frankle");
    h.clock.advance(11 * 60_000);
    const { status } = await signInVia(authorizeLink(out));
    expect(status).toBe(400);
    expect((await researcher()).claimedByAccountId).toBeNull();
  });

  it("keeps the claim pending and shows an error page when ORCID refuses the code", async () => {
    const out = await new ConsoleAdapter(core, consoleContext("alice")).answer("/researcher claim Jonathan Frankle");
    stub.signIn({ orcid: FRANKLE_ORCID, name: "Jonathan Frankle" });
    const atOrcid = await fetch(authorizeLink(out), { redirect: "manual" });
    const callback = new URL(atOrcid.headers.get("location")!);
    callback.searchParams.set("code", "not-a-code");
    const res = await fetch(callback);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain("Could not confirm with ORCID");
    expect((await researcher()).claimedByAccountId).toBeNull();
    expect(await t.db.claim.count({ where: { researcherId, status: "pending", method: "orcid" } })).toBe(1);
    expect(errors.splice(0)).toHaveLength(1);
  });

  it("verifies the claim when the signed-in ORCID iD matches: L2, claimed, trust rises, card says so", async () => {
    const alice = new ConsoleAdapter(core, consoleContext("alice"));
    const before = await alice.answer("/researcher Jonathan Frankle");
    expect(before).toMatch(/Trust\s+21 · Emerging/);
    expect(before).toContain("Unclaimed author");

    stub.signIn({ orcid: FRANKLE_ORCID, name: "Jonathan Frankle" });
    const { status, page, callback } = await signInVia(authorizeLink(await alice.answer("/researcher claim Jonathan Frankle")));
    expect(status).toBe(200);
    expect(page).toContain("Claim verified");

    const aliceAccount = await core.accounts.resolve(consoleContext("alice").actor);
    expect(await researcher()).toMatchObject({ verificationLevel: 2, claimedByAccountId: aliceAccount.accountId });
    expect(await core.claims.claimantOf(researcherId)).toBe(aliceAccount.accountId);
    const token = stub.tokenRequests.at(-1)!;
    expect(token.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(token.form).toMatchObject({ ...{ client_id: h.client.clientId, client_secret: h.client.clientSecret }, grant_type: "authorization_code" });
    expect(token.form.redirect_uri).toBe(new URL(callback).origin + "/oauth/orcid/callback");

    const after = await alice.answer("/researcher Jonathan Frankle");
    expect(after).toContain("Claimed by alice");
    expect(after).toContain("L2 · claimed and verified");
    expect(after).toMatch(/Trust\s+51 · Established/);
    expect(after).not.toContain("Claim this profile");

    // The same redirect again (a replay) is refused and changes nothing.
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await researcher()).toMatchObject({ claimedByAccountId: aliceAccount.accountId });
  });

  it("says so when the claimant already holds the record", async () => {
    expect(await new ConsoleAdapter(core, consoleContext("alice")).answer("/researcher claim Jonathan Frankle")).toContain("already claimed");
  });

  it("writes every step to the audit log", async () => {
    const refused = await t.db.auditLog.findMany({ where: { action: "claim.oauth_state_refused" } });
    expect(refused.map((r) => (r.details as { reason: string }).reason).sort()).toEqual(["expired", "forged", "forged", "forged", "replayed"]);
    const verified = await t.db.auditLog.findFirstOrThrow({ where: { action: "claim.verified" } });
    expect(verified.details).toMatchObject({ method: "orcid", evidence: FRANKLE_ORCID, previousLevel: 1, researcherId });
    expect(await actions()).toEqual(
      expect.arrayContaining(["claim.started", "claim.orcid_mismatch", "claim.oauth_state_refused", "claim.orcid_exchange_failed", "claim.verified"]),
    );
    expect(errors).toEqual([]);
  });
});
