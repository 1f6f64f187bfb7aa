// GET /oauth/orcid/callback: where ORCID sends the browser after sign-in. Shows a small page with
// the outcome; the decision itself is ClaimService's.
import type { ServerResponse } from "node:http";
import type { ErrorLog } from "../core/ports.js";
import type { ClaimService } from "../core/claims/ClaimService.js";
import { ORCID_CALLBACK_PATH } from "../core/claims/oauthState.js";
import type { HttpServer } from "./HttpServer.js";

/** Trades an authorization code for the signed-in ORCID iD (OrcidOAuthClient does this). */
export interface OrcidCodeExchange {
  exchangeCode(code: string): Promise<{ orcid: string }>;
}

export interface OrcidRouteDeps {
  claims: ClaimService;
  /** Absent when ORCID_CLIENT_ID / ORCID_CLIENT_SECRET are not set. */
  orcid?: OrcidCodeExchange;
  log: ErrorLog;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)} · Peerlink</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34em;margin:4em auto;padding:0 1em}</style>
</head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
  res
    .writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      // The URL carries a one-time code and state: keep it out of caches and Referer headers.
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    })
    .end(html);
}

const START_AGAIN = "Start again from chat with /researcher claim <your name>.";

export function registerOrcidRoutes(http: HttpServer, deps: OrcidRouteDeps): void {
  http.route("GET", ORCID_CALLBACK_PATH, async (req, res) => {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const state = query.get("state") ?? "";
    const code = query.get("code") ?? "";
    if (!deps.orcid) return page(res, 503, "ORCID sign-in is not set up", "This Peerlink deployment has no ORCID client configured.");
    if (query.get("error")) return page(res, 400, "Sign-in cancelled", `ORCID sign-in did not complete. ${START_AGAIN}`);
    if (!state || !code || state.length > 300 || code.length > 200) {
      return page(res, 400, "Invalid sign-in link", `This link is incomplete. ${START_AGAIN}`);
    }
    const orcid = deps.orcid;
    let outcome;
    try {
      outcome = await deps.claims.verifyOrcid(state, () => orcid.exchangeCode(code));
    } catch (err) {
      deps.log.error({ err }, "ORCID sign-in could not be completed");
      return page(res, 502, "Could not confirm with ORCID", `ORCID did not confirm the sign-in. ${START_AGAIN}`);
    }
    switch (outcome.kind) {
      case "verified":
        return page(res, 200, "Claim verified", `You are now the verified owner of ${outcome.name}'s Peerlink profile. You can close this window.`);
      case "mismatch":
        return page(res, 403, "Claim refused", `The ORCID iD you signed in with is not the one on ${outcome.name}'s record.`);
      case "disputed":
        return page(
          res,
          409,
          "Already claimed",
          `${outcome.name}'s record was claimed by someone else; your claim is recorded as a dispute for the reviewers.`,
        );
      case "refused":
        return page(res, 400, "This sign-in link is not valid", `It may have expired or been used already. ${START_AGAIN}`);
    }
  });
}
