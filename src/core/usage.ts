// Usage lines derived from declarations: "/register <name> [organization=…] [country=…]".
import type { CommandDefinition } from "./command.ts";

export function usageLine(path: readonly string[], definition: CommandDefinition): string {
  const parts = [`/${path.join(" ")}`];
  for (const [name, spec] of Object.entries(definition.args)) {
    if (spec.positional) {
      const label = spec.choices ? spec.choices.join("|") : name;
      parts.push(spec.required ? `<${label}>` : `[${label}]`);
    } else {
      const value = spec.choices ? spec.choices.join("|") : "…";
      parts.push(spec.required ? `${name}=${value}` : `[${name}=${value}]`);
    }
  }
  return parts.join(" ");
}
