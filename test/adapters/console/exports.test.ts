// The console writes files the bot sends (CSV exports) to its export directory, never over an
// earlier one, and prints where.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../adapters/console/console-adapter.ts";
import { saveFile } from "../../../adapters/console/exports.ts";
import type { BotHost } from "../../../src/core/adapter.ts";
import { loadI18n } from "../../../src/i18n/i18n.ts";
import { createLogger } from "../../../src/logger.ts";

const directory = mkdtempSync(path.join(tmpdir(), "console-exports-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const file = (text: string, fileName = "homework-session-1.csv") => ({ fileName, contentType: "text/csv", data: new TextEncoder().encode(text) });

describe("console exports", () => {
  it("never overwrite an earlier file, and keep names inside the directory", async () => {
    const target = path.join(directory, "unique");
    const first = await saveFile(target, file("one"));
    const second = await saveFile(target, file("two"));
    const sneaky = await saveFile(target, file("three", "../../etc/passwd"));
    expect([first, second, sneaky].map((saved) => path.relative(target, saved))).toEqual(["homework-session-1.csv", "homework-session-1-2.csv", "passwd"]);
    expect([first, second, sneaky].map((saved) => readFileSync(saved, "utf8"))).toEqual(["one", "two", "three"]);
  });

  it("prints the saved file's path under a message sent to a channel", async () => {
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const target = path.join(directory, "sent");
    const adapter = new ConsoleAdapter({ input: new PassThrough(), output, locale: "en", exportDirectory: target });
    const host = { i18n: await loadI18n(), logger: createLogger("silent") } as unknown as BotHost;
    await adapter.start(host);
    await adapter.send("facilitators", { blocks: [{ type: "text", spans: ["Here it is"] }], file: file("a,b\r\n") });
    await adapter.stop();
    const saved = path.join(target, "homework-session-1.csv");
    expect(printed).toContain(`[#facilitators] Here it is\nFile saved: ${saved}\n`);
    expect(readFileSync(saved, "utf8")).toBe("a,b\r\n");
  });
});
