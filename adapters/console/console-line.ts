// What one typed console line means: a bot command, or a console meta command (":as bob demo").

export type ConsoleLine =
  | { kind: "empty" }
  | { kind: "command"; name: string; text: string }
  | { kind: "meta-as"; user: string; channel?: string }
  | { kind: "meta-lang"; locale: string }
  | { kind: "meta-help" }
  | { kind: "meta-quit" }
  | { kind: "meta-unknown" }
  | { kind: "text" };

export function parseConsoleLine(line: string): ConsoleLine {
  const trimmed = line.trim();
  if (!trimmed) return { kind: "empty" };
  if (trimmed.startsWith(":")) {
    const [meta, ...words] = trimmed.slice(1).split(/\s+/);
    switch (meta?.toLowerCase()) {
      case "as":
        if (!words[0]) return { kind: "meta-unknown" };
        return { kind: "meta-as", user: words[0], ...(words[1] ? { channel: words[1].replace(/^#/, "") } : {}) };
      case "lang":
        return words[0] ? { kind: "meta-lang", locale: words[0] } : { kind: "meta-unknown" };
      case "help":
        return { kind: "meta-help" };
      case "quit":
      case "exit":
        return { kind: "meta-quit" };
      default:
        return { kind: "meta-unknown" };
    }
  }
  const match = /^\/([^\s@]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!match) return { kind: "text" };
  return { kind: "command", name: match[1]!.toLowerCase(), text: match[2] ?? "" };
}
