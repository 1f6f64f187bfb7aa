// Runs the real `commands:register` script against the Discord stand-in.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ApplicationCommandOptionType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordCommands, researcherCommand } from "../../../commands/discord-commands.js";
import { parseArgs, registerCommands } from "../../../commands/register-discord.js";
import { offeredOn } from "../../../src/core/commands/Command.js";
import { allCommands } from "../../../src/core/commands/index.js";
import { DiscordStub } from "../../support/discord-stub.js";

const run = promisify(execFile);

describe("npm run commands:register", () => {
  let stub: DiscordStub;

  beforeAll(async () => {
    stub = await DiscordStub.start();
  });

  afterAll(async () => {
    await stub?.close();
  });

  const register = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", "commands/register-discord.ts", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: "postgresql://unused@127.0.0.1/unused",
        DISCORD_TOKEN: stub.token,
        DISCORD_APPLICATION_ID: stub.applicationId,
        DISCORD_API_URL: stub.apiUrl,
      },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it("replaces the guild's commands with /researcher and its subcommands", async () => {
    const out = await register(["--guild", stub.guildId]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`Registered 3 commands (/researcher and its message actions) for guild ${stub.guildId}`);
    const [put] = stub.callsTo("PUT", `/applications/${stub.applicationId}/guilds/${stub.guildId}/commands`);
    expect(put?.authorization).toBe(`Bot ${stub.token}`);
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(discordCommands)));
    const [researcher, ...menus] = put!.body;
    // Message context-menu commands (type 3) have a name and no description or options.
    expect(menus).toEqual([
      expect.objectContaining({ type: 3, name: "Find researchers in this message" }),
      expect.objectContaining({ type: 3, name: "Invite the authors of this paper" }),
    ]);
    for (const m of menus) expect(m.name.length).toBeLessThanOrEqual(32);
    expect(researcher.name).toBe("researcher");
    const subs = researcher.options.map((o: { name: string }) => o.name);
    expect(subs).toEqual(
      expect.arrayContaining([
        "lookup",
        "works",
        "follow",
        "unfollow",
        "following",
        "subscribe",
        "unsubscribe",
        "claim",
        "link",
        "invite",
        "invites",
        "help",
      ]),
    );
    expect(subs.length).toBeLessThanOrEqual(25);
    const lookup = researcher.options.find((o: { name: string }) => o.name === "lookup");
    expect(lookup.options).toEqual([
      expect.objectContaining({ name: "query", type: 3, required: true, autocomplete: true }),
      expect.objectContaining({ name: "share", type: 5 }),
    ]);
  });

  it("explains a rejected token instead of printing a stack trace", async () => {
    stub.failNext(1, 401, { code: 0, message: "401: Unauthorized" });
    const out = await register(["--global"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("Discord rejected DISCORD_TOKEN");
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(stub.callsTo("PUT", `/applications/${stub.applicationId}/commands`)).toHaveLength(1);
  });

  it("registers globally through Routes.applicationCommands", async () => {
    const count = await registerCommands({ token: stub.token, applicationId: stub.applicationId, apiUrl: stub.apiUrl, target: { kind: "global" } });
    expect(count).toBe(3);
    expect(stub.callsTo("PUT", `/applications/${stub.applicationId}/commands`).at(-1)?.body[0].name).toBe("researcher");
  });

  it("needs exactly one target, and a real guild id", () => {
    expect(parseArgs([])).toEqual({ error: expect.stringContaining("--guild <id> or --global") });
    expect(parseArgs(["--guild"])).toEqual({ error: expect.stringContaining("needs a guild") });
    expect(parseArgs(["--guild", "abc"])).toEqual({ error: expect.stringContaining("needs a guild") });
    expect(parseArgs(["--guild", "123456789012345678", "--global"])).toEqual({ error: expect.stringContaining("not both") });
    expect(parseArgs(["--guild", "123456789012345678"])).toEqual({ kind: "guild", guildId: "123456789012345678" });
    expect(parseArgs(["--help"])).toBe("help");
  });

  it("defines a subcommand for every core command offered on Discord (within Discord's 25 per level), and home at the top", () => {
    const defined = new Set<string>();
    for (const o of researcherCommand.toJSON().options!) {
      defined.add(o.name);
      if ("options" in o && o.type === ApplicationCommandOptionType.SubcommandGroup) for (const sub of o.options ?? []) defined.add(sub.name);
    }
    for (const command of allCommands.filter((c) => offeredOn(c, "discord")))
      expect(defined, `missing /researcher ${command.name}`).toContain(command.name);
    // the console's inbox is not offered here: on Discord its messages are DMs
    expect(defined).not.toContain("inbox");
    const top = researcherCommand.toJSON().options!;
    expect(top.length).toBeLessThanOrEqual(25);
    expect(top.find((o) => o.name === "home")?.type).toBe(ApplicationCommandOptionType.Subcommand);
  });
});
