// Discord JSON error responses (https://discord.com/developers/docs/topics/opcodes-and-status-codes).

import type { Json } from "./types.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
  get code(): number {
    return Number(this.body.code);
  }
}

const err = (status: number, code: number, message: string) => () => new ApiError(status, { message, code });

export const Errors = {
  unauthorized: err(401, 0, "401: Unauthorized"),
  notFound: err(404, 0, "404: Not Found"),
  methodNotAllowed: err(405, 0, "405: Method Not Allowed"),
  unknownApplication: err(404, 10002, "Unknown Application"),
  unknownChannel: err(404, 10003, "Unknown Channel"),
  unknownGuild: err(404, 10004, "Unknown Guild"),
  unknownMember: err(404, 10007, "Unknown Member"),
  unknownMessage: err(404, 10008, "Unknown Message"),
  unknownUser: err(404, 10013, "Unknown User"),
  unknownWebhook: err(404, 10015, "Unknown Webhook"),
  unknownInteraction: err(404, 10062, "Unknown interaction"),
  unknownCommand: err(404, 10063, "Unknown application command"),
  maxCommands: err(400, 30032, "Maximum number of application commands reached"),
  alreadyAcknowledged: err(400, 40060, "Interaction has already been acknowledged."),
  missingAccess: err(403, 50001, "Missing Access"),
  emptyMessage: err(400, 50006, "Cannot send an empty message"),
  missingPermissions: err(403, 50013, "Missing Permissions"),
  invalidWebhookToken: err(401, 50027, "Invalid Webhook Token"),
  invalidApiVersion: err(400, 50041, "Invalid API version"),
  invalidJson: err(400, 50109, "The request body contains invalid JSON."),
};

/** Collects field errors in Discord's nested `{ field: { _errors: [...] } }` shape. */
export class FormErrors {
  readonly tree: Json = {};
  count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
      node = node[k] as Json;
    }
    const list = (node._errors ??= []) as Json[];
    list.push({ code, message });
    this.count++;
  }

  /** 400 code 50035 "Invalid Form Body" with the collected errors. */
  toApiError(): ApiError {
    return new ApiError(400, { message: "Invalid Form Body", code: 50035, errors: this.tree });
  }

  throwIfAny(): void {
    if (this.count > 0) throw this.toApiError();
  }
}
