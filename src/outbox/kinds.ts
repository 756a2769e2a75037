// What can go through the outbox. A delivery kind (reminder, session moved, announcement,
// homework feedback, ...) owns its whole contract in its own module: its name, its payload
// schema, its dedupe key and how a request to send one is built. Its renderer turns a payload
// into the message at send time, in the target group's language and time zone, so a change of
// either before sending is honoured. Only src/outbox/ writes the Delivery table; a kind's module
// asks it through the Outbox verbs (enqueue, enqueueSelect, cancel, restore).
import { z } from "zod";
import type { OutgoingMessage } from "../core/messages.ts";
import type { Group, Prisma, Program } from "../generated/prisma/client.ts";
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

/** One row for the outbox, as a kind builds it (DeliveryKind.request). */
export interface EnqueueRequest {
  kind: string;
  dedupeKey: string;
  /** The Channel row's id. */
  channelId: number;
  payload: Prisma.InputJsonValue;
  notBefore: Date;
  /** Never send at or after this instant. */
  expiresAt?: Date | null;
}

/** An instant in a payload: an ISO string as Date.toISOString() writes it (it may be part of a dedupe key). */
export const payloadInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "not an instant");

/** A payload is a flat object: its fields can be matched in SQL (cancel, restore) and used in the key. */
type PayloadShape = Record<string, string | number | boolean>;

/** The fields of a payload a key or a match may name. */
export type PayloadField<P> = Extract<keyof P, string>;

/**
 * The dedupe key, as literal text with `{field}` for a payload field and `{channelId}` for the
 * target channel, e.g. "reminder:{sessionId}:{startsAt}:{channelId}:{offsetMinutes}". The outbox
 * builds it from this one template both in JavaScript (request) and in SQL (enqueueSelect), so a
 * row queued either way gets the same key. Unique per purpose and target: queueing the same
 * thing twice is a no-op.
 */
export type KeyTemplate = string;

export type KeyPart = { literal: string } | { field: string } | { channelId: true };

export interface DeliveryKindSpec<P extends PayloadShape> {
  readonly name: string;
  readonly payload: z.ZodObject<z.ZodRawShape, z.core.$strip> & z.ZodType<P>;
  readonly key: KeyTemplate;
}

export interface DeliveryKind<P extends PayloadShape> extends DeliveryKindSpec<P> {
  /** The key template split into literal text, payload fields and the channel. */
  readonly keyParts: readonly KeyPart[];
  keyOf(payload: P, channelId: number): string;
  /** Checks the payload against the schema (throws when it does not fit) and builds the row. */
  request(input: { channelId: number; payload: P; notBefore: Date; expiresAt?: Date | null }): EnqueueRequest;
  /** The kind with what turns its payload into a message at send time, ready to register. */
  renderWith(render: (payload: P, target: DeliveryTarget) => Promise<Rendered> | Rendered): RenderableKind;
}

/** A registered kind, its payload type hidden: the dispatcher hands it a row's raw payload. */
export interface RenderableKind {
  readonly name: string;
  /** Parses a stored payload: a renderer for it, or why it cannot be sent. */
  prepare(raw: unknown): { render(target: DeliveryTarget): Promise<Rendered> | Rendered } | { invalid: string };
}

export function defineDeliveryKind<P extends PayloadShape>(spec: DeliveryKindSpec<P>): DeliveryKind<P> {
  const keyParts = parseKey(spec.key, Object.keys(spec.payload.shape), spec.name);
  const keyOf = (payload: P, channelId: number) =>
    keyParts.map((part) => ("literal" in part ? part.literal : "field" in part ? String(payload[part.field]) : String(channelId))).join("");
  return {
    ...spec,
    keyParts,
    keyOf,
    request(input) {
      const checked = spec.payload.safeParse(input.payload);
      if (!checked.success) throw new Error(`invalid ${spec.name} payload: ${checked.error.message}`);
      const payload = checked.data as P;
      return {
        kind: spec.name,
        dedupeKey: keyOf(payload, input.channelId),
        channelId: input.channelId,
        payload,
        notBefore: input.notBefore,
        expiresAt: input.expiresAt ?? null,
      };
    },
    renderWith(render) {
      return {
        name: spec.name,
        prepare(raw) {
          const parsed = spec.payload.safeParse(raw);
          if (!parsed.success) return { invalid: `invalid payload: ${parsed.error.message}` };
          return { render: (target) => render(parsed.data as P, target) };
        },
      };
    },
  };
}

/** "a:{x}:{channelId}" -> literal "a:", field x, literal ":", channel; every field must be in the schema. */
function parseKey(template: string, fields: string[], kind: string): KeyPart[] {
  const parts: KeyPart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf("{");
    if (open === -1) {
      parts.push({ literal: rest });
      break;
    }
    if (open > 0) parts.push({ literal: rest.slice(0, open) });
    const close = rest.indexOf("}", open);
    if (close === -1) throw new Error(`delivery kind ${kind}: unclosed { in key ${template}`);
    const name = rest.slice(open + 1, close);
    if (name === "channelId") parts.push({ channelId: true });
    else if (fields.includes(name)) parts.push({ field: name });
    else throw new Error(`delivery kind ${kind}: key ${template} names ${name}, which its payload does not have`);
    rest = rest.slice(close + 1);
  }
  return parts;
}

/** The kinds a dispatcher can send, by name. */
export class DeliveryKinds {
  private readonly kinds = new Map<string, RenderableKind>();

  constructor(kinds: readonly RenderableKind[] = []) {
    this.register(...kinds);
  }

  register(...kinds: RenderableKind[]): this {
    for (const kind of kinds) {
      if (this.kinds.has(kind.name)) throw new Error(`delivery kind ${kind.name} registered twice`);
      this.kinds.set(kind.name, kind);
    }
    return this;
  }

  get(name: string): RenderableKind | undefined {
    return this.kinds.get(name);
  }
}
