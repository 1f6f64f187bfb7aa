// npm run db:synth -- --researchers 1000000 [--seed 42] [--reset]
// Loads a deterministic synthetic scholarly graph for benchmarks (see src/sources/synthetic/).
import "dotenv/config";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig } from "../src/config.js";
import { loadSyntheticGraph, SyntheticDataExistsError, type LoadProgress, type LoadSummary } from "../src/sources/synthetic/copy.js";
import { MAX_RESEARCHERS } from "../src/sources/synthetic/generator.js";
import { ResetBlockedError } from "../src/sources/synthetic/reset.js";

const USAGE = `Usage: npm run db:synth -- --researchers N [--seed S] [--reset]

  --researchers N  how many synthetic researchers (1..${MAX_RESEARCHERS.toLocaleString("en")}); ~3 works each
  --seed S         PRNG seed (default 42): the same seed gives the same rows
  --reset          delete the previous synthetic graph (openalex_id LIKE 'S%') first

Writes to DATABASE_URL in one transaction that locks the graph tables until it finishes.`;

class UsageError extends Error {}

interface Options {
  researchers: number;
  seed: number;
  reset: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        researchers: { type: "string" },
        seed: { type: "string", default: "42" },
        reset: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.researchers === undefined) throw new UsageError("--researchers is required");
  const researchers = integer("--researchers", values.researchers, 1, MAX_RESEARCHERS);
  const seed = integer("--seed", values.seed, 0, 2 ** 32 - 1);
  return { researchers, seed, reset: values.reset };
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw.replaceAll("_", ""));
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")} (got "${raw}")`);
  }
  return value;
}

/** One bar per step on a terminal; one line per step otherwise (CI logs, redirected stderr). */
function progressReporter(): { report: (p: LoadProgress) => void; stop: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar(
    { format: "{step} |{bar}| {percentage}% | {detail} | {duration_formatted}", hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let current = "";
  const enter = (step: string, total: number) => {
    if (step === current) return;
    if (current && tty) bar.stop();
    current = step;
    if (tty) bar.start(total, 0, { step: step.padEnd(16), detail: "" });
    else console.error(`${step}…`);
  };
  return {
    report(p) {
      switch (p.step) {
        case "copy":
          enter(p.table, p.researchers);
          if (tty) bar.update(p.researchersDone, { detail: `${fmt(p.researchersDone)} researchers, ${fmt(p.rows)} rows` });
          break;
        case "index":
          enter("indexes", p.total);
          if (tty) bar.update(p.done, { detail: p.name });
          break;
        default:
          enter(p.step, 1);
      }
    },
    stop() {
      if (current && tty) bar.stop();
      current = "";
    },
  };
}

function summarize(s: LoadSummary): string {
  const r = s.rows;
  const lastResearcher = s.firstIds.researcher + r.researcher - 1;
  return (
    `Synthesized ${fmt(r.researcher)} researchers, ${fmt(r.work)} works, ${fmt(r.authorship)} authorships, ` +
    `${fmt(r.work_topic)} work topics, ${fmt(r.researcher_topic)} researcher topics, ${fmt(r.topic)} topics, ` +
    `${fmt(r.institution)} institutions, ${fmt(r.affiliation)} affiliations (seed ${s.seed}) in ${duration(s.seconds)}; ` +
    `researcher ids ${fmt(s.firstIds.researcher)}–${fmt(lastResearcher)}.`
  );
}

const fmt = (n: number) => n.toLocaleString("en");
const duration = (seconds: number) => (seconds < 60 ? `${seconds.toFixed(1)}s` : `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`);

function explain(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\n\n${USAGE}`;
  if (error instanceof ConfigError) return error.message;
  if (error instanceof SyntheticDataExistsError) return `${error.message} Run again with --reset to replace it.`;
  if (error instanceof ResetBlockedError) return `Cannot reset: ${error.message}. Nothing was changed.`;
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
      return `Cannot connect to PostgreSQL (${e.message}). Start it, or fix DATABASE_URL.`;
    case "3D000":
      return `${e.message}. Create and migrate it with: npm run db:migrate`;
    case "42P01":
      return `The database is not migrated (${e.message}). Run: npm run db:migrate`;
    default:
      return `Synthetic load failed and was rolled back: ${e.message ?? String(error)}`;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig();
  const progress = progressReporter();
  try {
    const summary = await loadSyntheticGraph(config.databaseUrl, { ...options, onProgress: progress.report });
    progress.stop();
    console.error(`Timings: ${summary.timings.map((t) => `${t.step} ${duration(t.seconds)}`).join(", ")}`);
    console.log(summarize(summary));
  } finally {
    progress.stop();
  }
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});
