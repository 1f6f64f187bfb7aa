// The fault suite (issue 17): each scenario strikes one fault while notifications and invitations
// are in flight through real worker processes, against a PostgreSQL cluster and a redis-server the
// suite started for itself. CI runs the small size; `npm run faults` the (10,000 notification
// deliveries and 2,000 invitations per scenario) and prints the table docs/reliability.md keeps.
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { faults } from "./faults.js";
import { type Lab, openLab, SIZES } from "./lab.js";
import { table } from "./report.js";
import { runScenario, type ScenarioResult } from "./scenario.js";

// Opt-in for now (FAULTS_SIZE=ci or full): even the small size takes minutes on a shared 2-core
// machine, and two scenarios still find bugs (docs/reliability.md), so it is not part of `npm test` yet.
const enabled = Boolean(process.env.FAULTS_SIZE);
const size = SIZES[process.env.FAULTS_SIZE === "full" ? "full" : "ci"];
const seed = Number(process.env.FAULTS_SEED ?? 17);
vi.setConfig({ testTimeout: size.deadlineMs + 120_000, hookTimeout: 600_000 });

let lab: Lab;
const results: ScenarioResult[] = [];

beforeAll(async () => {
  if (enabled) lab = await openLab(size);
});

afterAll(async () => {
  await lab?.close();
  if (!results.length) return;
  const text = table(results, { size: size.label, seed });
  console.log(`\n${text}`);
  if (size.label === "full") {
    mkdirSync("reports/faults", { recursive: true });
    writeFileSync("reports/faults/latest.md", `${text}\n`);
  }
});

const only = process.env.FAULTS_ONLY;
for (const fault of faults(seed, size.stormMs).filter((f) => !only || f.name.includes(only))) {
  it.runIf(enabled)(`${fault.name}: loses nothing and sends nothing twice outside the crash window`, async () => {
    const result = await runScenario(lab, fault);
    results.push(result);
    const summary = `${fault.name} (seed ${seed}): ${JSON.stringify(result)}`;
    expect(result.lost, summary).toBe(0);
    expect(result.duplicated, summary).toBe(0);
    expect(result.crashedWorkers, summary).toBe(0);
    expect(result.recoverMs, summary).not.toBeNull();
  });
}
