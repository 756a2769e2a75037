// The platform-neutral message the core produces. It carries structure (headings, lists,
// emphasis) and raw text; each adapter renders it to its own markup and escapes every piece of
// text on the way, so nothing a user typed can inject formatting or mentions anywhere.

export type Span = string | { text: string; style?: "bold" | "italic" | "code"; href?: string };

export type Block =
  | { type: "heading"; text: string }
  | { type: "text"; spans: Span[] }
  | { type: "list"; items: Span[][] }
  /** Preformatted text shown in a monospace block (tables, CSV previews). */
  | { type: "pre"; text: string };

/**
 * A button under a message. Pressing it runs a command as its presser, answered privately where
 * the platform can: `check-in` is /here for one session (by its number).
 */
export type MessageAction = { kind: "check-in"; session: number; label: string };

export interface FileAttachment {
  fileName: string;
  contentType: string;
  data: Uint8Array;
}

export interface OutgoingMessage {
  blocks: Block[];
  /** One-tap buttons under the message (src/core/actions.ts); each adapter renders them its way. */
  actions?: MessageAction[];
  /** Only the caller should see it, where the platform can do that (ephemeral). */
  private?: boolean;
  file?: FileAttachment;
  /**
   * Must reach the caller alone (a sign-in link): where a platform cannot hide a reply inside a
   * shared chat, it goes to the caller's private chat with the bot instead.
   */
  confidential?: boolean;
  /** Whether @everyone / @here / role mentions in the text may notify people. Never by default. */
  allowMassMentions?: boolean;
}

/** A small builder, so handlers read like the message they produce. */
export class MessageBuilder {
  private readonly blocks: Block[] = [];
  private flags: Pick<OutgoingMessage, "private" | "file" | "confidential" | "allowMassMentions" | "actions"> = {};

  heading(text: string): this {
    this.blocks.push({ type: "heading", text });
    return this;
  }
  text(...spans: Span[]): this {
    this.blocks.push({ type: "text", spans });
    return this;
  }
  list(items: Span[][]): this {
    if (items.length > 0) this.blocks.push({ type: "list", items });
    return this;
  }
  pre(text: string): this {
    this.blocks.push({ type: "pre", text });
    return this;
  }
  action(action: MessageAction): this {
    this.flags.actions = [...(this.flags.actions ?? []), action];
    return this;
  }
  privately(): this {
    this.flags.private = true;
    return this;
  }
  /** Private, and never shown in a shared chat (see OutgoingMessage.confidential). */
  confidentially(): this {
    this.flags.private = true;
    this.flags.confidential = true;
    return this;
  }
  attach(file: FileAttachment): this {
    this.flags.file = file;
    return this;
  }
  build(): OutgoingMessage {
    return { blocks: [...this.blocks], ...this.flags };
  }
}

export function message(): MessageBuilder {
  return new MessageBuilder();
}

export function textMessage(text: string, options: { private?: boolean } = {}): OutgoingMessage {
  return { blocks: [{ type: "text", spans: [text] }], ...(options.private ? { private: true } : {}) };
}

export function spanText(span: Span): string {
  return typeof span === "string" ? span : span.text;
}

/** Plain-text rendering: the console adapter, logs and tests read messages this way. */
export function renderPlain(message: OutgoingMessage): string {
  const lines: string[] = [];
  for (const block of message.blocks) {
    switch (block.type) {
      case "heading":
        lines.push(block.text);
        break;
      case "text":
        lines.push(block.spans.map(plainSpan).join(""));
        break;
      case "list":
        for (const item of block.items) lines.push(`• ${item.map(plainSpan).join("")}`);
        break;
      case "pre":
        lines.push(block.text);
        break;
    }
  }
  return lines.join("\n");
}

function plainSpan(span: Span): string {
  if (typeof span === "string") return span;
  return span.href && span.href !== span.text ? `${span.text} (${span.href})` : span.text;
}
