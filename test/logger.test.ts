// Logs never carry a secret: tokens and secrets in fields, headers, URLs, messages and errors are
// replaced by [Redacted] by the production logger itself (pino's redact plus a scrub of text).
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger("info", stream), text: () => lines.join("") };
}

describe("the logger", () => {
  it("redacts tokens and secrets in fields, headers and config objects", () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: { headers: { authorization: "Bearer sekret-bearer-123456", "content-type": "application/json" } },
        config: { slack: { botToken: "xoxb-1111-secret", signingSecret: "sign-secret" }, orcid: { clientSecret: "orcid-secret" } },
        env: { SLACK_BOT_TOKEN: "xoxb-2222-secret", DISCORD_TOKEN: "discord-secret-token", ADMIN_TOKEN: "admin-secret" },
        apiKey: "openalex-key-secret",
        user: "U123",
      },
      "starting",
    );
    const out = text();
    for (const secret of [
      "sekret-bearer",
      "xoxb-1111",
      "sign-secret",
      "orcid-secret",
      "xoxb-2222",
      "discord-secret-token",
      "admin-secret",
      "openalex-key-secret",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[Redacted]");
    expect(out).toContain('"user":"U123"');
    expect(out).toContain('"content-type":"application/json"');
  });

  it("scrubs api_key and tokens out of URLs, messages and errors", () => {
    const { logger, text } = capture();
    const err = new Error("GET https://api.openalex.org/authors?search=ada&api_key=KEY-SECRET-1 failed: Bot abcdefghijklmnop rejected");
    logger.error(
      { err, url: "https://api.openalex.org/works?api_key=KEY-SECRET-2&page=2" },
      "request to https://x.test/?api_key=KEY-SECRET-3 failed",
    );
    const out = text();
    expect(out).not.toMatch(/KEY-SECRET|abcdefghijklmnop/);
    expect(out).toContain("api_key=[Redacted]&page=2");
    expect(out).toContain("search=ada");
    expect(out).toContain("Bot [Redacted]");
  });
});
