// Every command the bot knows, in the order /help lists them.
import type { CommandEntry } from "../src/core/command.ts";
import assignment from "./assignment.ts";
import bind from "./bind.ts";
import facilitate from "./facilitate.ts";
import breakout from "./breakout.ts";
import breakouts from "./breakouts.ts";
import facilitator from "./facilitator.ts";
import announce from "./announce.ts";
import grant from "./grant.ts";
import help from "./help.ts";
import homework from "./homework.ts";
import join from "./join.ts";
import language from "./language.ts";
import lead from "./lead.ts";
import leave from "./leave.ts";
import next from "./next.ts";
import register from "./register.ts";
import reminders from "./reminders.ts";
import revoke from "./revoke.ts";
import schedule from "./schedule.ts";
import session from "./session.ts";
import timezone from "./timezone.ts";
import unbind from "./unbind.ts";
import unfacilitate from "./unfacilitate.ts";
import whoami from "./whoami.ts";
import mydata from "./mydata.ts";
import forgetme from "./forgetme.ts";
import forget from "./forget.ts";
import datafor from "./datafor.ts";
import dashboard from "./dashboard.ts";
import here from "./here.ts";
import attendance from "./attendance.ts";
import participation from "./participation.ts";
import chart from "./chart.ts";
import test from "./test.ts";
import tests from "./tests.ts";

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
  lead,
  homework,
  assignment,
  here,
  participation,
  chart,
  test,
  tests,
  attendance,
  facilitate,
  unfacilitate,
  bind,
  unbind,
  breakout,
  facilitator,
  breakouts,
  announce,
  dashboard,
  mydata,
  forgetme,
  forget,
  datafor,
];
