// Buttons under a message as a Block Kit actions block (action_id names what the button does, its
// value the action), and a press (a block_actions interaction, which Bolt has verified like every
// signed request; its fields checked with zod here) back to the core's command. The answer is
// ephemeral, through the interaction's response_url, so only the presser sees it.
import { z } from "zod";
import { decodeAction, encodeAction } from "../../src/core/actions.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { caller, PLATFORM, type CallerProfile } from "./inbound.ts";
import type { SectionBlock, SlackMessage } from "./render.ts";

/** The action_id of the check-in button, which the adapter listens for. */
export const CHECK_IN_ACTION = "check-in";

interface ActionsBlock {
  type: "actions";
  block_id: string;
  elements: { type: "button"; action_id: string; text: { type: "plain_text"; text: string; emoji: boolean }; value: string }[];
}

export interface SlackMessageWithButtons {
  text: string;
  blocks: (SectionBlock | ActionsBlock)[];
}

/** Adds the message's buttons under its last part, as an actions block (Slack: at most 75 characters of label). */
export function withButtons(parts: SlackMessage[], message: OutgoingMessage): SlackMessageWithButtons[] {
  if (!message.actions?.length || parts.length === 0) return parts;
  const actions: ActionsBlock = {
    type: "actions",
    block_id: "actions",
    elements: message.actions.map((action) => ({
      type: "button",
      action_id: CHECK_IN_ACTION,
      text: { type: "plain_text", text: action.label.slice(0, 75), emoji: true },
      value: encodeAction(action),
    })),
  };
  const last = parts[parts.length - 1]!;
  return [...parts.slice(0, -1), { ...last, blocks: [...last.blocks, actions] }];
}

export const blockActionSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().min(1).max(200), username: z.string().optional(), name: z.string().optional() }),
  channel: z.object({ id: z.string().min(1).max(200) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** The command a press runs, or undefined for a payload that is not one of our buttons. */
export function commandFromPress(body: unknown, profile: (userId: string) => Promise<CallerProfile>): Promise<IncomingCommand | undefined> | undefined {
  const parsed = blockActionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const pressed = parsed.data.actions.find((action) => action.action_id === CHECK_IN_ACTION);
  const action = pressed?.value === undefined ? undefined : decodeAction(pressed.value);
  if (!action) return undefined;
  const { user, channel } = parsed.data;
  return profile(user.id).then((found) => ({
    ...caller(channel.id, user.id, user.name ?? user.username ?? user.id, found),
    ...(user.username ? { username: user.username.slice(0, 200) } : {}),
    platform: PLATFORM,
    name: action.name,
    options: action.options,
  }));
}
