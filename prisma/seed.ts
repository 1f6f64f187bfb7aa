// npm run db:seed — loads the demo dataset. Safe to run again.
import "dotenv/config";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { seedDemo } from "../src/sources/demo/seedDemo.js";
import { seedNeighbours } from "../src/sources/demo/seedNeighbours.js";
import { runCli } from "../src/runCli.js";

await runCli(async () => {
  const db = createDb(loadConfig().databaseUrl);
  try {
    const { researcherId } = await seedDemo(db);
    await seedNeighbours(db);
    console.error(`Seeded the demo dataset (Jonathan Frankle is researcher #${researcherId}).`);
  } finally {
    await db.$disconnect();
  }
});
