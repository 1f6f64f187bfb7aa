// Modal submissions: any core Form opens as a modal whose private_metadata holds the command and
// its fixed input; on submit the values go to core.router.handle. Slack wants the answer to a
// submission within 3 seconds, and validation problems must be shown in the modal itself, so the
// core call races a deadline: in time, problems become `response_action: "errors"`; too slow, the
// modal closes and the outcome arrives as an ephemeral message.
import type { App, SlackViewAction, ViewOutput } from "@slack/bolt";
import { busyReply } from "../../../core/CommandLimiter.js";
import type { Response } from "../../../core/reply.js";
import { deliver, type ReplyTarget, respondVia } from "../deliver.js";
import { FORM_CALLBACK_ID, type FormMetadata, INPUT_ACTION_ID, renderModal, renderResultModal } from "../render.js";
import { afterAck, commandContext, type SlackDeps } from "./SlackDeps.js";

/** Slack allows 3 s for the answer; leave room for the network. */
export const SUBMISSION_DEADLINE_MS = 2_300;

function readMetadata(raw: string): FormMetadata | null {
  try {
    const m = JSON.parse(raw) as FormMetadata;
    return typeof m.command === "string" && m.fixed && typeof m.fixed === "object" ? m : null;
  } catch {
    return null;
  }
}

/** Input values by input id (the block id); empty optional inputs are left out. */
export function formValues(view: ViewOutput): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    const value = actions[INPUT_ACTION_ID]?.value;
    if (typeof value === "string" && value !== "") values[blockId] = value;
  }
  return values;
}

type Ack = (answer?: Record<string, unknown>) => Promise<void>;

/** Answers the submission with what the core said, if the modal is the right place to say it. */
async function answerInModal(ack: Ack, response: Response, view: ViewOutput, meta: FormMetadata): Promise<boolean> {
  const { reply } = response;
  const inputIds = new Set(Object.keys(view.state.values));
  if (reply.kind === "notice" && reply.fieldErrors) {
    const errors = Object.fromEntries(Object.entries(reply.fieldErrors).filter(([id]) => inputIds.has(id)));
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: "errors", errors });
      return true;
    }
  }
  if (reply.kind === "notice" && (reply.level === "error" || reply.level === "warning")) {
    await ack({ response_action: "update", view: renderResultModal(view.title.text, reply) });
    return true;
  }
  if (reply.kind === "form") {
    await ack({ response_action: "update", view: renderModal(reply, { ...reply.submit, channelId: meta.channelId, responseUrl: meta.responseUrl }) });
    return true;
  }
  return false;
}

export function registerForms(app: App, deps: SlackDeps): void {
  app.view<SlackViewAction>(FORM_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const meta = readMetadata(view.private_metadata);
    const target: ReplyTarget = {
      client,
      userId: body.user.id,
      channelId: meta?.channelId,
      respond: meta?.responseUrl ? respondVia(meta.responseUrl) : undefined,
      responseUrl: meta?.responseUrl,
    };
    if (!meta) {
      await ack({
        response_action: "update",
        view: renderResultModal("Peerlink", { kind: "notice", level: "error", text: "This form has expired. Please start again." }),
      });
      return;
    }
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    let giveUp = () => {};
    const timer = new Promise<"late">((resolve) => {
      giveUp = () => resolve("late");
      setTimeout(giveUp, SUBMISSION_DEADLINE_MS).unref();
    });
    // In its turn like any command: one that has to wait for it closes the modal at once (the
    // outcome follows as a message); a busy answer is shown in the modal, like the core's warnings.
    const work = deps.core.limiter
      .run(
        "slack",
        async () => {
          const ctx = await commandContext(deps, client, { teamId, userId: body.user.id, name: body.user.name }, meta.channelId);
          return deps.core.router.handle(meta.command, { ...meta.fixed, ...formValues(view) }, ctx);
        },
        { onWait: () => giveUp() },
      )
      .then((run) => (run.ok ? run.value : busyReply()));
    const first = await Promise.race([work.catch(() => "late" as const), timer]);
    if (first !== "late" && (await answerInModal(ack as Ack, first, view, meta))) return;
    await ack();
    await afterAck(
      deps,
      target,
      { form: meta.command },
      async () => {
        await deliver(await work, { ...target, triggerId: undefined });
      },
      { inTurn: false },
    );
  });
}
