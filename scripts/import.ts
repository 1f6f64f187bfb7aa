// npm run import -- author <OpenAlex id | ORCID | name>
//
// Imports one author from OpenAlex (the API at OPENALEX_API_URL, polite pool via OPENALEX_MAILTO)
// into the database at DATABASE_URL. Progress goes to stderr, the summary line to stdout.
import "dotenv/config";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { OpenAlexClient, OpenAlexError } from "../src/sources/openalex/client.js";
import { AuthorNotFoundError, OpenAlexImporter } from "../src/sources/openalex/importer.js";
import { openAlexFrom } from "../src/sources/openalex/openAlexFrom.js";
import { ScholarlyDirectoryError } from "../src/core/search/ScholarlyDirectory.js";
import { systemClock } from "../src/core/context.js";

const USAGE = `Usage: npm run import -- author <OpenAlex id | ORCID | name>

Imports an author from OpenAlex with their works, co-authors, institutions and topics.
Running it again updates the same rows; nothing is duplicated.

Examples:
  npm run import -- author https://openalex.org/A…   (the id from their openalex.org page)
  npm run import -- author https://orcid.org/…       (their ORCID iD)
  npm run import -- author "Jonathan Frankle"`;

/** A progress bar that appears once the number of works is known. */
function worksProgressBar() {
  const bar = new cliProgress.SingleBar(
    { format: "Importing works |{bar}| {value}/{total} | ETA {eta_formatted}", stream: process.stderr, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    update(done: number, total: number) {
      if (total === 0) return;
      if (!active) bar.start(total, done);
      else {
        bar.setTotal(total);
        bar.update(done);
      }
      active = true;
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  const ref = rest.join(" ").trim();
  if (command !== "author" || ref === "") {
    console.error(USAGE);
    return 2;
  }

  const config = loadConfig();
  const db = createDb(config.databaseUrl, { poolSize: 2 });
  const progress = worksProgressBar();
  try {
    // Someone is waiting at a terminal: three retries (a few seconds) before saying it is down.
    // Keyed and counted against the daily budget like every other OpenAlex request.
    const { meter } = openAlexFrom(config, db).usage;
    const client = new OpenAlexClient({
      apiUrl: config.openalex.apiUrl,
      mailto: config.openalex.mailto,
      apiKey: config.openalex.apiKey,
      meter,
      maxRetries: 3,
    });
    const importer = new OpenAlexImporter(db, client, systemClock, (done, total) => progress.update(done, total));
    const s = await importer.importAuthor(ref);
    progress.stop();
    console.log(`Imported ${s.displayName} (${s.openalexId}): ${s.works} works, ${s.coauthors} co-authors, ${s.topics} topics.`);
    return 0;
  } finally {
    progress.stop();
    await db.$disconnect();
  }
}

/** One line a person can act on; the stack is for bugs, and none of these are. */
function describe(error: unknown): string {
  if (
    error instanceof ConfigError ||
    error instanceof AuthorNotFoundError ||
    error instanceof OpenAlexError ||
    error instanceof ScholarlyDirectoryError
  ) {
    return error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Import failed: ${message.trim().split("\n")[0]}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(describe(error));
    process.exitCode = 1;
  },
);
