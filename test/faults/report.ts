// The fault suite's table, as `npm run faults` prints it and docs/reliability.md keeps it.
import type { ScenarioResult } from "./scenario.js";

const seconds = (ms: number | null) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);

export function table(results: ScenarioResult[], { size, seed }: { size: string; seed: number }): string {
  const rows = [
    ["scenario", "owed", "delivered", "lost", "duplicated", "dup. in crash window", "time to recover", "worst delay", "all delivered in"],
    ...results.map((r) => [
      r.scenario,
      String(r.owed),
      String(r.delivered),
      String(r.lost),
      String(r.duplicated),
      String(r.duplicatedInCrashWindow),
      seconds(r.recoverMs),
      seconds(r.worstDelayMs),
      seconds(r.totalMs),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.scenario}: ${n}`));
  return [
    `Fault suite, size ${size}, seed ${seed}`,
    "",
    line(rows[0]!),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map(line),
    "",
    ...notes,
  ].join("\n");
}
