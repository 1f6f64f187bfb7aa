import { correlationId, newCorrelationId } from "./correlation.js";
import { ephemeral, notice, type Response } from "./reply.js";

/**
 * The reference for a failure, shown to the user and logged with the details: the correlation id of
 * the command being answered (so a report finds every line it logged), or a fresh one outside any.
 */
export const newErrorRef = (): string => correlationId() ?? newCorrelationId();

/** What a user sees of a bug or an outage (STYLE.md, habit 8): a short apology with the reference. */
export const apologyFor = (ref: string): Response =>
  ephemeral(notice("error", `Sorry, something went wrong on our side. Reference: ${ref}`, { ref }));
