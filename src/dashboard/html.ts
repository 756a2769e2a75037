// HTML built from tagged templates: every interpolated value is escaped unless it is already
// Html (built the same way), so a group named "<script>" is text on the page, never markup.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let result = strings[0]!;
  parts.forEach((part, index) => {
    result += render(part) + strings[index + 1]!;
  });
  return new Html(result);
}

/** Markup we produced ourselves (the SVG charts), trusted as it is. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
