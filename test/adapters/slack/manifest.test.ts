import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SLACK_BOT_SCOPES, SLACK_PATHS } from "../../../src/adapters/slack/startSlack.js";
import { MESSAGE_SHORTCUT_IDS } from "../../../src/adapters/slack/listeners/shortcuts.js";
import { messageActions } from "../../../src/core/messageActions/messageActions.js";
import { UNFURL_DOMAINS } from "../../../src/core/unfurl/UnfurlService.js";

const manifest = readFileSync(new URL("../../../commands/slack-manifest.yml", import.meta.url), "utf8");

/** The "- item" lines of the YAML list that follows `key:` (enough YAML for this one file). */
function listAfter(key: string): string[] {
  const lines = manifest.split("\n");
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  expect(start, `${key} is in the manifest`).toBeGreaterThan(-1);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line)) continue;
    const m = /^\s*-\s+(.+)$/.exec(line);
    if (!m) break;
    items.push(m[1]!.trim());
  }
  return items;
}

describe("commands/slack-manifest.yml", () => {
  it("asks for exactly the bot scopes the OAuth install requests", () => {
    expect(listAfter("bot").sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it("unfurls the domains the core recognises", () => {
    expect(listAfter("unfurl_domains").sort()).toEqual([...UNFURL_DOMAINS].sort());
  });

  it("subscribes to the events the adapter listens to", () => {
    expect(listAfter("bot_events").sort()).toEqual(["app_home_opened", "app_uninstalled", "link_shared"]);
  });

  it("offers every core message action as a message shortcut, under the callback id the adapter listens for", () => {
    const shortcuts = [...manifest.matchAll(/- name: (.+)\n\s+type: message\n\s+callback_id: (\w+)/g)].map((m) => [m[2], m[1]]);
    expect(shortcuts.map(([id]) => id).sort()).toEqual([...MESSAGE_SHORTCUT_IDS].sort());
    for (const [id, name] of shortcuts) expect(name).toBe(messageActions[id as keyof typeof messageActions].label);
  });

  it("points the slash command, events, interactivity and OAuth at the adapter's paths", () => {
    expect(manifest).toMatch(/- command: \/researcher\n/);
    expect(manifest.match(new RegExp(`https://[^\\s]+${SLACK_PATHS.events}\\n`, "g"))).toHaveLength(3);
    expect(manifest).toContain(`${SLACK_PATHS.redirect}\n`);
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
  });
});
