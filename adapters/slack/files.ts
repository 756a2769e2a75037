// Files (CSV exports) go up with the Web API's external upload flow (files.uploadV2 in the SDK).
// Slack can't show a file to one person only inside a channel, so a private file goes to the
// person's direct message with the bot instead (conversations.open, scope im:write).
import type { WebClient } from "@slack/web-api";
import type { FileAttachment } from "../../src/core/messages.ts";

export type FileDestination = { channelId: string } | { userId: string };

export async function uploadFile(client: WebClient, file: FileAttachment, destination: FileDestination): Promise<void> {
  const channelId = "channelId" in destination ? destination.channelId : await directMessageWith(client, destination.userId);
  await client.filesUploadV2({
    channel_id: channelId,
    file: Buffer.from(file.data),
    filename: file.fileName,
    title: file.fileName,
  });
}

async function directMessageWith(client: WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error("conversations.open returned no channel");
  return channelId;
}
