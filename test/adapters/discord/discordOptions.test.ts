// The registered Discord options must say what the core's zod inputs say: the same fields, types,
// required flags, lengths, ranges and choices, so Discord never accepts what the core refuses (or
// the reverse) and a limit changed in the core reaches Discord with the next registration.
import { ApplicationCommandOptionType as T, type APIApplicationCommandOption } from "discord.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { researcherCommand } from "../../../commands/discord-commands.js";
import { offeredOn } from "../../../src/core/commands/Command.js";
import { allCommands } from "../../../src/core/commands/index.js";

type Option = APIApplicationCommandOption & Record<string, unknown>;
interface Field {
  type?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  const?: unknown;
}

const subcommands = new Map<string, Option[]>();
for (const o of researcherCommand.toJSON().options as Option[]) {
  if (o.type === T.Subcommand) subcommands.set(o.name, (o.options ?? []) as Option[]);
  if (o.type === T.SubcommandGroup) for (const s of (o.options ?? []) as Option[]) subcommands.set(s.name, (s.options ?? []) as Option[]);
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("Discord options come from the core's command inputs", () => {
  const offered = allCommands.filter((c) => offeredOn(c, "discord"));
  for (const command of offered) {
    it(`/researcher ${command.name}: one option per input field, with the input's limits`, () => {
      const options = subcommands.get(command.name);
      expect(options, `no Discord subcommand for ${command.name}`).toBeDefined();
      const schema = z.toJSONSchema(command.input, { io: "input", unrepresentable: "any" }) as {
        properties?: Record<string, Field>;
        required?: string[];
      };
      const fields = Object.entries(schema.properties ?? {});
      expect(options!.map((o) => o.name)).toEqual(fields.map(([field]) => snake(field)));
      for (const [field, f] of fields) {
        const option = options!.find((o) => o.name === snake(field))!;
        const at = `${command.name}.${field}`;
        expect(option.required ?? false, at).toBe(schema.required?.includes(field) ?? false);
        if (option.type === T.User) {
          // A person: Discord's picker sends an id, which the adapter turns into a mention the input accepts.
          expect(f.type, at).toBe("string");
          // The field alone: the command may need other fields too (intro's query beside via).
          const shape = (command.input as unknown as z.ZodObject<Record<string, z.ZodType>>).shape;
          expect(shape[field]!.safeParse("<@123456789012345678>").success, at).toBe(true);
          continue;
        }
        const expected = { boolean: T.Boolean, integer: T.Integer, number: T.Number, string: T.String }[f.type ?? ""];
        expect(option.type, at).toBe(expected);
        expect(option.min_length, at).toBe(f.minLength);
        expect(option.max_length, at).toBe(f.maxLength);
        expect(option.min_value, at).toBe(f.minimum);
        expect(option.max_value, at).toBe(f.maximum);
        const values = f.enum ?? (f.const !== undefined ? [f.const] : undefined);
        expect(
          (option.choices as { value: unknown }[] | undefined)?.map((c) => c.value),
          at,
        ).toEqual(values);
        // The adapter autocompletes researcher names in `query`, and only there.
        expect(option.autocomplete ?? false, at).toBe(field === "query");
      }
    });
  }

  it("has a Discord subcommand for exactly the core's commands offered on Discord", () => {
    expect([...subcommands.keys()].sort()).toEqual(offered.map((c) => c.name).sort());
    expect(offered.length).toBe(allCommands.length - 1); // all but the console's inbox
  });
});
