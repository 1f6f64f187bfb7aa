// The one HTTP listener on PORT: Slack events and OAuth, other OAuth redirects, health.
// Adapters register their routes; the server itself knows nothing about them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

interface Route {
  /** An HTTP method, or "*" for any. */
  method: string;
  /** Exact path, or a prefix when it ends with "/*". */
  path: string;
  handler: RequestHandler;
}

export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly server: Server;
  private readonly health = new Map<string, () => Promise<boolean>>();

  constructor(private readonly onError: (error: unknown, req: IncomingMessage) => void = () => {}) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.route("GET", "/health", async (_req, res) => {
      const checks = Object.fromEntries(
        await Promise.all([...this.health].map(async ([name, check]) => [name, await check().catch(() => false)] as const)),
      );
      const ok = Object.values(checks).every(Boolean);
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, checks }));
    });
  }

  route(method: string, path: string, handler: RequestHandler): void {
    this.routes.push({ method, path, handler });
  }

  /** Adds a named check to GET /health (e.g. postgres, redis). */
  healthCheck(name: string, check: () => Promise<boolean>): void {
    this.health.set(name, check);
  }

  private match(req: IncomingMessage): Route | undefined {
    const path = (req.url ?? "/").split("?")[0]!;
    return this.routes.find(
      (r) =>
        (r.method === "*" || r.method === req.method) &&
        (r.path.endsWith("/*") ? path.startsWith(r.path.slice(0, -1)) : path === r.path),
    );
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse) {
    const route = this.match(req);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    try {
      await route.handler(req, res);
    } catch (error) {
      this.onError(error, req);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal error");
    }
  }

  async listen(port: number, host?: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
