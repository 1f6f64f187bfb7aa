import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCommand } from "../../../src/core/commands/Command.js";
import { CommandRouter } from "../../../src/core/commands/CommandRouter.js";
import { allCommands } from "../../../src/core/commands/index.js";
import { ephemeral, notice } from "../../../src/core/reply.js";
import { buttonPress, CHANNEL, type SlackHarness, startSlackHarness, TEAM, viewSubmission } from "./slackHarness.js";

/** Test only: a form whose submission waits until the test opens the gate (a slow core call). */
let openGate: () => void = () => {};
const slowFormCommand = defineCommand({
  name: "slowform",
  usage: "/researcher slowform",
  summary: "Test only.",
  input: z.object({ message: z.string().optional() }),
  fromText: () => ({}),
  async run({ message }) {
    if (message === undefined) {
      return ephemeral({
        kind: "form",
        title: "Slow form",
        submitLabel: "Send",
        inputs: [{ id: "message", label: "Message", maxLength: 100 }],
        submit: { command: "slowform", fixed: {} },
      });
    }
    await new Promise<void>((resolve) => (openGate = resolve));
    return ephemeral(notice("success", `Took a while, but got “${message}”.`));
  },
});

type AnyBlock = Record<string, any>;

describe("Slack modals: the invitation form", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness((core) => {
      core.router = new CommandRouter([...allCommands, slowFormCommand], () => core, { error: () => {} });
    });
    // Invitations go only to researchers who claimed their profile: Bob has claimed Jonathan Frankle's.
    const bob = await h.tdb.db.chatIdentity.create({
      data: { platform: "slack", tenantId: TEAM, userId: "U0BOB", displayName: "bob", account: { create: { displayName: "Bob" } } },
    });
    await h.tdb.db.researcher.update({ where: { id: h.researcherId }, data: { claimedByAccountId: bob.accountId, claimedAt: h.core.clock.now() } });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function openInviteModal() {
    const url = h.slack.responseUrl();
    const press = buttonPress("pl:invite:2", String(h.researcherId), url);
    await h.interaction(press);
    const open = await h.slack.waitFor(() => h.slack.callsTo("views.open")[0]);
    expect(open.args.trigger_id).toBe(press.trigger_id);
    return { view: open.args.view as AnyBlock, responseUrl: url };
  }

  it("opens the Invite button's form as a modal with a limited message field", async () => {
    const { view } = await openInviteModal();
    expect(view.type).toBe("modal");
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const input = view.blocks.find((b: AnyBlock) => b.type === "input");
    expect(input).toMatchObject({ block_id: "message", element: { type: "plain_text_input", multiline: true } });
    expect(input.element.max_length).toBeGreaterThan(0);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ command: "invite", fixed: { query: `#${h.researcherId}` }, channelId: CHANNEL });
  });

  it("shows a validation problem beside the field and sends nothing", async () => {
    const { view } = await openInviteModal();
    const res = await h.interaction(viewSubmission(view as any, { message: "   " }));
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.text);
    expect(answer.response_action).toBe("errors");
    expect(answer.errors.message).toMatch(/short message/);
    expect(await h.tdb.db.invitation.count()).toBe(0);
  });

  it("hands a valid submission to the core, closes the modal and confirms privately", async () => {
    const { view, responseUrl } = await openInviteModal();
    const res = await h.interaction(viewSubmission(view as any, { message: "Shall we work on sparse training together?" }));
    expect(res.status).toBe(200);
    expect(res.text).toBe(""); // an empty answer closes the modal
    const invitation = await h.tdb.db.invitation.findFirstOrThrow();
    expect(invitation.message).toBe("Shall we work on sparse training together?");
    expect(invitation.researcherId).toBe(h.researcherId);
    expect(invitation.originChannelId).toBe(CHANNEL);
    const confirmation = await h.slack.waitFor(() => h.slack.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(confirmation.body.response_type).toBe("ephemeral");
    expect(confirmation.body.text).toMatch(/on its way/);
  });

  it("answers a form it cannot read (tampered or stale metadata) inside the modal", async () => {
    const res = await h.interaction(
      viewSubmission(
        { private_metadata: "not json", callback_id: "peerlink_form", title: { type: "plain_text", text: "Invite" } },
        { message: "hi" },
      ),
    );
    const answer = JSON.parse(res.text);
    expect(answer.response_action).toBe("update");
    expect(JSON.stringify(answer.view.blocks)).toMatch(/expired/);
  });

  it("opens the form from the command too: /researcher invite <name> without a message", async () => {
    const res = await h.command("invite Jonathan Frankle");
    const open = await h.slack.waitFor(() => h.slack.callsTo("views.open")[0]);
    expect(JSON.parse(open.args.view.private_metadata)).toMatchObject({ command: "invite", responseUrl: res.responseUrl });
  });

  it("closes the modal in time when the core is slow, and delivers the outcome afterwards", async () => {
    const res = await h.command("slowform");
    const open = await h.slack.waitFor(() => h.slack.callsTo("views.open")[0]);
    const answer = await h.interaction(viewSubmission(open.args.view, { message: "patience" }));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(""); // answered while the core call is still waiting on its gate
    openGate();
    const outcome = await h.slack.waitFor(() => h.slack.responses.find((r) => res.responseUrl.endsWith(r.id)));
    expect(outcome.body.text).toMatch(/got “patience”/);
  });
});
