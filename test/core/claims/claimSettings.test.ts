import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.js";
import { claimSettingsFrom } from "../../../src/core/claims/claimSettings.js";
import { orcidClientFrom } from "../../../src/sources/orcid/OrcidOAuthClient.js";
import { startOrcidStub } from "../../support/orcid-stub.js";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/peerlink" };

describe("claim settings from config", () => {
  it("offers ORCID sign-in only when the ORCID client is configured", () => {
    const plain = loadConfig(base);
    expect(claimSettingsFrom(plain)).toMatchObject({ verification: "both", orcid: undefined });
    expect(orcidClientFrom(plain)).toBeUndefined();

    const withOrcid = loadConfig({
      ...base,
      ORCID_CLIENT_ID: "APP-1",
      ORCID_CLIENT_SECRET: "s",
      SIGNING_SECRET: "k",
      PUBLIC_URL: "https://peerlink.example/",
    });
    expect(claimSettingsFrom(withOrcid)).toMatchObject({
      orcid: { baseUrl: "https://orcid.org", clientId: "APP-1" },
      publicUrl: "https://peerlink.example",
      signingSecret: "k",
    });
  });

  it("builds the ORCID client from the configured id, secret, base URL and this server's callback", async () => {
    const stub = await startOrcidStub({ clientId: "APP-1", clientSecret: "s" });
    try {
      const config = loadConfig({
        ...base,
        ORCID_CLIENT_ID: "APP-1",
        ORCID_CLIENT_SECRET: "s",
        ORCID_BASE_URL: stub.url,
        PUBLIC_URL: "https://peerlink.example/",
      });
      // A code the stand-in never issued: the exchange is refused, but the request shows what the client sends.
      await expect(orcidClientFrom(config)!.exchangeCode("not-issued")).rejects.toThrow();
      expect(stub.tokenRequests).toHaveLength(1);
      expect(stub.tokenRequests[0]!.form).toMatchObject({
        client_id: "APP-1",
        client_secret: "s",
        grant_type: "authorization_code",
        code: "not-issued",
        redirect_uri: "https://peerlink.example/oauth/orcid/callback",
      });
    } finally {
      await stub.close();
    }
  });

  it("parses CLAIM_REVIEW_CHANNEL as <platform>:<tenantId>:<channelId>", () => {
    const c = loadConfig({ ...base, CLAIM_VERIFICATION: "review", CLAIM_REVIEW_CHANNEL: "slack:T0123:C0456" });
    expect(claimSettingsFrom(c)).toMatchObject({
      verification: "review",
      reviewChannel: { platform: "slack", tenantId: "T0123", channelId: "C0456" },
    });
    expect(() => loadConfig({ ...base, CLAIM_REVIEW_CHANNEL: "#reviews" })).toThrow(/CLAIM_REVIEW_CHANNEL must look like/);
  });

  it("refuses CLAIM_VERIFICATION=orcid without an ORCID client and a signing secret", () => {
    expect(() => loadConfig({ ...base, CLAIM_VERIFICATION: "orcid" })).toThrow(ConfigError);
  });
});
