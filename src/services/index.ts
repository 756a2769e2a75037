// The domain services a command handler may use (handlers never touch the database directly),
// and next to them what only the composition root wires: the outbox, the planners the scheduler
// tick runs, and the channel changes adapters report.
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
import { DashboardAccess } from "../dashboard/access.ts";
import { GroupLeadService } from "./group-lead.ts";
import { ChannelService } from "./channels.ts";
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
  leads: GroupLeadService;
  roles: RoleService;
  schedule: ScheduleService;
  homework: HomeworkService;
  facilitation: FacilitationService;
  breakouts: BreakoutService;
  facilitators: FacilitatorProfileService;
  announcements: AnnouncementService;
  privacy: PrivacyService;
  dashboard: DashboardAccess;
  checkIns: CheckInService;
  participation: ParticipationReports;
  structureTests: StructureTestService;
}

/** What plans deliveries ahead of time; the scheduler tick runs them (src/planners.ts). */
export interface Planners {
  reminders: ReminderPlanner;
  homeworkNudges: HomeworkNudgePlanner;
  participationFollowUp: ParticipationFollowUpPlanner;
}

export interface ServiceGraph {
  /** For command handlers. */
  services: Services;
  outbox: Outbox;
  planners: Planners;
  channels: ChannelService;
}

export function createServices(deps: {
  db: PrismaClient;
  clock: Clock;
  logger: Logger;
  coordinators: Config["COORDINATORS"];
  /** Where the dashboard is reached from outside (its sign-in links start with it). */
  dashboardUrl?: () => string;
}): ServiceGraph {
  const members = new MemberService(deps.db, deps.coordinators);
  const outbox = new Outbox(deps.db, deps.clock);
  const planners: Planners = {
    reminders: new ReminderPlanner(deps.db, outbox, deps.clock, deps.logger),
    homeworkNudges: new HomeworkNudgePlanner(deps.db, outbox, deps.clock, deps.logger),
    participationFollowUp: new ParticipationFollowUpPlanner(deps.db, outbox, deps.clock, deps.logger),
  };
  const schedule = new ScheduleService(deps.db, deps.clock, outbox, planners.reminders);
  // A group that registers gets what is already due soon at once, not at the next tick.
  const leads = new GroupLeadService(deps.db, deps.clock, outbox);
  const registration = new RegistrationService(deps.db, deps.clock, leads, async (groupId) => {
    return (await planners.reminders.enqueueHorizon({ groupId })) + (await planners.homeworkNudges.enqueueHorizon({ groupId }));
  });
  const services: Services = {
    programs: new ProgramService(deps.db),
    members,
    registration,
    leads,
    roles: new RoleService(deps.db, members),
    homework: new HomeworkService(deps.db, deps.clock, outbox),
    facilitation: new FacilitationService(deps.db),
    schedule,
    // Breakouts generated once people have checked in place only those present.
    breakouts: new BreakoutService(deps.db, deps.clock, outbox, schedule, checkedInOrRegistered),
    facilitators: new FacilitatorProfileService(deps.db),
    announcements: new AnnouncementService(deps.db, deps.clock, outbox, deps.logger, new AnnouncementReports(deps.db, deps.clock)),
    privacy: new PrivacyService(deps.db, deps.clock, registration, deps.logger),
    dashboard: new DashboardAccess(deps.db, deps.clock, (member) => (members.isConfiguredCoordinator(member) ? "coordinator" : member.role), deps.dashboardUrl ?? (() => "http://localhost:3000")),
    checkIns: new CheckInService(deps.db, deps.clock),
    participation: new ParticipationReports(deps.db),
    structureTests: new StructureTestService(deps.db, deps.clock),
  };
  return { services, outbox, planners, channels: new ChannelService(deps.db, deps.clock, deps.logger) };
}
