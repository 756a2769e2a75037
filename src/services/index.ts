// The domain services a command handler may use. Handlers never touch the database directly.
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { Outbox } from "../outbox/outbox.ts";
import { ReminderPlanner } from "../schedule/reminders.ts";
import { ScheduleService } from "../schedule/schedule-service.ts";
import { AnnouncementService } from "../announcements/announcement-service.ts";
import { AnnouncementReports } from "../announcements/reports.ts";
import { MemberService } from "./members.ts";
import { ProgramService } from "./programs.ts";
import { RegistrationService } from "./registration.ts";
import { RoleService } from "./roles.ts";

export interface Services {
  programs: ProgramService;
  members: MemberService;
  registration: RegistrationService;
  roles: RoleService;
  outbox: Outbox;
  reminders: ReminderPlanner;
  schedule: ScheduleService;
  announcements: AnnouncementService;
}

export function createServices(deps: { db: PrismaClient; clock: Clock; logger: Logger; coordinators: Config["COORDINATORS"] }): Services {
  const members = new MemberService(deps.db, deps.coordinators);
  const outbox = new Outbox(deps.db, deps.clock);
  const reminders = new ReminderPlanner(deps.db, deps.clock, deps.logger);
  return {
    programs: new ProgramService(deps.db),
    members,
    registration: new RegistrationService(deps.db, deps.clock),
    roles: new RoleService(deps.db, members),
    outbox,
    reminders,
    schedule: new ScheduleService(deps.db, deps.clock, outbox, reminders),
    announcements: new AnnouncementService(deps.db, deps.clock, outbox, deps.logger, new AnnouncementReports(deps.db, deps.clock)),
  };
}
