import { type DestinationStream, type Logger, pino } from "pino";
import { correlationId } from "./core/correlation.js";

export type { Logger };

/**
 * Where secrets can sit in what gets logged: request headers, config objects, client options,
 * errors carrying a request. pino's paths take one `*` per level, hence each name at a few depths.
 */
const SECRET_KEYS = [
  "authorization",
  "cookie",
  "token",
  "botToken",
  "appToken",
  "accessToken",
  "access_token",
  "refreshToken",
  "clientSecret",
  "client_secret",
  "signingSecret",
  "stateSecret",
  "secret",
  "password",
  "apiKey",
  "api_key",
  "adminToken",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
  "DISCORD_TOKEN",
  "ORCID_CLIENT_SECRET",
  "OPENALEX_API_KEY",
  "SIGNING_SECRET",
  "ADMIN_TOKEN",
];
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

/** Secrets in query strings and headers quoted inside messages (a failed request's URL, an error text). */
const SECRET_IN_TEXT =
  /\b(api_key|access_token|client_secret|token|key)=([^&\s"']+)|\b(Bearer|Bot)\s+[A-Za-z0-9._~+/=-]{8,}|\bxox[abposr]-[A-Za-z0-9-]+/g;

export function scrubSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, (match, param?: string, _value?: string, scheme?: string) => {
    if (param) return `${param}=[Redacted]`;
    if (scheme) return `${scheme} [Redacted]`;
    return "[Redacted]";
  });
}

/** Structured JSON logs on stderr (stdout stays free for the console adapter's replies). */
export function createLogger(level = "info", destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: "peerlink" },
      // The command or job this line belongs to (src/core/correlation.ts); an error's apology shows the same id.
      mixin: () => {
        const id = correlationId();
        return id === undefined ? {} : { correlationId: id };
      },
      redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
      formatters: { log: scrubFields },
      serializers: { err: (err: Error) => scrubFields(pino.stdSerializers.err(err) as unknown as Record<string, unknown>) },
      hooks: {
        logMethod(args, method) {
          // The message itself: "GET https://…?api_key=… failed".
          const i = args.findIndex((a) => typeof a === "string");
          if (i >= 0) args[i] = scrubSecrets(args[i] as string);
          method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** Scrubs URLs and error texts in a line's fields, two levels deep (e.g. url, err.message, err.stack). */
function scrubFields(object: Record<string, unknown>): Record<string, unknown> {
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return scrubSecrets(value);
    // Errors are scrubbed by the err serializer, after it has read their message and stack.
    if (depth === 0 || value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Error) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth - 1);
    return out;
  };
  return scrub(object, 2) as Record<string, unknown>;
}
