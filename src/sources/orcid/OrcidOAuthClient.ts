// ORCID's OAuth 2.0 authorization-code flow, token half: trades the code from the redirect for the
// signed-in person's ORCID iD (https://info.orcid.org/documentation/api-tutorials/api-tutorial-get-and-authenticated-orcid-id/).
import { z } from "zod";
import type { Config } from "../../config.js";
import { orcidRedirectUri } from "../../core/claims/oauthState.js";

export interface OrcidOAuthSettings {
  /** e.g. https://orcid.org or https://sandbox.orcid.org */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must equal the redirect_uri used in the authorize link. */
  redirectUri: string;
  timeoutMs?: number;
}

const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  name: z.string().nullish(),
  orcid: z.string().regex(/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/i, "not an ORCID iD"),
});

export interface OrcidSignIn {
  orcid: string;
  name: string | null;
}

export class OrcidOAuthError extends Error {
  override name = "OrcidOAuthError";
  constructor(
    message: string,
    /** HTTP status from ORCID, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export class OrcidOAuthClient {
  constructor(private readonly settings: OrcidOAuthSettings) {}

  /** POST {baseUrl}/oauth/token (form-encoded); the response names the authenticated ORCID iD. */
  async exchangeCode(code: string): Promise<OrcidSignIn> {
    const s = this.settings;
    let res: Response;
    try {
      res = await fetch(`${s.baseUrl.replace(/\/$/, "")}/oauth/token`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: s.clientId,
          client_secret: s.clientSecret,
          grant_type: "authorization_code",
          code,
          redirect_uri: s.redirectUri,
        }),
        signal: AbortSignal.timeout(s.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new OrcidOAuthError(`ORCID token endpoint unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new OrcidOAuthError(`ORCID token endpoint answered ${res.status}: ${text.slice(0, 200)}`, res.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OrcidOAuthError("ORCID token endpoint answered with something other than JSON", res.status);
    }
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) throw new OrcidOAuthError(`unexpected ORCID token response: ${parsed.error.issues[0]?.message}`, res.status);
    return { orcid: parsed.data.orcid.toUpperCase(), name: parsed.data.name ?? null };
  }
}

/** The client for this deployment, or undefined when ORCID_CLIENT_ID / ORCID_CLIENT_SECRET are not set. */
export function orcidClientFrom(config: Config): OrcidOAuthClient | undefined {
  const { baseUrl, clientId, clientSecret } = config.orcid;
  if (!clientId || !clientSecret) return undefined;
  return new OrcidOAuthClient({ baseUrl, clientId, clientSecret, redirectUri: orcidRedirectUri(config.publicUrl) });
}
