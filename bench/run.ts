// npm run bench -- <name> [args…]   runs bench/<name>.ts; each benchmark prints its figures and ends
// with a line holding `ratio=<number>` (the measured path against its baseline, in the same run).
import "dotenv/config";
import { readdirSync } from "node:fs";

const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && !["run.ts", "stats.ts"].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name>\nBenchmarks: ${available.join(", ")}`);
  process.exit(name ? 1 : 0);
}
const bench = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
try {
  await bench.default(args);
  process.exit(0);
} catch (error) {
  console.error(`bench ${name} failed: ${(error as Error).message}`);
  process.exit(1);
}
