// Telling a mistyped subcommand ("folow Jonathan Frankle") from a name to look up ("Jonathan Frankle").
import type { AnyCommand } from "./Command.js";

/** Edit distance with adjacent transpositions (optimal string alignment): "folow"→"follow" 1, "foolw"→"follow" 2. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Short words get one slip, longer ones two: "mte" is not "mute", but "subscirbe" is "subscribe". */
const allowedSlips = (word: string) => (word.length <= 4 ? 1 : 2);

/** The command a mistyped first word most likely meant, if one is close enough. */
export function closestCommand(word: string, commands: readonly AnyCommand[]): AnyCommand | undefined {
  const typed = word.toLowerCase();
  if (typed.length < 3 || !/^\p{L}+$/u.test(typed)) return undefined;
  let best: { command: AnyCommand; distance: number } | undefined;
  for (const command of commands) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (name.length < 3) continue;
      const distance = editDistance(typed, name);
      if (distance <= allowedSlips(name) && (!best || distance < best.distance)) best = { command, distance };
    }
  }
  return best?.command;
}

/**
 * Whether the text reads like a person's name: two to six words, each starting with a capital
 * letter ("Jonathan Frankle", "Gintare Karolina Dziugaite", "O'Neil-Smith", "Daniel M. Roy").
 */
export function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length >= 2 && words.length <= 6 && words.every((w) => /^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(w));
}
