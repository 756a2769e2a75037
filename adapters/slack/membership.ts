// Whether the bot is in a channel. A slash command works anywhere, even where the bot was never
// invited, but reminders and announcements need the bot in the channel; so after a command in
// such a channel the caller is told, once in a while, how to invite it.
import type { WebClient } from "@slack/web-api";
import { platformError } from "./errors.ts";

export interface MembershipOptions {
  /** How long a "member" answer holds before asking Slack again. */
  memberTtlMs?: number;
  /** How long to stay quiet after telling someone the bot isn't in a channel. */
  hintEveryMs?: number;
  now?: () => number;
}

export class ChannelMembership {
  private readonly known = new Map<string, number>();
  private readonly hinted = new Map<string, number>();
  private readonly memberTtlMs: number;
  private readonly hintEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: WebClient,
    options: MembershipOptions = {},
  ) {
    this.memberTtlMs = options.memberTtlMs ?? 60 * 60_000;
    this.hintEveryMs = options.hintEveryMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the bot is missing from the channel and nobody was told so lately. */
  async needsInvite(channelId: string): Promise<boolean> {
    const now = this.now();
    if ((this.known.get(channelId) ?? 0) > now || (this.hinted.get(channelId) ?? 0) > now) return false;
    const member = await this.isMember(channelId);
    if (member === undefined) return false;
    remember(member ? this.known : this.hinted, channelId, now + (member ? this.memberTtlMs : this.hintEveryMs));
    return !member;
  }

  /** The bot left or was removed: the next command there checks again. */
  forget(channelId: string): void {
    this.known.delete(channelId);
  }

  /** The bot was invited: no need to ask. */
  joined(channelId: string): void {
    this.hinted.delete(channelId);
    remember(this.known, channelId, this.now() + this.memberTtlMs);
  }

  /** undefined when Slack can't tell us (a scope missing, a group DM, Slack unreachable). */
  private async isMember(channelId: string): Promise<boolean | undefined> {
    try {
      const answer = await this.client.conversations.info({ channel: channelId });
      return answer.channel?.is_member ?? undefined;
    } catch (error) {
      // A private channel the bot isn't in is invisible to it.
      return platformError(error) === "channel_not_found" ? false : undefined;
    }
  }
}

/** Keeps the maps from growing with every channel ever seen. */
function remember(map: Map<string, number>, channelId: string, until: number): void {
  map.delete(channelId);
  map.set(channelId, until);
  if (map.size > 10_000) map.delete(map.keys().next().value!);
}
