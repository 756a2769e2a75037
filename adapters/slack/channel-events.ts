// Events that mean the bot can no longer post in a channel: it was removed (or left), or the
// channel was archived or deleted. The core marks the channel unreachable at once, so nothing
// is planned for it and the outbox stops trying, instead of finding out on the next send. And
// the one that undoes it: the bot invited back.
import { z } from "zod";

/** Event type → why the channel is unreachable. Each needs channels:read (public) or groups:read (private). */
export const CHANNEL_LOSS_EVENTS = {
  channel_left: "removed from the channel",
  group_left: "removed from the channel",
  member_left_channel: "removed from the channel",
  channel_archive: "channel archived",
  group_archive: "channel archived",
  channel_deleted: "channel deleted",
  group_deleted: "channel deleted",
} as const;

export type ChannelLossEvent = keyof typeof CHANNEL_LOSS_EVENTS;

const channelEventSchema = z.object({
  type: z.string(),
  channel: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]),
  /** member_left_channel / member_joined_channel: who (only the bot itself concerns us). */
  user: z.string().optional(),
});

/** The bot was invited (back) into a channel. */
export const CHANNEL_GAIN_EVENT = "member_joined_channel";

/** The channel the bot joined, or undefined when someone else joined or the event is malformed. */
export function joinedChannel(event: unknown, botUserId: string): string | undefined {
  const parsed = channelEventSchema.safeParse(event);
  if (!parsed.success || parsed.data.type !== CHANNEL_GAIN_EVENT || parsed.data.user !== botUserId) return undefined;
  return typeof parsed.data.channel === "string" ? parsed.data.channel : parsed.data.channel.id;
}

/** The channel the bot lost, or undefined when the event is about someone else or malformed. */
export function lostChannel(event: unknown, botUserId: string): { channelId: string; reason: string } | undefined {
  const parsed = channelEventSchema.safeParse(event);
  if (!parsed.success || !(parsed.data.type in CHANNEL_LOSS_EVENTS)) return undefined;
  const { type, channel, user } = parsed.data;
  if (type === "member_left_channel" && user !== botUserId) return undefined;
  return { channelId: typeof channel === "string" ? channel : channel.id, reason: CHANNEL_LOSS_EVENTS[type as ChannelLossEvent] };
}
