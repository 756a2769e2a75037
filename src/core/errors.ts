// A UserError is something the user can fix: it becomes a localized message and the command
// changes nothing. Anything else is a bug: logged with a reference id, and the user gets an
// apology quoting it.

export class UserError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
    this.name = "UserError";
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
