// The one HTTP listener on PORT: Slack events and OAuth, other OAuth redirects, health, metrics.
// Adapters register their routes; the server itself knows nothing about them.
// GET /health (Postgres and Redis; kept as it was), /health/live (the process answers) and
// /health/ready (those checks plus the role's platform connection, and not shutting down).
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

/** One answered request: the route as registered (bounded, never the URL asked for), its status and time to the response's end. */
export interface HttpAnswered {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly answered = new Set<(event: HttpAnswered) => void>();
  private readonly server: Server;
  private readonly health = new Map<string, () => Promise<boolean>>();
  private readonly readiness = new Map<string, () => Promise<boolean>>();
  private draining = false;

  constructor(private readonly onError: (error: unknown, req: IncomingMessage) => void = () => {}) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.route("GET", "/health", async (_req, res) => {
      const checks = await runChecks(this.health);
      const ok = Object.values(checks).every(Boolean);
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, checks }));
    });
    this.route("GET", "/health/live", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    });
    this.route("GET", "/health/ready", async (_req, res) => {
      const checks = await runChecks(new Map([...this.health, ...this.readiness]));
      const ok = !this.draining && Object.values(checks).every(Boolean);
      const body = { ok, checks, ...(this.draining && { draining: true }) };
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  }

  route(method: string, path: string, handler: RequestHandler): void {
    this.routes.push({ method, path, handler });
  }

  /** Adds a named check to GET /health and /health/ready (e.g. postgres, redis). */
  healthCheck(name: string, check: () => Promise<boolean>): void {
    this.health.set(name, check);
  }

  /** Adds a named check to GET /health/ready only (e.g. the Discord gateway). */
  readinessCheck(name: string, check: () => Promise<boolean>): void {
    this.readiness.set(name, check);
  }

  /** Tells `listener` of every answered request (metrics: for Slack's events the response is the acknowledgement). */
  onAnswered(listener: (event: HttpAnswered) => void): () => void {
    this.answered.add(listener);
    return () => this.answered.delete(listener);
  }

  /** From now on /health/ready answers 503, so load balancers stop sending work (shutdown). */
  drain(): void {
    this.draining = true;
  }

  private match(req: IncomingMessage): Route | undefined {
    const path = (req.url ?? "/").split("?")[0]!;
    return this.routes.find(
      (r) => (r.method === "*" || r.method === req.method) && (r.path.endsWith("/*") ? path.startsWith(r.path.slice(0, -1)) : path === r.path),
    );
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse) {
    const route = this.match(req);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    if (this.answered.size) {
      const started = performance.now();
      res.once("finish", () => {
        const event = { method: req.method ?? "GET", route: route.path, status: res.statusCode, seconds: (performance.now() - started) / 1000 };
        for (const listener of this.answered) listener(event);
      });
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

  /** Stops accepting connections; requests being answered get up to `graceMs`, then every connection is cut. */
  async close(graceMs = 0): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([closed, cut]);
    clearTimeout(timer);
    this.server.closeAllConnections();
    await closed;
  }
}

/** A check that throws or takes longer than this counts as down: a probe must get an answer. */
const CHECK_TIMEOUT_MS = 2_000;

async function runChecks(checks: Map<string, () => Promise<boolean>>): Promise<Record<string, boolean>> {
  const results = await Promise.all(
    [...checks].map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
      const ok = await Promise.race([check().catch(() => false), timeout]);
      clearTimeout(timer);
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(results);
}
