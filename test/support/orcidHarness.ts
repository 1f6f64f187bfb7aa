// Claims by ORCID sign-in, wired as in production: a test database with the demo data (Jonathan
// Frankle given the stand-in's iD), the ORCID stand-in, Peerlink's real HTTP server with its ORCID
// callback route, and a core that sends claimants to that stand-in. Specs drive it like a person:
// `/researcher claim …` in the console, then the browser's trip through ORCID and back.
import { ConsoleAdapter, consoleContext } from "../../src/adapters/console/ConsoleAdapter.js";
import { orcidRedirectUri } from "../../src/core/claims/oauthState.js";
import { type Core, createCore } from "../../src/core/Core.js";
import { HttpServer } from "../../src/http/HttpServer.js";
import { registerOrcidRoutes } from "../../src/http/orcid.js";
import { seedDemo } from "../../src/sources/demo/seedDemo.js";
import { OrcidOAuthClient } from "../../src/sources/orcid/OrcidOAuthClient.js";
import { type TestClock, testClock } from "./clock.js";
import { createTestDatabase, type TestDatabase } from "./db.js";
import { type OrcidStub, startOrcidStub } from "./orcid-stub.js";

/** The stand-in's (invented) iD for Jonathan Frankle: the demo record itself carries none. */
export const FRANKLE_ORCID = "0000-0000-0000-001X";

export interface OrcidHarness {
  t: TestDatabase;
  stub: OrcidStub;
  core: Core;
  clock: TestClock;
  client: { clientId: string; clientSecret: string };
  signingSecret: string;
  /** The demo researcher, Jonathan Frankle, whose record carries `FRANKLE_ORCID`. */
  researcherId: number;
  /** What the core and the HTTP server logged as errors: a spec expects none. */
  errors: unknown[];
  /** `who` types `/researcher claim Jonathan Frankle` in the console; the answer's ORCID authorize link. */
  claimLink(who: string): Promise<string>;
  /** Follows an authorize link like a browser, to the stand-in's redirect: the callback URL it sends the browser to. */
  callbackOf(link: string): Promise<URL>;
  close(): Promise<void>;
}

export function authorizeLink(output: string): string {
  const m = /https?:\/\/\S+\/oauth\/authorize\?\S+/.exec(output);
  if (!m) throw new Error(`no ORCID link in:\n${output}`);
  return m[0];
}

export async function startOrcidHarness(options: { clientId: string; signingSecret: string; clock?: TestClock }): Promise<OrcidHarness> {
  const client = { clientId: options.clientId, clientSecret: "stub-secret" };
  const clock = options.clock ?? testClock();
  const errors: unknown[] = [];
  const t = await createTestDatabase();
  const { researcherId } = await seedDemo(t.db);
  await t.db.researcher.update({ where: { id: researcherId }, data: { orcid: FRANKLE_ORCID } });
  const stub = await startOrcidStub(client);
  const http = new HttpServer((err) => errors.push(err));
  const publicUrl = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;
  const log = { error: (details: unknown) => errors.push(details) };
  const core = createCore({
    db: t.db,
    log,
    clock,
    claims: {
      verification: "orcid",
      orcid: { baseUrl: stub.url, clientId: client.clientId },
      publicUrl,
      signingSecret: options.signingSecret,
    },
  });
  const orcid = new OrcidOAuthClient({ baseUrl: stub.url, ...client, redirectUri: orcidRedirectUri(publicUrl) });
  registerOrcidRoutes(http, { claims: core.claims, orcid, log });

  return {
    t,
    stub,
    core,
    clock,
    client,
    signingSecret: options.signingSecret,
    researcherId,
    errors,
    claimLink: async (who) => authorizeLink(await new ConsoleAdapter(core, consoleContext(who)).answer("/researcher claim Jonathan Frankle")),
    async callbackOf(link) {
      const atOrcid = await fetch(link, { redirect: "manual" });
      if (atOrcid.status !== 302) throw new Error(`ORCID stand-in answered ${atOrcid.status}`);
      return new URL(atOrcid.headers.get("location")!);
    },
    async close() {
      await http.close();
      await stub.close();
      await t.drop();
    },
  };
}
