// A local stand-in for ORCID's OAuth endpoints, speaking the real protocol over HTTP:
//   GET  /oauth/authorize  — "signs in" the configured person and redirects to redirect_uri with ?code&state
//   POST /oauth/token      — form-encoded authorization-code grant → JSON {access_token, token_type, scope, name, orcid}
// Codes are single-use and bound to their redirect_uri, as at orcid.org.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface OrcidPerson {
  orcid: string;
  name: string;
}

export interface TokenRequest {
  contentType: string | undefined;
  form: Record<string, string>;
}

export interface OrcidStub {
  url: string;
  /** Who is "signed in" when the authorize page is visited. */
  signIn(person: OrcidPerson): void;
  /** Every POST /oauth/token, in order. */
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: object) =>
  res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify(body));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startOrcidStub(client: { clientId: string; clientSecret: string }): Promise<OrcidStub> {
  let person: OrcidPerson | undefined;
  const codes = new Map<string, { person: OrcidPerson; redirectUri: string; used: boolean }>();
  const tokenRequests: TokenRequest[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://stub");
      if (req.method === "GET" && url.pathname === "/oauth/authorize") {
        const q = url.searchParams;
        if (q.get("client_id") !== client.clientId) return json(res, 400, { error: "invalid_client" });
        if (q.get("response_type") !== "code") return json(res, 400, { error: "unsupported_response_type" });
        if (!(q.get("scope") ?? "").split(" ").includes("/authenticate")) return json(res, 400, { error: "invalid_scope" });
        const redirectUri = q.get("redirect_uri");
        if (!redirectUri || !person) return json(res, 400, { error: "invalid_request" });
        const code = randomBytes(3).toString("hex");
        codes.set(code, { person, redirectUri, used: false });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        if (q.get("state") !== null) back.searchParams.set("state", q.get("state")!);
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (req.method === "POST" && url.pathname === "/oauth/token") {
        const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
        tokenRequests.push({ contentType: req.headers["content-type"], form });
        if (!req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return json(res, 415, { error: "unsupported_media_type" });
        if (form.client_id !== client.clientId || form.client_secret !== client.clientSecret) {
          return json(res, 401, { error: "invalid_client", error_description: "Client not found" });
        }
        if (form.grant_type !== "authorization_code") return json(res, 400, { error: "unsupported_grant_type" });
        const issued = form.code ? codes.get(form.code) : undefined;
        if (!issued || issued.used || issued.redirectUri !== form.redirect_uri) {
          return json(res, 400, { error: "invalid_grant", error_description: `Invalid authorization code: ${form.code ?? ""}` });
        }
        issued.used = true;
        return json(res, 200, {
          access_token: randomBytes(16).toString("hex"),
          token_type: "bearer",
          refresh_token: randomBytes(16).toString("hex"),
          expires_in: 631138518,
          scope: "/authenticate",
          name: issued.person.name,
          orcid: issued.person.orcid,
        });
      }
      json(res, 404, { error: "not_found" });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    signIn: (p) => void (person = p),
    tokenRequests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
