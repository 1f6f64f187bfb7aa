// The layers point one way (STYLE.md): adapters and jobs → core → db; nothing in src/ reaches into
// scripts/, commands/ or test/; the core imports no platform or queue library, and no module of the
// core imports itself back through another. Read from the import statements of every file in src/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve("src");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^"'`;]*?\sfrom\s)?\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return path === join(ROOT, "db", "generated") ? [] : sourceFiles(path);
    return d.name.endsWith(".ts") ? [path] : [];
  });
}

/** The file a relative specifier names ("./x.js" is ./x.ts on disk), or the bare package name. */
function target(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  const path = resolve(dirname(from), specifier);
  const ts = path.replace(/\.js$/, ".ts");
  for (const candidate of [ts, path, join(path, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return ts;
}

const graph = new Map<string, string[]>();
for (const file of sourceFiles(ROOT)) {
  const text = readFileSync(file, "utf8");
  graph.set(
    file,
    [...text.matchAll(IMPORT)].map((m) => target(file, (m[1] ?? m[2])!)),
  );
}
const name = (path: string) => (path.startsWith("/") ? relative(process.cwd(), path) : path);
const inCore = (path: string) => path.startsWith(join(ROOT, "core") + "/");

/** Every import cycle that passes through `start`, as a list of files. */
function cyclesThrough(start: string, within: (path: string) => boolean = () => true): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const walk = (file: string, path: string[]) => {
    for (const next of graph.get(file) ?? []) {
      if (next === start) found.push([...path, next]);
      else if (graph.has(next) && within(next) && !seen.has(next)) {
        seen.add(next);
        walk(next, [...path, next]);
      }
    }
  };
  walk(start, [start]);
  return found.map((cycle) => cycle.map(name));
}

describe("architecture", () => {
  it("finds the source files and their imports", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(ROOT, "main.ts"))).toContain(join(ROOT, "core", "Core.ts"));
  });

  it("keeps src/ to itself and its packages: nothing imports scripts/, commands/ or test/", () => {
    const outside = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => i.startsWith("/") && !i.startsWith(ROOT + "/")).map((i) => `${name(file)} → ${name(i)}`),
    );
    expect(outside).toEqual([]);
  });

  it("keeps the core platform-neutral: no adapters, jobs, HTTP server, Bolt, discord.js, BullMQ or ioredis", () => {
    const forbidden = (i: string) =>
      ["adapters", "jobs", "http"].some((layer) => i.startsWith(join(ROOT, layer) + "/")) ||
      /^(@slack\/|discord\.js$|@discordjs\/|bullmq$|ioredis$)/.test(i);
    const bad = [...graph]
      .filter(([file]) => inCore(file))
      .flatMap(([file, imports]) => imports.filter(forbidden).map((i) => `${name(file)} → ${name(i)}`));
    expect(bad).toEqual([]);
  });

  it("has no import loop through Core.ts", () => {
    expect(cyclesThrough(join(ROOT, "core", "Core.ts"))).toEqual([]);
  });

  it("has no import loop inside the core: services sit below the commands that use them", () => {
    const loops = [...graph.keys()].filter(inCore).flatMap((file) => cyclesThrough(file, inCore));
    expect(loops).toEqual([]);
  });
});
