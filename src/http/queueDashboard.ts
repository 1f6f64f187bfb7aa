// bull-board at /admin/queues: the queues' jobs, failures and retries for operators. Off unless
// ADMIN_TOKEN is set; every request (pages, assets, API) must carry the token, as a Bearer header
// or as the password of basic auth (so a browser can sign in), or it gets 401.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { HttpServer } from "./HttpServer.js";

export const DASHBOARD_PATH = "/admin/queues";

export function mountQueueDashboard(http: HttpServer, queues: Queue[], adminToken: string): void {
  const adapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  const app = adapter.getRouter() as (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (!authorized(req, adminToken)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Basic realm="Peerlink queues", charset="UTF-8"' }).end("Unauthorized");
      return;
    }
    // The board's routes are relative to where it is mounted.
    req.url = req.url!.slice(DASHBOARD_PATH.length) || "/";
    app(req, res, (err) => {
      if (!res.headersSent) res.writeHead(err ? 500 : 404, { "content-type": "text/plain" }).end(err ? "Internal error" : "Not found");
    });
  };
  http.route("*", DASHBOARD_PATH, handler);
  http.route("*", `${DASHBOARD_PATH}/*`, handler);
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const [scheme = "", value = ""] = header.split(" ", 2);
  let presented: string | undefined;
  if (scheme.toLowerCase() === "bearer") presented = value;
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    presented = decoded.slice(decoded.indexOf(":") + 1);
  }
  return presented !== undefined && sameSecret(presented, token);
}

/** Compares digests in constant time, so the answer's timing tells nothing about the token. */
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));
const digest = (s: string) => createHash("sha256").update(s).digest();
