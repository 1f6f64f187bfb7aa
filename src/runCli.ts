// Shared edge for command-line entry points: one-line errors and exit codes. Each entry point loads
// .env itself (import "dotenv/config" first), so importing this module never reads the environment.
import { StartupError } from "./bootstrap.js";
import { ConfigError } from "./config.js";

/** Runs a CLI body; configuration and connection problems become one readable line and exit code 1. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    console.error(describeStartupError(error));
    process.exit(1);
  }
}

export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === "ECONNREFUSED" || /ECONNREFUSED|connect/i.test(e.message ?? "")) {
    return `Cannot connect: ${e.message}. Is PostgreSQL (DATABASE_URL) / Redis (REDIS_URL) running?`;
  }
  if (code === "P2021" || /does not exist/.test(e.message ?? "")) {
    return `The database is not migrated (${e.message}). Run: npm run db:migrate`;
  }
  return `Error: ${e.message ?? String(error)}`;
}
