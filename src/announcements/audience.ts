// Who an announcement goes to: the program's reachable group channels, narrowed by the
// coordinator's filters (languages, countries, platforms, named groups). Every filter that is
// given must match; an empty filter does not narrow. The same selection serves the preview and
// the confirmation, so what the preview counts is what gets queued.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { countryKey } from "../i18n/countries.ts";
import type { Locale } from "../i18n/i18n.ts";

export interface AudienceFilter {
  languages: string[];
  /** Country keys (see countryKey). */
  countries: string[];
  platforms: string[];
  groupIds: number[];
}

export interface AudienceChannel {
  channelId: number;
  platform: string;
  groupId: number;
  groupName: string;
  locale: Locale;
  country: string | null;
}

/** A filter value that matches no channel of the program at all: most likely a typo. */
export interface UnmatchedFilter {
  filter: "languages" | "countries" | "platforms";
  value: string;
}

/** Every reachable group channel of the program's active groups. */
export async function programChannels(db: PrismaClient, programId: number): Promise<AudienceChannel[]> {
  const channels = await db.channel.findMany({
    where: { purpose: "group", unreachableAt: null, group: { programId, status: "active" } },
    select: { id: true, platform: true, group: { select: { id: true, name: true, locale: true, country: true } } },
    orderBy: { id: "asc" },
  });
  return channels.map((channel) => ({
    channelId: channel.id,
    platform: channel.platform,
    groupId: channel.group!.id,
    groupName: channel.group!.name,
    locale: channel.group!.locale as Locale,
    country: channel.group!.country,
  }));
}

export function selectAudience(channels: readonly AudienceChannel[], filter: AudienceFilter): AudienceChannel[] {
  const languages = new Set(filter.languages);
  const countries = new Set(filter.countries);
  const platforms = new Set(filter.platforms);
  const groups = new Set(filter.groupIds);
  return channels.filter(
    (channel) =>
      (languages.size === 0 || languages.has(channel.locale)) &&
      (countries.size === 0 || (channel.country !== null && countries.has(countryKey(channel.country)))) &&
      (platforms.size === 0 || platforms.has(channel.platform)) &&
      (groups.size === 0 || groups.has(channel.groupId)),
  );
}

/** Filter values no channel of the program has, whatever the other filters say. */
export function unmatchedFilters(channels: readonly AudienceChannel[], filter: AudienceFilter): UnmatchedFilter[] {
  const present = {
    languages: new Set(channels.map((channel) => channel.locale as string)),
    countries: new Set(channels.flatMap((channel) => (channel.country === null ? [] : [countryKey(channel.country)]))),
    platforms: new Set(channels.map((channel) => channel.platform)),
  };
  return (["languages", "countries", "platforms"] as const).flatMap((name) =>
    filter[name].filter((value) => !present[name].has(value)).map((value) => ({ filter: name, value })),
  );
}

/** How many channels, by a key, largest first (ties in key order). */
export function countBy<K extends string>(channels: readonly AudienceChannel[], key: (channel: AudienceChannel) => K): [K, number][] {
  const counts = new Map<K, number>();
  for (const channel of channels) counts.set(key(channel), (counts.get(key(channel)) ?? 0) + 1);
  return [...counts].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]));
}
