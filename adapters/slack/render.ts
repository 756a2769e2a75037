// The core's neutral OutgoingMessage as Slack messages: Block Kit sections of inert mrkdwn (see
// mrkdwn.ts), each within Slack's limits. A long message is cut on line boundaries into
// sections of at most 3000 characters, and into several messages when it needs more than 50
// blocks. References to commands ("send /join") become the one slash command Slack knows
// ("send /o4p join").
import type { Block, OutgoingMessage, Span } from "../../src/core/messages.ts";
import { escapeUrl, inertText, inertTextWithLinks, isLinkableUrl, linkLabel } from "./mrkdwn.ts";

/** https://docs.slack.dev/reference/block-kit/blocks/section-block and .../blocks (per message). */
export const SLACK_LIMITS = { sectionText: 3000, blocksPerMessage: 50, fallbackText: 3000 } as const;

export interface SectionBlock {
  type: "section";
  text: { type: "mrkdwn"; text: string };
}

/** One chat message: Block Kit blocks, and the plain `text` Slack shows in notifications. */
export interface SlackMessage {
  text: string;
  blocks: SectionBlock[];
}

export interface RenderContext {
  /** The slash command that carries every command, e.g. "/o4p". */
  slashCommand: string;
  /** The declared command names ("register", "session", ...). */
  commandNames: readonly string[];
}

const length = (text: string) => [...text].length;

/** "/join" → "/o4p join" for every declared command, where it stands as a word. */
export function commandReferences(context: RenderContext): (text: string) => string {
  if (context.commandNames.length === 0) return (text) => text;
  const names = [...context.commandNames].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(^|[\\s(“"'«„‘¡¿])/(${names.join("|")})(?![A-Za-z0-9_/-])`, "gu");
  return (text) => text.replace(pattern, (_match, before: string, name: string) => `${before}${context.slashCommand} ${name}`);
}

export function renderMessage(message: OutgoingMessage, context: RenderContext): SlackMessage[] {
  const rewrite = commandReferences(context);
  const allow = message.allowMassMentions ?? false;
  const sections = message.blocks.flatMap((block) => blockSections(block, rewrite, allow));
  const messages: SlackMessage[] = [];
  for (let start = 0; start < sections.length; start += SLACK_LIMITS.blocksPerMessage) {
    const chunk = sections.slice(start, start + SLACK_LIMITS.blocksPerMessage);
    messages.push({
      text: fallbackText(chunk),
      blocks: chunk.map((text) => ({ type: "section", text: { type: "mrkdwn", text } })),
    });
  }
  return messages;
}

/** The section texts one neutral block becomes. */
function blockSections(block: Block, rewrite: (text: string) => string, allow: boolean): string[] {
  switch (block.type) {
    case "heading":
      return pack([emphasize(inertTextWithLinks(rewrite(block.text), allow), "*")]);
    case "text":
      return pack(spansText(block.spans, rewrite, allow).split("\n"));
    case "list":
      return pack(block.items.flatMap((item) => spansText(item, rewrite, allow).split("\n").map((line, index) => (index === 0 ? `• ${line}` : `   ${line}`))));
    case "pre": {
      // Inside a code block nothing formats; only & < > and the closing ``` need care.
      const lines = inertText(rewrite(block.text)).split("\n");
      return pack(lines, { open: "```\n", close: "\n```" });
    }
  }
}

function spansText(spans: Span[], rewrite: (text: string) => string, allow: boolean): string {
  return spans.map((span) => spanText(span, rewrite, allow)).join("");
}

function spanText(span: Span, rewrite: (text: string) => string, allow: boolean): string {
  if (typeof span === "string") return inertTextWithLinks(rewrite(span), allow);
  const text = rewrite(span.text);
  if (span.href && isLinkableUrl(span.href)) {
    const link = `<${escapeUrl(span.href)}|${linkLabel(text)}>`;
    return span.style === "bold" ? emphasize(link, "*") : span.style === "italic" ? emphasize(link, "_") : link;
  }
  switch (span.style) {
    case "bold":
      return emphasize(inertTextWithLinks(text, allow), "*");
    case "italic":
      return emphasize(inertTextWithLinks(text, allow), "_");
    case "code":
      return emphasize(inertText(text), "`");
    default:
      return inertTextWithLinks(text, allow);
  }
}

/** Wraps the text in markers, leaving surrounding spaces outside (Slack ignores "* bold *"). */
function emphasize(text: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return match[2] ? `${match[1]}${marker}${match[2]}${marker}${match[3]}` : text;
}

/**
 * Lines into section texts of at most SLACK_LIMITS.sectionText characters (fences included),
 * cutting between lines, and inside a line only when one line alone is too long.
 */
function pack(lines: string[], fence: { open: string; close: string } = { open: "", close: "" }): string[] {
  const budget = SLACK_LIMITS.sectionText - length(fence.open) - length(fence.close);
  const sections: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    const body = current.join("\n");
    if (body.trim()) sections.push(`${fence.open}${body}${fence.close}`);
    current = [];
    size = 0;
  };
  for (const line of lines.flatMap((line) => cutLine(line, budget))) {
    const added = length(line) + (current.length > 0 ? 1 : 0);
    if (size + added > budget) flush();
    size += length(line) + (current.length > 0 ? 1 : 0);
    current.push(line);
  }
  flush();
  return sections;
}

/**
 * A line longer than the budget, cut at the last space that fits; never inside an entity
 * (&amp;), a <link> or a character made of two code units.
 */
export function cutLine(line: string, budget: number): string[] {
  const pieces: string[] = [];
  let rest = [...line];
  while (rest.length > budget) {
    let cut = budget;
    const space = rest.lastIndexOf(" ", budget);
    if (space > budget / 2) cut = space + 1;
    const head = rest.slice(0, cut).join("");
    const openLink = head.lastIndexOf("<");
    const openEntity = head.lastIndexOf("&");
    if (openLink > head.lastIndexOf(">") && openLink > 0) cut = [...head.slice(0, openLink)].length;
    else if (openEntity > head.lastIndexOf(";") && openEntity > 0) cut = [...head.slice(0, openEntity)].length;
    pieces.push(rest.slice(0, cut).join(""));
    rest = rest.slice(cut);
  }
  pieces.push(rest.join(""));
  return pieces;
}

/** The notification text: the sections' text, cut on a line boundary to a readable length. */
function fallbackText(sections: string[]): string {
  const lines = sections.join("\n").replace(/```\n?/g, "").split("\n");
  let text = "";
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (length(next) > SLACK_LIMITS.fallbackText - 1) return text ? `${text}\n…` : `${cutLine(line, SLACK_LIMITS.fallbackText - 1)[0]}…`;
    text = next;
  }
  return text;
}
