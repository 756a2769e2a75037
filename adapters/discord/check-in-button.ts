// Buttons under a message as Discord message components (an action row of buttons whose custom_id
// carries the action), and a press (INTERACTION_CREATE type 3, MESSAGE_COMPONENT; its fields
// checked with zod) back to the core's command. The answer is an ephemeral interaction reply.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type ButtonInteraction } from "discord.js";
import { z } from "zod";
import { decodeAction, encodeAction } from "../../src/core/actions.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { callerCommand, callerFactsOf, callerFactsSchema } from "./inbound.ts";

/** Discord: a button's label is at most 80 characters, a row holds at most 5 buttons. */
const LABEL_LIMIT = 80;
const ROW_LIMIT = 5;

export function buttonRows(message: OutgoingMessage): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  if (!message.actions?.length) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: message.actions.slice(0, ROW_LIMIT).map((action) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: Array.from(action.label).slice(0, LABEL_LIMIT).join(""),
        custom_id: encodeAction(action),
      })),
    },
  ];
}

const pressSchema = callerFactsSchema.extend({ customId: z.string().max(100) });

/** The command behind a press on one of our buttons; undefined for anything else. */
export function commandFromPress(interaction: ButtonInteraction): IncomingCommand | undefined {
  const parsed = pressSchema.safeParse({ ...callerFactsOf(interaction), customId: interaction.customId });
  if (!parsed.success) return undefined;
  const action = decodeAction(parsed.data.customId);
  if (!action) return undefined;
  return {
    ...callerCommand(parsed.data),
    name: action.name,
    options: action.options,
  };
}
