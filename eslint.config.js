// npm run lint: typescript-eslint with type information over the whole tree. Formatting is
// Prettier's job (npm run format), so no stylistic rules here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** What the core must never import (STYLE.md: the core is platform-neutral; adapters and jobs call it). */
const notInCore = [
  { group: ["**/adapters/**", "**/adapters"], message: "src/core is platform-neutral: adapters call the core, never the reverse." },
  { group: ["**/jobs/**", "**/jobs"], message: "src/core does not know about queues: jobs call the core, never the reverse." },
  {
    group: ["@slack/bolt", "@slack/*", "discord.js", "@discordjs/*", "bullmq", "ioredis"],
    message: "src/core stays free of platform and queue libraries: put this behind a port (src/core/ports.ts).",
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "src/db/generated/", "coverage/", "out/", "dist/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // ignoreRestSiblings: `const { secret, ...rest } = row` is how a field is left out of a copy.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // A caught error (typed unknown) is rethrown or rejected as it came; wrapping it would hide its type.
      "@typescript-eslint/only-throw-error": ["error", { allowThrowingUnknown: true }],
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // Ports and stubs implement promise-returning interfaces with bodies that need no await.
      "@typescript-eslint/require-await": "off",
      // Control characters are matched on purpose: user input and platform text are cleaned of them.
      "no-control-regex": "off",
    },
  },
  {
    // Tests and their stubs decode platform JSON (Slack, Discord, OpenAlex payloads) as loosely typed
    // values and assert on them; typing every payload would add nothing an assertion does not check.
    // Promise rules stay on: a floating promise in a test is a test that checks nothing.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Stubs take methods off prototypes to wrap them, and specs hand methods to expect().
      "@typescript-eslint/unbound-method": "off",
      // Stand-ins' async HTTP and gateway handlers: a rejection there is an unhandled rejection,
      // which fails the run. Conditionals on promises (the real mistake) are still reported.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      // Console output is checked column by column, and reads best as it is printed.
      "no-regex-spaces": "off",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: notInCore }] },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
