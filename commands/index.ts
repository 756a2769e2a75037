// Every command the bot knows, in the order /help lists them.
import type { CommandEntry } from "../src/core/command.ts";
import announce from "./announce.ts";
import grant from "./grant.ts";
import help from "./help.ts";
import join from "./join.ts";
import language from "./language.ts";
import leave from "./leave.ts";
import next from "./next.ts";
import register from "./register.ts";
import reminders from "./reminders.ts";
import revoke from "./revoke.ts";
import schedule from "./schedule.ts";
import session from "./session.ts";
import timezone from "./timezone.ts";
import whoami from "./whoami.ts";

export const commands: readonly CommandEntry[] = [
  help,
  register,
  join,
  leave,
  whoami,
  schedule,
  next,
  language,
  timezone,
  session,
  reminders,
  grant,
  revoke,
  announce,
];
