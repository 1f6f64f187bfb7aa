#!/usr/bin/env node
// Runs the Prisma CLI without its native engines.
//
// Peerlink's client uses engineType "client" (queries go through @prisma/adapter-pg) and the CLI uses
// the WebAssembly schema engine (`engine: "js"` in prisma.config.ts), so no engine binary is ever
// needed. The CLI still checks for the native engines at start and tries to download them unless
// these variables name an existing file; pointing them at a placeholder keeps every command working
// offline and changes nothing for machines that are online.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const placeholder = fileURLToPath(new URL("../prisma/NO_NATIVE_ENGINES.md", import.meta.url));
const env = { ...process.env };
env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
env.CHECKPOINT_DISABLE ??= "1";

// Prisma 6 still requires `url` in the schema's datasource, then warns on every command that the
// driver adapter (prisma.config.ts) is used instead of it. That is how this project is meant to run
// and nothing a user can act on, so the non-interactive commands drop that one notice.
const QUIET = ["generate", "migrate deploy", "migrate diff", "migrate status", "validate", "format"];
const ADAPTER_URL_NOTICE =
  /\n?WARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter via prisma\.config\.ts:\n(?:- \w+\n)+\nThe values from your schema will NOT be used!\n\nWe recommend you to remove those properties from your schema to avoid confusion if you are only using driver adapters\.\n/;

const args = process.argv.slice(2);
const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const quiet = QUIET.some((command) => args.join(" ").startsWith(command));
const result = spawnSync(process.execPath, [cli, ...args], {
  stdio: quiet ? ["inherit", "pipe", "inherit"] : "inherit",
  env,
  maxBuffer: 64 * 1024 * 1024,
});
if (quiet) process.stdout.write(result.stdout.toString().replace(ADAPTER_URL_NOTICE, ""));
process.exit(result.status ?? 1);
