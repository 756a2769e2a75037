// The domain services a command handler may use. Handlers never touch the database directly.
import { BreakoutService } from "../breakouts/breakout-service.ts";
import { FacilitatorProfileService } from "../breakouts/facilitator-profiles.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { FacilitationService } from "../homework/facilitation.ts";
import { HomeworkService } from "../homework/homework-service.ts";
import { HomeworkNudgePlanner } from "../homework/nudges.ts";
import type { Logger } from "../logger.ts";
import { Outbox } from "../outbox/outbox.ts";
import { ReminderPlanner } from "../schedule/reminders.ts";
import { ScheduleService } from "../schedule/schedule-service.ts";
import { AnnouncementService } from "../announcements/announcement-service.ts";
import { AnnouncementReports } from "../announcements/reports.ts";
import { PrivacyService } from "../privacy/privacy-service.ts";
import { checkedInOrRegistered } from "../participation/breakout-participants.ts";
import { CheckInService } from "../participation/check-ins.ts";
import { ParticipationFollowUpPlanner } from "../participation/follow-up.ts";
import { ParticipationReports } from "../participation/report.ts";
import { StructureTestService } from "../participation/structure-tests.ts";
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
  homework: HomeworkService;
  homeworkNudges: HomeworkNudgePlanner;
  facilitation: FacilitationService;
  breakouts: BreakoutService;
  facilitators: FacilitatorProfileService;
  announcements: AnnouncementService;
  privacy: PrivacyService;
  checkIns: CheckInService;
  participation: ParticipationReports;
  structureTests: StructureTestService;
  participationFollowUp: ParticipationFollowUpPlanner;
}

export function createServices(deps: { db: PrismaClient; clock: Clock; logger: Logger; coordinators: Config["COORDINATORS"] }): Services {
  const members = new MemberService(deps.db, deps.coordinators);
  const outbox = new Outbox(deps.db, deps.clock);
  const reminders = new ReminderPlanner(deps.db, deps.clock, deps.logger);
  const schedule = new ScheduleService(deps.db, deps.clock, outbox, reminders);
  const registration = new RegistrationService(deps.db, deps.clock);
  return {
    programs: new ProgramService(deps.db),
    members,
    registration,
    roles: new RoleService(deps.db, members),
    outbox,
    reminders,
    homework: new HomeworkService(deps.db, deps.clock, outbox),
    homeworkNudges: new HomeworkNudgePlanner(deps.db, deps.clock, deps.logger),
    facilitation: new FacilitationService(deps.db),
    schedule,
    // Breakouts generated once people have checked in place only those present.
    breakouts: new BreakoutService(deps.db, deps.clock, outbox, schedule, checkedInOrRegistered),
    facilitators: new FacilitatorProfileService(deps.db),
    announcements: new AnnouncementService(deps.db, deps.clock, outbox, deps.logger, new AnnouncementReports(deps.db, deps.clock)),
    privacy: new PrivacyService(deps.db, deps.clock, registration, deps.logger),
    checkIns: new CheckInService(deps.db, deps.clock),
    participation: new ParticipationReports(deps.db),
    structureTests: new StructureTestService(deps.db, deps.clock),
    participationFollowUp: new ParticipationFollowUpPlanner(deps.db, deps.clock, deps.logger),
  };
}
