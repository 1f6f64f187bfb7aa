import { randomBytes } from "node:crypto";
import { ephemeral, notice, type Response } from "./reply.js";

/** A fresh reference for a failure: logged with the details and shown to the user, so a report finds them. */
export const newErrorRef = (): string => randomBytes(4).toString("hex");

/** What a user sees of a bug or an outage (STYLE.md, habit 8): a short apology with the reference. */
export const apologyFor = (ref: string): Response =>
  ephemeral(notice("error", `Sorry, something went wrong on our side. Reference: ${ref}`, { ref }));
