// What people type and press, at random: command words (real, misspelt, made up) followed by
// arguments drawn from names, numbers, flags, and the payloads an attacker or a clumsy paste
// brings (SQL, Markdown, mentions, control characters, very long words, other scripts).
import fc from "fast-check";
import { allCommands } from "../../src/core/commands/index.js";

export const NASTY = [
  "'; DROP TABLE researcher; --",
  '" OR 1=1 --',
  "%' OR name LIKE '%",
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "@everyone",
  "@here",
  "<@U0ADA>",
  "<@&1200000000000000001>",
  "<#C0GENERAL>",
  "*bold* _it_ ~strike~ `code` ```block```",
  "[link](https://evil.example)",
  "<https://evil.example|click me>",
  "\u0000\u0001\u0007\u001b[31m",
  "\u202e\u200b\ufeff",
  "Jonathan Frankle",
  "Jonathon Frankel",
  "0000-0002-1825-0097",
  "A5023888391",
  "--share",
  ":",
  "--",
  "9999999999999999999999",
  "-1",
  "0",
  "1",
  "2h",
  "30m",
  "daily 9 europe/berlin",
  "weekly 25 Mars/Olympus",
  "日本語の研究者",
  "Müller-Lüdenscheidt",
  "👩‍🔬🧪",
];

const words = allCommands.map((c) => c.name);
const misspelt = fc.constantFrom(...words).map((w) => (w.length > 2 ? w.slice(0, -1) + w.at(-1)!.toUpperCase() + "x" : w));

export const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 100_000 }).map(String) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 200, maxLength: 4000 }) },
);

/** The text after `/researcher`. */
export const commandText = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: misspelt }, { weight: 2, arbitrary: token }),
    fc.array(token, { maxLength: 6 }),
  )
  .map(([head, rest]) => [head, ...rest].join(" "));

/** A button's value: ids that exist and do not, pages, pairs, junk. */
export const buttonValue = fc.oneof(
  fc.integer({ min: -3, max: 50 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -1, max: 9 })).map(([a, b]) => `${a}:${b}`),
  fc.constantFrom("t:1", "t:999999", "w:1", "", "null", "9007199254740993", "clx0000000000000000000000"),
  token,
);
