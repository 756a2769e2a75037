// What the platforms tell us about chats the bot posts in: the bot was removed from one (it is
// unreachable: nothing more is queued for it), it is back (reachable again), or the chat got a
// new id (a Telegram group upgraded to a supergroup). Adapters report these through BotHost.
import type { Clock } from "../clock.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";

export class ChannelService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The bot can no longer post there; the planners skip the channel until it is reachable again. */
  async unreachable(platform: string, channelId: string, reason: string): Promise<void> {
    await this.db.channel.updateMany({
      where: { platform, platformChannelId: channelId },
      data: { unreachableAt: this.clock.now(), unreachableReason: reason },
    });
    this.logger.warn({ platform, channelId, reason }, "channel unreachable");
  }

  /** The bot was added back: true when the channel had been unreachable. */
  async reachable(platform: string, channelId: string): Promise<boolean> {
    const { count } = await this.db.channel.updateMany({
      where: { platform, platformChannelId: channelId, unreachableAt: { not: null } },
      data: { unreachableAt: null, unreachableReason: null },
    });
    if (count > 0) this.logger.info({ platform, channelId }, "channel reachable again");
    return count > 0;
  }

  /** The chat has a new id; its group binding, and what is queued for it, follow. */
  async moved(platform: string, fromChannelId: string, toChannelId: string): Promise<void> {
    await this.db.channel.updateMany({
      where: { platform, platformChannelId: fromChannelId },
      data: { platformChannelId: toChannelId },
    });
    this.logger.info({ platform, fromChannelId, toChannelId }, "channel moved");
  }
}
