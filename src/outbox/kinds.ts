// What can go through the outbox. Each kind (reminder, session moved, announcement, homework
// feedback, ...) declares its payload schema and renders the message at send time, in the target
// group's language and time zone, so a change of either before sending is honoured.
import type { z } from "zod";
import type { OutgoingMessage } from "../core/messages.ts";
import type { Group, Program } from "../generated/prisma/client.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";

export interface DeliveryTarget {
  channel: { id: number; platform: string; platformChannelId: string };
  /** The group the channel is bound to (null for facilitator or announcement channels). */
  group: Group | null;
  /** The group's program, else the active one. */
  program: Program | null;
  locale: Locale;
  timezone: string;
  t: Translate;
  now: Date;
}

export type Rendered = { message: OutgoingMessage } | { skip: string };

export interface DeliveryKind<P = unknown> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  render(payload: P, target: DeliveryTarget): Promise<Rendered> | Rendered;
}

export function defineDeliveryKind<P>(kind: DeliveryKind<P>): DeliveryKind<P> {
  return kind;
}

export class DeliveryKinds {
  private readonly kinds = new Map<string, DeliveryKind>();

  // Each kind's payload type is its own; the registry only keys them by name.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register(...kinds: DeliveryKind<any>[]): this {
    for (const kind of kinds) {
      if (this.kinds.has(kind.kind)) throw new Error(`delivery kind ${kind.kind} registered twice`);
      this.kinds.set(kind.kind, kind);
    }
    return this;
  }

  get(kind: string): DeliveryKind | undefined {
    return this.kinds.get(kind);
  }
}
