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

const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
